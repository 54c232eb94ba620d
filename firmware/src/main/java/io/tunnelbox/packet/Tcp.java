package io.tunnelbox.packet;

import java.lang.foreign.MemorySegment;

/**
 * The TCP header (RFC 9293 section 3.1) as far as a router needs it: ports, flags, and the MSS option
 * of a SYN, which a tunnel endpoint lowers so that segments fit the tunnel MTU (MSS clamping).
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * |                        Sequence Number                        |
 * |                    Acknowledgment Number                      |
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 * |           Checksum            |         Urgent Pointer        |
 * |                    Options (kind 2 = MSS, length 4)           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Tcp {
    public static final int HEADER = 20;
    public static final int DATA_OFFSET_OFFSET = 12;
    public static final int FLAGS_OFFSET = 13;
    public static final int CHECKSUM_OFFSET = 16;
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int ACK = 0x10;
    static final int OPTION_END = 0;
    static final int OPTION_NOP = 1;
    static final int OPTION_MSS = 2;

    private Tcp() {
    }

    /** Checks that the header and its options fit the {@code len} bytes of the segment. */
    public static int validate(MemorySegment seg, long off, long len) {
        if (len < HEADER || !Wire.fits(seg, off, len)) {
            return Reason.TRUNCATED;
        }
        int headerLength = headerLength(seg, off);
        if (headerLength < HEADER || headerLength > len) {
            return Reason.TCP_OFFSET;
        }
        return Reason.OK;
    }

    public static int srcPort(MemorySegment seg, long off) {
        return Wire.u16(seg, off);
    }

    public static int dstPort(MemorySegment seg, long off) {
        return Wire.u16(seg, off + 2);
    }

    public static int sequence(MemorySegment seg, long off) {
        return Wire.i32(seg, off + 4);
    }

    public static int acknowledgment(MemorySegment seg, long off) {
        return Wire.i32(seg, off + 8);
    }

    /** Data offset in bytes. */
    public static int headerLength(MemorySegment seg, long off) {
        return (Wire.u8(seg, off + DATA_OFFSET_OFFSET) >>> 4) * 4;
    }

    public static int flags(MemorySegment seg, long off) {
        return Wire.u8(seg, off + FLAGS_OFFSET);
    }

    public static int window(MemorySegment seg, long off) {
        return Wire.u16(seg, off + 14);
    }

    public static int checksum(MemorySegment seg, long off) {
        return Wire.u16(seg, off + CHECKSUM_OFFSET);
    }

    /** True when the checksum over the IPv4 pseudo-header and the {@code len}-byte segment is right. */
    public static boolean verify4(MemorySegment seg, long ipOff, long off, int len) {
        return Checksum.fold(Checksum.sum(seg, off, len, Ipv4.pseudoHeaderSum(seg, ipOff, IpProtocol.TCP, len))) == 0xFFFF;
    }

    public static boolean verify6(MemorySegment seg, long ipOff, long off, int len) {
        return Checksum.fold(Checksum.sum(seg, off, len, Ipv6.pseudoHeaderSum(seg, ipOff, IpProtocol.TCP, len))) == 0xFFFF;
    }

    public static void fillChecksum4(MemorySegment seg, long ipOff, long off, int len) {
        Wire.put16(seg, off + CHECKSUM_OFFSET, 0);
        Wire.put16(seg, off + CHECKSUM_OFFSET,
                Checksum.finish(Checksum.sum(seg, off, len, Ipv4.pseudoHeaderSum(seg, ipOff, IpProtocol.TCP, len))));
    }

    public static void fillChecksum6(MemorySegment seg, long ipOff, long off, int len) {
        Wire.put16(seg, off + CHECKSUM_OFFSET, 0);
        Wire.put16(seg, off + CHECKSUM_OFFSET,
                Checksum.finish(Checksum.sum(seg, off, len, Ipv6.pseudoHeaderSum(seg, ipOff, IpProtocol.TCP, len))));
    }

    /** The MSS option's value, or -1 when the segment has none (or its options are malformed). */
    public static int mss(MemorySegment seg, long off, long len) {
        long at = findMss(seg, off, len);
        return at < 0 ? -1 : Wire.u16(seg, at);
    }

    /**
     * Lowers the MSS option of a SYN to {@code maxMss} if it is larger, patching the checksum
     * incrementally (the pseudo-header does not change, so the IP header is not needed).
     *
     * @return true if the option was rewritten
     */
    public static boolean clampMss(MemorySegment seg, long tcpOff, long tcpLen, int maxMss) {
        if (tcpLen < HEADER || !Wire.fits(seg, tcpOff, tcpLen) || (flags(seg, tcpOff) & SYN) == 0) {
            return false;
        }
        long at = findMss(seg, tcpOff, tcpLen);
        if (at < 0) {
            return false;
        }
        int old = Wire.u16(seg, at);
        if (old <= maxMss) {
            return false;
        }
        Wire.put16(seg, at, maxMss);
        // The checksum sums 16-bit words from the start of the header. An MSS value at an odd distance
        // straddles two words, contributing its bytes swapped (RFC 1071 section 2(B), byte-order independence).
        boolean odd = ((at - tcpOff) & 1) != 0;
        int oldWord = odd ? swap(old) : old;
        int newWord = odd ? swap(maxMss) : maxMss;
        Wire.put16(seg, tcpOff + CHECKSUM_OFFSET, Checksum.update16(checksum(seg, tcpOff), oldWord, newWord));
        return true;
    }

    /**
     * The contract's form: as {@link #clampMss(MemorySegment, long, long, int)}; the IP header offset and
     * family are not needed by the incremental update and are accepted for symmetry with the checksum methods.
     */
    public static boolean clampMss(MemorySegment seg, long ipOff, long tcpOff, long tcpLen, int maxMss, boolean v6) {
        return clampMss(seg, tcpOff, tcpLen, maxMss);
    }

    /** Offset of the MSS option's 2-byte value, or -1. Walks the options without reading past them. */
    private static long findMss(MemorySegment seg, long off, long len) {
        if (len < HEADER || !Wire.fits(seg, off, len)) {
            return -1;
        }
        int headerLength = headerLength(seg, off);
        if (headerLength < HEADER || headerLength > len) {
            return -1;
        }
        long p = off + HEADER;
        long end = off + headerLength;
        while (p < end) {
            int kind = Wire.u8(seg, p);
            if (kind == OPTION_END) {
                return -1;
            }
            if (kind == OPTION_NOP) {
                p++;
                continue;
            }
            if (p + 2 > end) {
                return -1;
            }
            int optionLength = Wire.u8(seg, p + 1);
            if (optionLength < 2 || p + optionLength > end) {
                return -1;
            }
            if (kind == OPTION_MSS) {
                return optionLength == 4 ? p + 2 : -1;
            }
            p += optionLength;
        }
        return -1;
    }

    private static int swap(int word) {
        return (word >>> 8 | word << 8) & 0xFFFF;
    }
}
