package io.tunnelbox.packet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Network-order field access shared by the header flyweights. Every layout is unaligned: headers sit at
 * arbitrary offsets (a 14-byte Ethernet header puts IPv4 at an odd word boundary), and an aligned layout
 * read there would throw.
 */
public final class Wire {
    public static final ValueLayout.OfShort BE_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    public static final ValueLayout.OfInt BE_INT =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    public static final ValueLayout.OfLong BE_LONG =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private Wire() {
    }

    public static int u8(MemorySegment seg, long off) {
        return Byte.toUnsignedInt(seg.get(ValueLayout.JAVA_BYTE, off));
    }

    public static int u16(MemorySegment seg, long off) {
        return Short.toUnsignedInt(seg.get(BE_SHORT, off));
    }

    /** A 32-bit field as Java int (same bits; use Integer.toUnsignedLong to compare magnitudes). */
    public static int i32(MemorySegment seg, long off) {
        return seg.get(BE_INT, off);
    }

    public static long i64(MemorySegment seg, long off) {
        return seg.get(BE_LONG, off);
    }

    /** A 48-bit field (a MAC address) in the low bits of a long. */
    public static long u48(MemorySegment seg, long off) {
        return ((long) u16(seg, off) << 32) | Integer.toUnsignedLong(seg.get(BE_INT, off + 2));
    }

    public static void put8(MemorySegment seg, long off, int value) {
        seg.set(ValueLayout.JAVA_BYTE, off, (byte) value);
    }

    public static void put16(MemorySegment seg, long off, int value) {
        seg.set(BE_SHORT, off, (short) value);
    }

    public static void put32(MemorySegment seg, long off, int value) {
        seg.set(BE_INT, off, value);
    }

    public static void put64(MemorySegment seg, long off, long value) {
        seg.set(BE_LONG, off, value);
    }

    public static void put48(MemorySegment seg, long off, long value) {
        seg.set(BE_SHORT, off, (short) (value >>> 32));
        seg.set(BE_INT, off + 2, (int) value);
    }

    /** True when [off, off+len) lies inside seg; negative or overflowing ranges are false. */
    public static boolean fits(MemorySegment seg, long off, long len) {
        return off >= 0 && len >= 0 && off <= seg.byteSize() - len;
    }
}
