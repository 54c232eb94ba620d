package io.tunnelbox.packet;

import java.lang.foreign.MemorySegment;

/**
 * The Internet checksum (RFC 1071): a ones-complement sum of 16-bit words, and its incremental update
 * (RFC 1624, eqn. 3) so a router can patch one field without summing the whole header again.
 */
public final class Checksum {
    private Checksum() {
    }

    /**
     * Adds the bytes [off, off+len) to an unfolded running sum. Words are taken eight bytes at a time,
     * as two 32-bit halves: with end-around carry, summing 32-bit words and folding equals summing 16-bit
     * words (RFC 1071 section 2(C)). An odd last byte is padded with zero (RFC 1071 section 4.1). Sums of
     * different ranges may be added together as long as every range but the last starts at an even
     * distance from the first. A long accumulator cannot overflow below 2^31 bytes.
     */
    public static long sum(MemorySegment seg, long off, int len, long initial) {
        long acc = initial;
        long p = off;
        long end = off + len;
        while (p + 8 <= end) {
            long v = Wire.i64(seg, p);
            acc += (v >>> 32) + (v & 0xFFFF_FFFFL);
            p += 8;
        }
        if (p + 4 <= end) {
            acc += Integer.toUnsignedLong(Wire.i32(seg, p));
            p += 4;
        }
        if (p + 2 <= end) {
            acc += Wire.u16(seg, p);
            p += 2;
        }
        if (p < end) {
            acc += Wire.u8(seg, p) << 8;
        }
        return acc;
    }

    public static long sum(MemorySegment seg, long off, int len) {
        return sum(seg, off, len, 0);
    }

    /** Folds a running sum to 16 bits with end-around carry. */
    public static int fold(long sum) {
        long s = (sum & 0xFFFF_FFFFL) + (sum >>> 32);
        s = (s & 0xFFFF) + (s >>> 16);
        s = (s & 0xFFFF) + (s >>> 16);
        s = (s & 0xFFFF) + (s >>> 16);
        return (int) s;
    }

    /** The checksum field value for a running sum: the complement of the folded sum. */
    public static int finish(long sum) {
        return ~fold(sum) & 0xFFFF;
    }

    /** Checksum over a range whose checksum field is zero (or which has none). */
    public static int compute(MemorySegment seg, long off, int len) {
        return finish(sum(seg, off, len, 0));
    }

    /** A range that contains its own correct checksum sums to 0xFFFF. */
    public static boolean verify(MemorySegment seg, long off, int len) {
        return fold(sum(seg, off, len, 0)) == 0xFFFF;
    }

    /** RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m') for one 16-bit word changing from m to m'. */
    public static int update16(int checksum, int oldWord, int newWord) {
        long s = (~checksum & 0xFFFF) + (~oldWord & 0xFFFF) + (newWord & 0xFFFF);
        return ~fold(s) & 0xFFFF;
    }

    /** As {@link #update16} for a 32-bit field (an address). */
    public static int update32(int checksum, int oldValue, int newValue) {
        long s = (~checksum & 0xFFFF)
                + (~(oldValue >>> 16) & 0xFFFF) + (~oldValue & 0xFFFF)
                + ((newValue >>> 16) & 0xFFFF) + (newValue & 0xFFFF);
        return ~fold(s) & 0xFFFF;
    }
}
