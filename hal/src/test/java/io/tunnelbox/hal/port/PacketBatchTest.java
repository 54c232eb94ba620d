package io.tunnelbox.hal.port;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PacketBatchTest {

    @Test
    void shouldPlaceReceivedPacketBehindHeadroom() {
        PacketBatch batch = PacketBatch.allocate();
        batch.add(new byte[] {1, 2, 3});
        int i = batch.add(new byte[] {4, 5});
        assertEquals(1, i);
        assertEquals(PacketBatch.SLOT_SIZE + PacketBatch.HEADROOM, batch.offset(1));
        assertEquals(PacketBatch.HEADROOM, batch.headroom(1));
        assertArrayEquals(new byte[] {4, 5}, batch.toArray(1));
    }

    @Test
    void shouldPrependIntoHeadroomWithoutTouchingPayload() {
        PacketBatch batch = PacketBatch.allocate();
        int i = batch.add(new byte[] {9, 9});
        batch.set(i, batch.offset(i) - 2, batch.length(i) + 2);
        batch.memory().set(java.lang.foreign.ValueLayout.JAVA_BYTE, batch.offset(i), (byte) 7);
        batch.memory().set(java.lang.foreign.ValueLayout.JAVA_BYTE, batch.offset(i) + 1, (byte) 8);
        assertArrayEquals(new byte[] {7, 8, 9, 9}, batch.toArray(i));
    }

    @Test
    void shouldRefuseToLeaveTheSlot() {
        PacketBatch batch = PacketBatch.allocate();
        int i = batch.add(new byte[10]);
        assertThrows(IndexOutOfBoundsException.class, () -> batch.set(i, -1, 10));
        assertThrows(IndexOutOfBoundsException.class,
                () -> batch.set(i, batch.offset(i), PacketBatch.SLOT_SIZE));
    }

    @Test
    void shouldRefuseOversizePacketAndFullBatch() {
        PacketBatch batch = PacketBatch.allocate();
        assertThrows(IllegalArgumentException.class, () -> batch.add(PacketBatch.MAX_PACKET + 1));
        for (int k = 0; k < PacketBatch.CAPACITY; k++) {
            batch.add(64);
        }
        assertThrows(IllegalStateException.class, () -> batch.add(64));
        batch.clear();
        assertEquals(0, batch.count());
    }
}
