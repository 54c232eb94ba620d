package io.tunnelbox.hal.offload;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Big-endian header fields, and where the IPv4/IPv6 and TCP fields the offload code touches sit.
 *
 * <pre>
 * IPv4: 0 version/IHL  1 TOS  2 total length  4 id  6 flags/fragment  8 TTL  9 protocol  10 checksum  12 src  16 dst
 * IPv6: 0 version/class/flow  4 payload length  6 next header  7 hop limit  8 src  24 dst  (40 bytes)
 * TCP:  0 src port  2 dst port  4 seq  8 ack  12 data offset  13 flags  14 window  16 checksum  18 urgent
 * </pre>
 */
final class Fields {
    static final int ETHERNET = 14, VLAN = 4;
    static final int ETHERTYPE_IPV4 = 0x0800, ETHERTYPE_IPV6 = 0x86dd, ETHERTYPE_VLAN = 0x8100;
    static final int IPV6_HEADER = 40, TCP_HEADER = 20, TCP = 6;
    static final int TCP_FIN = 0x01, TCP_SYN = 0x02, TCP_RST = 0x04, TCP_PSH = 0x08, TCP_ACK = 0x10,
            TCP_URG = 0x20, TCP_ECE = 0x40, TCP_CWR = 0x80;
    static final int TCP_SEQ = 4, TCP_FLAGS = 13, TCP_CHECKSUM = 16;
    private static final ValueLayout.OfInt BE_INT = JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort BE_SHORT = JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    // Machine order, for comparisons: C1 calls a byte swap for every big-endian read.
    private static final ValueLayout.OfLong HOST_LONG = JAVA_LONG_UNALIGNED.withOrder(ByteOrder.nativeOrder());
    private static final ValueLayout.OfInt HOST_INT = JAVA_INT_UNALIGNED.withOrder(ByteOrder.nativeOrder());

    private Fields() {
    }

    static int u8(MemorySegment m, long off) {
        return m.get(JAVA_BYTE, off) & 0xff;
    }

    static int u16(MemorySegment m, long off) {
        return Short.toUnsignedInt(m.get(BE_SHORT, off));
    }

    static int i32(MemorySegment m, long off) {
        return m.get(BE_INT, off);
    }

    /**
     * Whether the {@code length} bytes at {@code a} and {@code b} are equal, for the few header
     * bytes the coalescers compare per packet: under C1 a {@code MemorySegment.mismatch} call costs
     * more than the loads (2% of a decapsulating VTEP's CPU in its profile).
     */
    static boolean same(MemorySegment m, long a, long b, int length) {
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            if (m.get(HOST_LONG, a + i) != m.get(HOST_LONG, b + i)) {
                return false;
            }
        }
        if (i + 4 <= length) {
            if (m.get(HOST_INT, a + i) != m.get(HOST_INT, b + i)) {
                return false;
            }
            i += 4;
        }
        for (; i < length; i++) {
            if (m.get(JAVA_BYTE, a + i) != m.get(JAVA_BYTE, b + i)) {
                return false;
            }
        }
        return true;
    }

    static void put8(MemorySegment m, long off, int v) {
        m.set(JAVA_BYTE, off, (byte) v);
    }

    static void put16(MemorySegment m, long off, int v) {
        m.set(BE_SHORT, off, (short) v);
    }

    static void put32(MemorySegment m, long off, int v) {
        m.set(BE_INT, off, v);
    }

    /**
     * Where the IP header of a frame starts: 0 on a TUN (no link header), behind the Ethernet
     * header and at most one 802.1Q tag on a TAP; -1 if the frame is too short to say.
     */
    static int l3Offset(MemorySegment m, long frame, int length, boolean ethernet) {
        if (!ethernet) {
            return 0;
        }
        if (length < ETHERNET) {
            return -1;
        }
        return u16(m, frame + 12) == ETHERTYPE_VLAN ? (length < ETHERNET + VLAN ? -1 : ETHERNET + VLAN) : ETHERNET;
    }

    /** Writes a fresh IPv4 header checksum. */
    static void ipv4Checksum(MemorySegment m, long ip) {
        int ihl = (u8(m, ip) & 0x0f) * 4;
        put16(m, ip + 10, 0);
        put16(m, ip + 10, ~InetSum.fold(InetSum.add(0, m, ip, ihl)) & 0xffff);
    }

    /** The TCP checksum over {@code l4Length} bytes at {@code l4} with the pseudo header, summed by {@code summer}. */
    static int tcpChecksum(InetSum summer, MemorySegment m, long ip, boolean v6, long l4, int l4Length) {
        put16(m, l4 + TCP_CHECKSUM, 0);
        long sum = v6 ? InetSum.pseudo6(m, ip, TCP, l4Length) : InetSum.pseudo4(m, ip, TCP, l4Length);
        return ~InetSum.fold(summer.sum(sum, m, l4, l4Length)) & 0xffff;
    }
}
