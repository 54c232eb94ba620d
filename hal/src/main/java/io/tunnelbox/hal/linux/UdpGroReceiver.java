package io.tunnelbox.hal.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import io.tunnelbox.hal.port.PacketBatch;
import io.tunnelbox.hal.port.PortCounters;

/**
 * Receives from UDP sockets with UDP_GRO on: the kernel may hand over a run of equal-sized
 * datagrams of one flow (a UDP_SEGMENT send that crossed veth and bridges whole, or datagrams a
 * NIC's GRO joined) as one read, with the segment size in a {@code SOL_UDP/UDP_GRO} control
 * message. Without the option the kernel cuts such a run at the socket, one datagram per read.
 *
 * <p>Each read lands in a 64 KB staging buffer ({@link #MESSAGES} per recvmmsg); the run is then
 * cut back into its datagrams, one batch slot each (a copy of the datagram, cheaper than the
 * system calls it saves), so the engine sees ordinary datagrams with the sender's address and
 * port. What does not fit into the batch stays staged and comes first in the next call, so the
 * port must drain {@link #hasPending()} before it reads from any socket again. A datagram read
 * without the control message (a socket without GRO, or a lone datagram) is one segment.
 *
 * <pre>
 * per message k: struct mmsghdr (64) | struct iovec (16) | sockaddr_in (16) | control (CONTROL)
 * cmsghdr = 0 cmsg_len (size_t) 8 cmsg_level 12 cmsg_type 16 data
 * </pre>
 */
final class UdpGroReceiver {
    static final int SOL_UDP = 17, UDP_GRO = 104;
    /** Super-datagrams per recvmmsg: 4 x 64 KB of staging per port. */
    static final int MESSAGES = 4;
    static final int BUFFER = 65536;
    private static final int MMSGHDR = 64, IOVEC = 16, CONTROL = 64;
    private static final int NAME = 0, NAMELEN = 8, IOV = 16, IOVLEN = 24, CONTROL_PTR = 32, CONTROLLEN = 40,
            FLAGS = 48, LEN = 56;

    private final MemorySegment memory;
    private final long base, iovAt, nameAt, controlAt, bufferAt;
    /** Per staged message: length, segment size, sender. */
    private final int[] length = new int[MESSAGES];
    private final int[] segment = new int[MESSAGES];
    private final int[] peer = new int[MESSAGES];
    private final int[] peerPort = new int[MESSAGES];
    private int staged;
    /** The next staged message to cut and where in it. */
    private int next;
    private int at;

    UdpGroReceiver(Arena arena) {
        iovAt = (long) MESSAGES * MMSGHDR;
        nameAt = iovAt + (long) MESSAGES * IOVEC;
        controlAt = nameAt + (long) MESSAGES * SockAddr.SIZE;
        bufferAt = controlAt + (long) MESSAGES * CONTROL;
        memory = arena.allocate(bufferAt + (long) MESSAGES * BUFFER, 64);
        base = memory.address();
        for (int k = 0; k < MESSAGES; k++) {
            long h = (long) k * MMSGHDR;
            memory.set(JAVA_LONG, h + NAME, base + nameAt + (long) k * SockAddr.SIZE);
            memory.set(JAVA_LONG, h + IOV, base + iovAt + (long) k * IOVEC);
            memory.set(JAVA_LONG, h + IOVLEN, 1L);
            memory.set(JAVA_LONG, h + CONTROL_PTR, base + controlAt + (long) k * CONTROL);
            memory.set(JAVA_LONG, iovAt + (long) k * IOVEC, base + bufferAt + (long) k * BUFFER);
            memory.set(JAVA_LONG, iovAt + (long) k * IOVEC + 8, BUFFER);
        }
    }

    /** Turns UDP_GRO on for {@code fd}; false if the kernel refuses (the socket then delivers datagram by datagram). */
    static boolean enable(int fd) {
        return Libc.setsockopt(fd, SOL_UDP, UDP_GRO, 1) == 0;
    }

    /** Whether datagrams of an earlier read still wait for room in a batch. */
    boolean hasPending() {
        return next < staged;
    }

