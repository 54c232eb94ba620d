package io.tunnelbox.hal.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import io.tunnelbox.hal.port.Ipv4Text;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * struct sockaddr_in: family in host order, port and address in network order, 8 bytes of zero.
 * Also struct ip_mreqn, which the multicast options take.
 */
final class SockAddr {
    static final int SIZE = 16;
    private static final ValueLayout.OfShort BE_SHORT = JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE_INT = JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private SockAddr() {
    }

    static MemorySegment of(Arena arena, int address, int port) {
        MemorySegment sa = arena.allocate(SIZE, 8);
        put(sa, 0, address, port);
        return sa;
    }

    static void put(MemorySegment seg, long off, int address, int port) {
        seg.set(JAVA_SHORT, off, (short) Libc.AF_INET);
        seg.set(BE_SHORT, off + 2, (short) port);
        seg.set(BE_INT, off + 4, address);
        seg.set(ValueLayout.JAVA_LONG_UNALIGNED, off + 8, 0L);
    }

    static int address(MemorySegment seg, long off) {
        return seg.get(BE_INT, off + 4);
    }

    static int port(MemorySegment seg, long off) {
        return Short.toUnsignedInt(seg.get(BE_SHORT, off + 2));
    }

    /** struct ip_mreqn { in_addr multiaddr; in_addr address; int ifindex; }. */
    static MemorySegment mreqn(Arena arena, int group, int ifindex) {
        MemorySegment m = arena.allocate(12, 4);
        m.set(BE_INT, 0, group);
        m.set(BE_INT, 4, 0);
        m.set(ValueLayout.JAVA_INT, 8, ifindex);
        return m;
    }

    static String text(int address, int port) {
        return Ipv4Text.format(address) + ":" + port;
    }
}
