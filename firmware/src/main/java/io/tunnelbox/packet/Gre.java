package io.tunnelbox.packet;

import java.lang.foreign.MemorySegment;

/**
 * GRE header (RFC 2784) with the key and sequence number extensions (RFC 2890). Optional words appear in
 * the order checksum, key, sequence, each only when its flag is set.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |C| |K|S| Reserved0       | Ver |         Protocol Type         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      Checksum (optional)      |       Reserved1 (optional)    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Key (optional)                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 Sequence Number (optional)                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Gre {
    public static final int FLAGS_OFFSET = 0;
    public static final int PROTOCOL_OFFSET = 2;
    /** Checksum present. */
    public static final int C = 0x8000;
    /** Key present (RFC 2890). */
    public static final int K = 0x2000;
    /** Sequence number present (RFC 2890). */
    public static final int S = 0x1000;
    /**
     * Bits 1, 4 and 5 (RFC 1701's routing, strict-route and recursion bits): RFC 2784 section 2.3 says a
     * receiver that does not implement RFC 1701 must discard such a packet. Bits 6-12 are ignored.
     */
    public static final int RESERVED_MUST_BE_ZERO = 0x4C00;
    public static final int VERSION_MASK = 0x0007;
    /** The fixed part: flags, version and protocol type. */
    public static final int BASE_HEADER = 4;
    public static final int MAX_HEADER = 16;

    private Gre() {
    }

    /** Header length that a flags word implies: 4, plus 4 for each of C, K and S. */
    public static int headerLength(int flags) {
        return BASE_HEADER + ((flags & C) != 0 ? 4 : 0) + ((flags & K) != 0 ? 4 : 0) + ((flags & S) != 0 ? 4 : 0);
    }

    /**
     * Checks version 0, the reserved bits, that the optional words fit, and the checksum when present.
     *
     * @param len bytes of GRE header plus payload from off (the checksum covers all of them)
     */
    public static int validate(MemorySegment seg, long off, long len) {
        if (len < BASE_HEADER || !Wire.fits(seg, off, len)) {
            return Reason.TRUNCATED;
        }
        int flags = flags(seg, off);
        if ((flags & VERSION_MASK) != 0) {
            return Reason.GRE_VERSION;
        }
        if ((flags & RESERVED_MUST_BE_ZERO) != 0) {
            return Reason.GRE_RESERVED;
        }
        if (headerLength(flags) > len) {
            return Reason.TRUNCATED;
        }
        if ((flags & C) != 0 && (len > Integer.MAX_VALUE || !Checksum.verify(seg, off, (int) len))) {
            return Reason.BAD_CHECKSUM;
        }
        return Reason.OK;
    }

    /** The whole first 16-bit word: C/K/S flags, reserved bits and version. */
    public static int flags(MemorySegment seg, long off) {
        return Wire.u16(seg, off + FLAGS_OFFSET);
    }

    public static int version(MemorySegment seg, long off) {
        return flags(seg, off) & VERSION_MASK;
    }

    public static int protocol(MemorySegment seg, long off) {
        return Wire.u16(seg, off + PROTOCOL_OFFSET);
    }

    public static int headerLength(MemorySegment seg, long off) {
        return headerLength(flags(seg, off));
    }

    public static boolean hasChecksum(MemorySegment seg, long off) {
        return (flags(seg, off) & C) != 0;
    }

    public static boolean hasKey(MemorySegment seg, long off) {
        return (flags(seg, off) & K) != 0;
    }

    public static boolean hasSequence(MemorySegment seg, long off) {
        return (flags(seg, off) & S) != 0;
    }

    /** The checksum field (0 if C is clear). */
    public static int checksum(MemorySegment seg, long off) {
        return hasChecksum(seg, off) ? Wire.u16(seg, off + BASE_HEADER) : 0;
    }

    /** The key (0 if K is clear; check {@link #hasKey}). */
    public static int key(MemorySegment seg, long off) {
        int flags = flags(seg, off);
        if ((flags & K) == 0) {
            return 0;
        }
        return Wire.i32(seg, off + keyOffset(flags));
    }

    /** The sequence number (0 if S is clear; check {@link #hasSequence}). */
    public static int sequence(MemorySegment seg, long off) {
        int flags = flags(seg, off);
        if ((flags & S) == 0) {
            return 0;
        }
        return Wire.i32(seg, off + sequenceOffset(flags));
    }

    /** True when C is clear, or the checksum over the {@code len} bytes of header and payload is right. */
    public static boolean verifyChecksum(MemorySegment seg, long off, int len) {
        return !hasChecksum(seg, off) || Checksum.verify(seg, off, len);
    }

    /**
     * Writes a version-0 header with the optional words the C/K/S bits of {@code flags} ask for (other
     * bits are dropped). The checksum word is written as zero: call {@link #fillChecksum} once the
     * payload is in place.
     *
     * @return the header length written
     */
    public static int write(MemorySegment seg, long off, int flags, int protocol, int key, int sequence) {
        int f = flags & (C | K | S);
        Wire.put16(seg, off + FLAGS_OFFSET, f);
        Wire.put16(seg, off + PROTOCOL_OFFSET, protocol);
        if ((f & C) != 0) {
            Wire.put32(seg, off + BASE_HEADER, 0);
        }
        if ((f & K) != 0) {
            Wire.put32(seg, off + keyOffset(f), key);
        }
        if ((f & S) != 0) {
            Wire.put32(seg, off + sequenceOffset(f), sequence);
        }
        return headerLength(f);
    }

    public static void setSequence(MemorySegment seg, long off, int sequence) {
        Wire.put32(seg, off + sequenceOffset(flags(seg, off)), sequence);
    }

    /**
     * Computes the checksum over header and payload ({@code greAndPayloadLength} bytes) into its field;
     * does nothing when the header has no checksum field (C clear).
     */
    public static void fillChecksum(MemorySegment seg, long off, int greAndPayloadLength) {
        if (!hasChecksum(seg, off)) {
            return;
        }
        Wire.put16(seg, off + BASE_HEADER, 0);
        Wire.put16(seg, off + BASE_HEADER, Checksum.compute(seg, off, greAndPayloadLength));
    }

    private static int keyOffset(int flags) {
        return BASE_HEADER + ((flags & C) != 0 ? 4 : 0);
    }

    private static int sequenceOffset(int flags) {
        return keyOffset(flags) + ((flags & K) != 0 ? 4 : 0);
    }
}
