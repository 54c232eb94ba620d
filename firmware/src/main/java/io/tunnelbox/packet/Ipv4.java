package io.tunnelbox.packet;

import java.lang.foreign.MemorySegment;

/**
 * IPv4 header (RFC 791 section 3.1). Options are not interpreted, only skipped by {@link #headerLength}.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |      TOS      |          Total Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |0|D|M|     Fragment Offset     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      TTL      |    Protocol   |        Header Checksum        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Source Address                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Destination Address                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Ipv4 {
    /** Length of a header without options. */
    public static final int HEADER = 20;
    public static final int TOS_OFFSET = 1;
    public static final int TOTAL_LENGTH_OFFSET = 2;
    public static final int ID_OFFSET = 4;
    public static final int FLAGS_FRAGMENT_OFFSET = 6;
    public static final int TTL_OFFSET = 8;
    public static final int PROTOCOL_OFFSET = 9;
    public static final int CHECKSUM_OFFSET = 10;
    public static final int SRC_OFFSET = 12;
    public static final int DST_OFFSET = 16;
    /** Don't Fragment, in the flags/fragment-offset word. */
    public static final int DF = 0x4000;
    /** More Fragments, in the flags/fragment-offset word. */
    public static final int MF = 0x2000;
    public static final int FRAGMENT_OFFSET_MASK = 0x1FFF;

    private Ipv4() {
    }

    /**
     * Checks version, IHL, total length against the header and the buffer ({@code len} bytes from off),
     * and the header checksum.
     */
    public static int validate(MemorySegment seg, long off, long len) {
        if (len < HEADER || !Wire.fits(seg, off, len)) {
            return Reason.TRUNCATED;
        }
        int vihl = Wire.u8(seg, off);
        if (vihl >>> 4 != 4) {
            return Reason.IP_VERSION;
        }
        int headerLength = (vihl & 0xF) * 4;
        if (headerLength < HEADER) {
            return Reason.IPV4_IHL;
        }
        int total = totalLength(seg, off);
        if (total < headerLength) {
            return headerLength > len ? Reason.IPV4_IHL : Reason.IPV4_LENGTH;
        }
        if (total > len) {
            return Reason.TRUNCATED;
        }
        if (!Checksum.verify(seg, off, headerLength)) {
            return Reason.BAD_CHECKSUM;
        }
        return Reason.OK;
    }

    public static int version(MemorySegment seg, long off) {
        return Wire.u8(seg, off) >>> 4;
    }

    /** IHL in bytes (20 to 60). */
    public static int headerLength(MemorySegment seg, long off) {
        return (Wire.u8(seg, off) & 0xF) * 4;
    }

    public static int tos(MemorySegment seg, long off) {
        return Wire.u8(seg, off + TOS_OFFSET);
    }

    public static int totalLength(MemorySegment seg, long off) {
        return Wire.u16(seg, off + TOTAL_LENGTH_OFFSET);
    }

    public static int id(MemorySegment seg, long off) {
        return Wire.u16(seg, off + ID_OFFSET);
    }

    /** The raw flags and fragment offset word (DF, MF, offset in 8-byte units). */
    public static int flagsFragment(MemorySegment seg, long off) {
        return Wire.u16(seg, off + FLAGS_FRAGMENT_OFFSET);
    }

    public static boolean dontFragment(MemorySegment seg, long off) {
        return (flagsFragment(seg, off) & DF) != 0;
    }

    public static boolean moreFragments(MemorySegment seg, long off) {
        return (flagsFragment(seg, off) & MF) != 0;
    }

    /** Fragment offset in 8-byte units, as on the wire. */
    public static int fragmentOffset(MemorySegment seg, long off) {
        return flagsFragment(seg, off) & FRAGMENT_OFFSET_MASK;
    }

    /** True for any fragment (first, middle or last), false for a whole datagram. */
    public static boolean isFragment(MemorySegment seg, long off) {
        return (flagsFragment(seg, off) & (MF | FRAGMENT_OFFSET_MASK)) != 0;
    }

    public static int ttl(MemorySegment seg, long off) {
        return Wire.u8(seg, off + TTL_OFFSET);
    }

    public static int protocol(MemorySegment seg, long off) {
        return Wire.u8(seg, off + PROTOCOL_OFFSET);
    }

    public static int checksum(MemorySegment seg, long off) {
        return Wire.u16(seg, off + CHECKSUM_OFFSET);
    }

    public static int src(MemorySegment seg, long off) {
        return Wire.i32(seg, off + SRC_OFFSET);
    }

    public static int dst(MemorySegment seg, long off) {
        return Wire.i32(seg, off + DST_OFFSET);
    }

    /**
     * Writes a 20-byte header (IHL 5, no options) with its checksum. The checksum is summed from the
     * argument values rather than read back from memory: this runs once per encapsulated packet.
     */
    public static void write(MemorySegment seg, long off, int tos, int totalLength, int id, int flagsFrag,
                             int ttl, int protocol, int src, int dst) {
        int word0 = 0x4500 | (tos & 0xFF);
        int length = totalLength & 0xFFFF;
        int ident = id & 0xFFFF;
        int frag = flagsFrag & 0xFFFF;
        int ttlProtocol = (ttl & 0xFF) << 8 | (protocol & 0xFF);
        long sum = word0 + length + ident + frag + ttlProtocol
                + (src >>> 16) + (src & 0xFFFF) + (dst >>> 16) + (dst & 0xFFFF);
        Wire.put32(seg, off, word0 << 16 | length);
        Wire.put32(seg, off + ID_OFFSET, ident << 16 | frag);
        Wire.put32(seg, off + TTL_OFFSET, ttlProtocol << 16 | Checksum.finish(sum));
        Wire.put32(seg, off + SRC_OFFSET, src);
        Wire.put32(seg, off + DST_OFFSET, dst);
    }

    /** Recomputes the header checksum from scratch (after several fields changed). */
    public static void fillChecksum(MemorySegment seg, long off) {
        Wire.put16(seg, off + CHECKSUM_OFFSET, 0);
        Wire.put16(seg, off + CHECKSUM_OFFSET, Checksum.compute(seg, off, headerLength(seg, off)));
    }

    /** Sets the TTL and patches the checksum incrementally (RFC 1624). */
    public static void setTtl(MemorySegment seg, long off, int ttl) {
        int oldWord = Wire.u16(seg, off + TTL_OFFSET);
        int newWord = (ttl & 0xFF) << 8 | (oldWord & 0xFF);
        Wire.put16(seg, off + TTL_OFFSET, newWord);
        Wire.put16(seg, off + CHECKSUM_OFFSET, Checksum.update16(checksum(seg, off), oldWord, newWord));
    }

    /**
     * Decrements the TTL of a forwarded datagram with an incremental checksum update.
     *
     * @return the new TTL; 0 means the datagram must not be forwarded (send time-exceeded instead)
     */
    public static int decTtl(MemorySegment seg, long off) {
        int ttl = ttl(seg, off);
        if (ttl == 0) {
            return 0;
        }
        setTtl(seg, off, ttl - 1);
        return ttl - 1;
    }

    /** Sets the total length with an incremental checksum update. */
    public static void setTotalLength(MemorySegment seg, long off, int totalLength) {
        int old = totalLength(seg, off);
        Wire.put16(seg, off + TOTAL_LENGTH_OFFSET, totalLength);
        Wire.put16(seg, off + CHECKSUM_OFFSET, Checksum.update16(checksum(seg, off), old, totalLength & 0xFFFF));
    }

    /** Unfolded sum of the pseudo-header (RFC 768 / RFC 793) for an upper-layer checksum. */
    public static long pseudoHeaderSum(MemorySegment seg, long off, int protocol, int upperLength) {
        return Integer.toUnsignedLong(src(seg, off)) + Integer.toUnsignedLong(dst(seg, off))
                + protocol + upperLength;
    }
}