    /**
     * Moves staged datagrams into the free slots of {@code batch}; returns how many. Never blocks,
     * never allocates.
     */
    int drain(PacketBatch batch, PortCounters counters) {
        int added = 0;
        long bytes = 0;
        int dropped = 0;
        MemorySegment slots = batch.memory();
        while (next < staged && !batch.isFull()) {
            int total = length[next];
            int size = segment[next];
            int n = Math.min(size, total - at);
            if (n > PacketBatch.MAX_PACKET) {
                dropped++; // larger than a slot: as a plain read would have truncated it
            } else {
                int i = batch.add(n);
                MemorySegment.copy(memory, bufferAt + (long) next * BUFFER + at, slots, batch.offset(i), n);
                batch.peer(i, peer[next]);
                batch.peerPort(i, peerPort[next]);
                added++;
                bytes += n;
            }
            at += n;
            if (at >= total) {
                next++;
                at = 0;
            }
        }
        if (dropped > 0) {
            counters.rxDropped(dropped);
        }
        if (added > 0) {
            counters.received(added, bytes);
        }
        return added;
    }

    /**
     * Reads what is ready on {@code fd} (at most {@link #MESSAGES} reads' worth) and moves it into
     * {@code batch} as far as it fits; the rest stays staged. Call only when nothing is pending.
     * Returns the number of packets added; a socket error is counted, not thrown.
     */
    int receive(int fd, PacketBatch batch, PortCounters counters) {
        if (hasPending() || batch.isFull()) {
            return hasPending() ? drain(batch, counters) : 0;
        }
        for (int k = 0; k < MESSAGES; k++) {
            long h = (long) k * MMSGHDR;
            memory.set(JAVA_INT, h + NAMELEN, SockAddr.SIZE);
            memory.set(JAVA_LONG, h + CONTROLLEN, CONTROL);
            memory.set(JAVA_INT, h + FLAGS, 0);
        }
        int got = Libc.recvmmsg(fd, base, MESSAGES, Libc.MSG_DONTWAIT);
        if (got <= 0) {
            if (got < 0 && Libc.errno() != Errno.EAGAIN && Libc.errno() != Errno.EINTR) {
                counters.rxError();
            }
            return 0;
        }
        staged = 0;
        int truncated = 0;
        for (int k = 0; k < got; k++) {
            long h = (long) k * MMSGHDR;
            int len = memory.get(JAVA_INT, h + LEN);
            if ((memory.get(JAVA_INT, h + FLAGS) & Libc.MSG_TRUNC) != 0 || len > BUFFER) {
                truncated++;
                continue;
            }
            if (len == 0) {
                continue; // an empty datagram carries no VXLAN header; nothing to hand over
            }
            int size = segmentSize(k, memory.get(JAVA_LONG, h + CONTROLLEN));
            length[staged] = len;
            segment[staged] = size > 0 && size < len ? size : len;
            peer[staged] = SockAddr.address(memory, nameAt + (long) k * SockAddr.SIZE);
            peerPort[staged] = SockAddr.port(memory, nameAt + (long) k * SockAddr.SIZE);
            if (staged != k) {
                // An earlier message was dropped: keep staged messages contiguous (rare).
                MemorySegment.copy(memory, bufferAt + (long) k * BUFFER, memory, bufferAt + (long) staged * BUFFER, len);
            }
            staged++;
        }
        if (truncated > 0) {
            counters.rxDropped(truncated);
        }
        next = 0;
        at = 0;
        return drain(batch, counters);
    }

    /** The UDP_GRO segment size in message {@code k}'s control data, 0 if there is none. */
    private int segmentSize(int k, long controlLength) {
        long c = controlAt + (long) k * CONTROL;
        long end = c + Math.min(controlLength, CONTROL);
        while (c + 16 <= end) {
            long len = memory.get(JAVA_LONG, c);
            if (len < 16 || c + len > end) {
                return 0;
            }
            if (memory.get(JAVA_INT, c + 8) == SOL_UDP && memory.get(JAVA_INT, c + 12) == UDP_GRO && len >= 20) {
                return memory.get(JAVA_INT, c + 16);
            }
            c += (len + 7) & ~7L;
        }
        return 0;
    }
}
