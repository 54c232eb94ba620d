package io.tunnelbox.hal.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import io.tunnelbox.hal.port.PacketBatch;

/**
 * The struct mmsghdr array (one iovec and one sockaddr_in per message) for recvmmsg/sendmmsg,
 * allocated once per port side and pointed at batch slots per call: a whole batch moves in one
 * system call and nothing is allocated on the way.
 *
 * <pre>
 * struct mmsghdr (64 bytes on LP64) = struct msghdr (56) + unsigned msg_len (+4 padding)
 *   0 msg_name   8 msg_namelen   16 msg_iov   24 msg_iovlen   32 msg_control   40 msg_controllen
 *  48 msg_flags 56 msg_len
 * struct iovec (16) = 0 iov_base, 8 iov_len
 * </pre>
 */
final class MessageVector {
    static final int MMSGHDR = 64, IOVEC = 16;
    private static final int NAME = 0, NAMELEN = 8, IOV = 16, IOVLEN = 24, FLAGS = 48, LEN = 56;

    private final MemorySegment memory;
    private final long base;
    private final long iovBase;
    private final long nameBase;
    /** Messages [0, preparedRoom) point at slots from preparedFirst on ({@link #prepareReceive}); -1: none. */
    private long preparedFirst = -1;
    private int preparedRoom;
    private int preparedStride;
    private int preparedCapacity;

    MessageVector(Arena arena) {
        int n = PacketBatch.CAPACITY;
        memory = arena.allocate((long) n * (MMSGHDR + IOVEC + SockAddr.SIZE), 64);
        base = memory.address();
        iovBase = (long) n * MMSGHDR;
        nameBase = iovBase + (long) n * IOVEC;
        for (int k = 0; k < n; k++) {
            long h = (long) k * MMSGHDR;
            memory.set(JAVA_LONG, h + NAME, base + nameBase + (long) k * SockAddr.SIZE);
            memory.set(JAVA_INT, h + NAMELEN, SockAddr.SIZE);
            memory.set(JAVA_LONG, h + IOV, base + iovBase + (long) k * IOVEC);
            memory.set(JAVA_LONG, h + IOVLEN, 1L);
        }
    }

    /** Address of message {@code k}'s header, for the system call. */
    long address(int k) {
        return base + (long) k * MMSGHDR;
    }

    /**
     * Points messages {@code 0..room-1} at {@code capacity} bytes each, from native {@code first} on,
     * {@code stride} bytes apart (receive side). The kernel changes none of it but the name lengths
     * ({@link #received}), so a call for the slots of the call before costs nothing: a datapath
     * polls an empty socket thousands of times a second, and writing 256 messages each time under
     * C1 took 2-3% of a core.
     */
    void prepareReceive(long first, int stride, int room, int capacity) {
        if (first == preparedFirst && room <= preparedRoom && stride == preparedStride && capacity == preparedCapacity) {
            return;
        }
        for (int k = 0; k < room; k++) {
            long h = (long) k * MMSGHDR;
            memory.set(JAVA_INT, h + NAMELEN, SockAddr.SIZE);
            memory.set(JAVA_INT, h + FLAGS, 0);
            long iov = iovBase + (long) k * IOVEC;
            memory.set(JAVA_LONG, iov, first + (long) k * stride);
            memory.set(JAVA_LONG, iov + 8, capacity);
        }
        preparedFirst = first;
        preparedRoom = room;
        preparedStride = stride;
        preparedCapacity = capacity;
    }

    /** After a receive of {@code got} messages: their name lengths back to a whole sockaddr_in. */
    void received(int got) {
        for (int k = 0; k < got; k++) {
            memory.set(JAVA_INT, (long) k * MMSGHDR + NAMELEN, SockAddr.SIZE);
        }
    }

    /** Points message {@code k} at a packet to send to {@code destination} (port 0 for raw IP). */
    void prepareSend(int k, long address, int length, int destination, int port) {
        preparedFirst = -1;
        long iov = iovBase + (long) k * IOVEC;
        memory.set(JAVA_LONG, iov, address);
        memory.set(JAVA_LONG, iov + 8, length);
        memory.set(JAVA_INT, (long) k * MMSGHDR + NAMELEN, SockAddr.SIZE);
        SockAddr.put(memory, nameBase + (long) k * SockAddr.SIZE, destination, port);
    }

    int length(int k) {
        return memory.get(JAVA_INT, (long) k * MMSGHDR + LEN);
    }

    int flags(int k) {
        return memory.get(JAVA_INT, (long) k * MMSGHDR + FLAGS);
    }

    int peerAddress(int k) {
        return SockAddr.address(memory, nameBase + (long) k * SockAddr.SIZE);
    }

    int peerPort(int k) {
        return SockAddr.port(memory, nameBase + (long) k * SockAddr.SIZE);
    }
}
