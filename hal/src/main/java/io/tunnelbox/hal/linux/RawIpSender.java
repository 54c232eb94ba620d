package io.tunnelbox.hal.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import io.tunnelbox.hal.port.PacketBatch;
import io.tunnelbox.hal.port.PortCounters;

/**
 * Sends complete IPv4 packets exactly as the datapath built them: a raw IPPROTO_RAW socket (which
 * implies IP_HDRINCL), so the outer header's TTL, TOS, DF bit and, for VXLAN, the UDP source port
 * chosen for flow entropy go out unchanged; the kernel only fills in the total length, the header
 * checksum and a zero identification. A batch goes out in one sendmmsg(2), each message addressed
 * to its header's destination.
 *
 * <p>Multicast destinations leave through the WAN interface given (IP_MULTICAST_IF) and are not
 * looped back to this host's own group members (IP_MULTICAST_LOOP off), so a box never receives
 * its own flood.
 */
final class RawIpSender implements AutoCloseable {
    private static final ValueLayout.OfInt BE_INT = JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort BE_SHORT = JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final int fd;
    private final MessageVector vector;
    private final int[] order = new int[PacketBatch.CAPACITY];

    /** {@code wanIfindex} 0: multicast leaves by the routing table. */
    RawIpSender(Arena arena, String portName, int wanIfindex) {
        fd = Libc.check(Libc.socket(Libc.AF_INET, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Libc.IPPROTO_RAW), "socket", "raw IP for " + portName);
        try {
            Libc.check(Libc.setsockopt(fd, Libc.IPPROTO_IP, Libc.IP_MULTICAST_LOOP, 0), "IP_MULTICAST_LOOP", portName);
            if (wanIfindex != 0) {
                Libc.check(Libc.setsockopt(fd, Libc.IPPROTO_IP, Libc.IP_MULTICAST_IF, SockAddr.mreqn(arena, 0, wanIfindex)),
                        "IP_MULTICAST_IF", portName);
            }
        } catch (RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
        vector = new MessageVector(arena);
    }

    /** Multicast leaves by {@code wanIfindex} from now on (the WAN NIC was re-created with a new index). */
    void multicastInterface(Arena arena, String portName, int wanIfindex) {
        Libc.check(Libc.setsockopt(fd, Libc.IPPROTO_IP, Libc.IP_MULTICAST_IF, SockAddr.mreqn(arena, 0, wanIfindex)),
                "IP_MULTICAST_IF", portName);
    }

    /**
     * Sends {@code slots[0..n)}; malformed packets (not IPv4, header longer than the packet) and
     * packets the kernel refuses (no route, interface down, too big with DF) are counted drops and
     * errors. Returns the number sent.
     */
    int send(PacketBatch batch, int[] slots, int n, PortCounters counters) {
        MemorySegment memory = batch.memory();
        long base = memory.address();
        int m = 0;
        int malformed = 0;
        for (int k = 0; k < n; k++) {
            int i = slots[k];
            int off = batch.offset(i);
            int length = batch.length(i);
            if (length < 20 || (memory.get(JAVA_BYTE, off) & 0xf0) != 0x40
                    || (memory.get(JAVA_BYTE, off) & 0x0f) * 4 > length
                    || (memory.get(BE_SHORT, off + 2) & 0xffff) != length) {
                malformed++;
                continue;
            }
            vector.prepareSend(m, base + off, length, memory.get(BE_INT, off + 16), 0);
            order[m++] = i;
        }
        if (malformed > 0) {
            counters.txDropped(malformed);
        }
        int sent = 0;
        long bytes = 0;
        int at = 0;
        while (at < m) {
            int r = Libc.sendmmsg(fd, vector.address(at), m - at, Libc.MSG_DONTWAIT);
            if (r <= 0) {
                // The message at 'at' failed (EAGAIN, ENETUNREACH, EMSGSIZE...): drop it, go on.
                counters.txDropped(1);
                counters.txError();
                at++;
                continue;
            }
            for (int k = at; k < at + r; k++) {
                bytes += batch.length(order[k]);
            }
            sent += r;
            at += r;
        }
        if (sent > 0) {
            counters.sent(sent, bytes);
        }
        return sent;
    }

    @Override
    public void close() {
        Libc.close(fd);
    }
}
