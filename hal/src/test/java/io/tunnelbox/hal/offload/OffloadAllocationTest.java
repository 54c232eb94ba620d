package io.tunnelbox.hal.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import io.tunnelbox.hal.port.PacketBatch;

/** Segmenting and coalescing allocate nothing per packet once warm (the hot path's rule). */
class OffloadAllocationTest {

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void shouldSegmentAndCoalesceWithoutAllocating() {
        SuperFrames.Tcp t = new SuperFrames.Tcp(false, true, 1, 1000, 1, 0x10, 100, SuperFrames.timestamps(1, 1),
                SuperFrames.payload(40 * 1448, 1));
        byte[] bytes = SuperFrames.build(t, true);
        MemorySegment frame = Arena.ofAuto().allocate(bytes.length);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, frame, 0, bytes.length);
        MemorySegment header = Arena.ofAuto().allocate(VnetHeader.SIZE + 256);
        TcpSegmenter segmenter = new TcpSegmenter();
        TcpCoalescer coalescer = new TcpCoalescer(true);
        PacketBatch batch = PacketBatch.allocate();
        int[] slots = new int[PacketBatch.CAPACITY];
        Arrays.setAll(slots, k -> k);
        double perPacket = 0;
        for (int chunk = 0; chunk < 20; chunk++) {
            long before = allocated();
            for (int round = 0; round < 200; round++) {
                segmenter.load(frame, 0, bytes.length, 14, VnetHeader.GSO_TCPV4, 1448);
                batch.clear();
                segmenter.emit(batch);
                assertEquals(40, coalescer.run(batch, slots, 0, batch.count()));
                coalescer.writeHeader(batch, 0, header, 0);
            }
            perPacket = (double) (allocated() - before) / (200 * 40);
            if (perPacket < 1) {
                return;
            }
        }
        fail(perPacket + " bytes allocated per segment");
    }
}
