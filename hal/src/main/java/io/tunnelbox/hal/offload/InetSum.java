package io.tunnelbox.hal.offload;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071) as the offload code needs it: a running sum that several
 * regions (pseudo header, headers, payload) are added to, then folded. Eight bytes per step: the
 * one's-complement sum of 16-bit words equals the folded sum of any wider big-endian words.
 */
final class InetSum {
    private static final ValueLayout.OfLong BE_LONG = JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE_INT = JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort BE_SHORT = JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private InetSum() {
    }

    /** Adds {@code len} bytes at {@code off} (starting on a 16-bit word boundary of the sum). */
    static long add(long sum, MemorySegment m, long off, int len) {
        long end = off + len;
        long p = off;
        for (; p + 8 <= end; p += 8) {
            long v = m.get(BE_LONG, p);
            sum += (v >>> 32) + (v & 0xffff_ffffL);
        }
        if (p + 4 <= end) {
            sum += m.get(BE_INT, p) & 0xffff_ffffL;
            p += 4;
        }
        if (p + 2 <= end) {
            sum += m.get(BE_SHORT, p) & 0xffff;
            p += 2;
        }
        if (p < end) {
            sum += (m.get(JAVA_BYTE, p) & 0xff) << 8;
        }
        return sum;
    }

    /** The sum folded to 16 bits (not inverted). */
    static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** IPv4 pseudo header for protocol {@code protocol} and an L4 length of {@code l4Length}. */
    static long pseudo4(MemorySegment m, long ip, int protocol, int l4Length) {
        return (m.get(BE_INT, ip + 12) & 0xffff_ffffL) + (m.get(BE_INT, ip + 16) & 0xffff_ffffL) + protocol + l4Length;
    }

    /** IPv6 pseudo header (RFC 8200 section 8.1). */
    static long pseudo6(MemorySegment m, long ip, int protocol, int l4Length) {
        return add(0, m, ip + 8, 32) + protocol + l4Length;
    }
}
