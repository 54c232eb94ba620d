package io.tunnelbox.hal.linux;

import java.lang.foreign.MemorySegment;

import io.tunnelbox.hal.port.PacketBatch;
import io.tunnelbox.hal.port.PortCounters;

/** Batched receive from a datagram or raw socket into batch slots (one recvmmsg per call). */
final class Datagrams {
    private Datagrams() {
    }

    /**
     * Receives what is ready on {@code fd} into the free slots of {@code batch}, each datagram
     * behind the slot's headroom, and sets each packet's peer address and port. A truncated
     * datagram (larger than a slot) is a counted drop. Returns the number of packets added; never
     * blocks, never throws for a socket error (counted).
     */
    static int receive(int fd, MessageVector vector, PacketBatch batch, PortCounters counters) {
        int start = batch.count();
        int room = PacketBatch.CAPACITY - start;
        if (room == 0) {
            return 0;
        }
        long base = batch.memory().address();
        int capacity = PacketBatch.MAX_PACKET;
        vector.prepareReceive(base + PacketBatch.slotBase(start) + PacketBatch.HEADROOM, PacketBatch.SLOT_SIZE, room, capacity);
        int got = Libc.recvmmsg(fd, vector.address(0), room, Libc.MSG_DONTWAIT);
        if (got > 0) {
            vector.received(got);
        }
        if (got <= 0) {
            if (got < 0 && Libc.errno() != Errno.EAGAIN && Libc.errno() != Errno.EINTR) {
                counters.rxError();
            }
            return 0;
        }
        long bytes = 0;
        int dropped = 0;
        for (int k = 0; k < got; k++) {
            int length = vector.length(k);
            if ((vector.flags(k) & Libc.MSG_TRUNC) != 0 || length > capacity) {
                dropped++;
                continue;
            }
            int i = batch.add(length);
            if (i != start + k) {
                // An earlier datagram was dropped: close the gap (rare, so a copy is fine).
                MemorySegment memory = batch.memory();
                MemorySegment.copy(memory, PacketBatch.slotBase(start + k) + PacketBatch.HEADROOM,
                        memory, batch.offset(i), length);
            }
            batch.peer(i, vector.peerAddress(k));
            batch.peerPort(i, vector.peerPort(k));
            bytes += length;
        }
        if (dropped > 0) {
            counters.rxDropped(dropped);
        }
        int added = got - dropped;
        if (added > 0) {
            counters.received(added, bytes);
        }
        return added;
    }
}
