package io.tunnelbox.hal.port.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.hal.port.PacketBatch;
import io.tunnelbox.hal.port.PacketPort.Layer;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryPortTest {

    @Test
    void wiredPortsCarryPacketsBothWaysThroughBatches() {
        MemoryPort box = new MemoryPort("lan", Layer.ETHERNET, 1500);
        MemoryPort host = new MemoryPort("host", Layer.ETHERNET, 1500);
        MemoryPort.wire(box, host);

        host.sendBytes(new byte[] {1, 2, 3});
        host.sendBytes(new byte[] {4, 5});
        PacketBatch batch = PacketBatch.allocate();
        assertEquals(2, box.receive(batch));
        assertArrayEquals(new byte[] {1, 2, 3}, batch.toArray(0));
        assertEquals(PacketBatch.HEADROOM, batch.headroom(0));
        assertEquals(2, box.counters().rxPackets());
        assertEquals(5, box.counters().rxBytes());

        assertEquals(2, box.send(batch, new int[] {1, 0}, 2));
        List<byte[]> got = host.drain();
        assertEquals(2, got.size());
        assertArrayEquals(new byte[] {4, 5}, got.get(0));
        assertArrayEquals(new byte[] {1, 2, 3}, got.get(1));
        assertTrue(host.drain().isEmpty());
    }

    @Test
    void oversizePacketsAndAFullInboxAreCountedDrops() {
        MemoryPort a = new MemoryPort("a", Layer.IP, 100);
        MemoryPort b = new MemoryPort("b", Layer.IP, 100);
        MemoryPort.wire(a, b);
        a.sendBytes(new byte[101]);
        assertEquals(1, a.counters().txDrops());
        assertEquals(0, b.pending());

        for (int i = 0; i < MemoryPort.INBOX_LIMIT + 5; i++) {
            a.sendBytes(new byte[10]);
        }
        assertEquals(MemoryPort.INBOX_LIMIT, b.pending());
        assertEquals(5, b.counters().rxDrops());
    }

    @Test
    void batchFillsToCapacityAndLeavesTheRestQueued() {
        MemoryPort a = new MemoryPort("a", Layer.IP, 1500);
        for (int i = 0; i < PacketBatch.CAPACITY + 10; i++) {
            a.inject(new byte[] {(byte) i});
        }
        PacketBatch batch = PacketBatch.allocate();
        assertEquals(PacketBatch.CAPACITY, a.receive(batch));
        assertEquals(10, a.pending());
    }

    @Test
    void closedPortReceivesAndSendsNothing() throws InterruptedException {
        MemoryPort a = new MemoryPort("a", Layer.IP, 1500);
        a.inject(new byte[] {1});
        a.close();
        assertFalse(a.awaitReadable(1_000_000));
        assertEquals(0, a.receive(PacketBatch.allocate()));
        a.inject(new byte[] {2});
        assertEquals(1, a.counters().rxDrops());
    }

    @Test
    void wiringDifferentLayersIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> MemoryPort.wire(
                new MemoryPort("a", Layer.IP, 1500), new MemoryPort("b", Layer.ETHERNET, 1500)));
    }
}
