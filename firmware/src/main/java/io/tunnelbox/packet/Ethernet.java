package io.tunnelbox.packet;

import java.lang.foreign.MemorySegment;

/**
 * Ethernet II header (IEEE 802.3 clause 3), MAC addresses as the low 48 bits of a long.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   Destination MAC (6 octets)                  |
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |                     Source MAC (6 octets)                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           EtherType           |  (or TPID 0x8100, see {@link Vlan})
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Ethernet {
    public static final int HEADER = 14;
    public static final int DST_OFFSET = 0;
    public static final int SRC_OFFSET = 6;
    public static final int ETHER_TYPE_OFFSET = 12;
    public static final long BROADCAST = 0xFFFF_FFFF_FFFFL;

    private Ethernet() {
    }

    /** OK, or TRUNCATED when the frame is shorter than its header (including one 802.1Q tag if present). */
    public static int validate(MemorySegment seg, long off, long len) {
        if (len < HEADER || !Wire.fits(seg, off, len)) {
            return Reason.TRUNCATED;
        }
        if (etherType(seg, off) == Vlan.TPID && len < HEADER + Vlan.HEADER) {
            return Reason.TRUNCATED;
        }
        return Reason.OK;
    }

    public static long dst(MemorySegment seg, long off) {
        return Wire.u48(seg, off + DST_OFFSET);
    }

    public static long src(MemorySegment seg, long off) {
        return Wire.u48(seg, off + SRC_OFFSET);
    }

    /** The EtherType field right after the addresses (0x8100 for a tagged frame). */
    public static int etherType(MemorySegment seg, long off) {
        return Wire.u16(seg, off + ETHER_TYPE_OFFSET);
    }

    public static void setDst(MemorySegment seg, long off, long mac) {
        Wire.put48(seg, off + DST_OFFSET, mac);
    }

    public static void setSrc(MemorySegment seg, long off, long mac) {
        Wire.put48(seg, off + SRC_OFFSET, mac);
    }

    public static void setEtherType(MemorySegment seg, long off, int etherType) {
        Wire.put16(seg, off + ETHER_TYPE_OFFSET, etherType);
    }

    public static void write(MemorySegment seg, long off, long dst, long src, int etherType) {
        setDst(seg, off, dst);
        setSrc(seg, off, src);
        setEtherType(seg, off, etherType);
    }

    /** Group bit (I/G, the least significant bit of the first octet); broadcast is multicast too. */
    public static boolean isMulticast(long mac) {
        return (mac & 0x0100_0000_0000L) != 0;
    }

    public static boolean isBroadcast(long mac) {
        return (mac & BROADCAST) == BROADCAST;
    }

    public static boolean isTagged(MemorySegment seg, long off) {
        return etherType(seg, off) == Vlan.TPID;
    }

    /** Offset of the payload: after the header and, for a tagged frame, one 802.1Q tag. */
    public static long payloadOffset(MemorySegment seg, long off) {
        return isTagged(seg, off) ? off + HEADER + Vlan.HEADER : off + HEADER;
    }

    /** The EtherType of the payload, looking past one 802.1Q tag. */
    public static int payloadType(MemorySegment seg, long off) {
        return isTagged(seg, off) ? Wire.u16(seg, off + HEADER + 2) : etherType(seg, off);
    }

    /**
     * Inserts an 802.1Q tag (priority 0) by moving the two addresses 4 bytes to the front, so the
     * payload is not copied. The caller guarantees 4 bytes of headroom before off.
     *
     * @return the new frame offset, off - 4
     */
    public static long pushVlan(MemorySegment seg, long off, int vid) {
        long addrHigh = Wire.i64(seg, off);
        int addrLow = Wire.i32(seg, off + 8);
        long to = off - Vlan.HEADER;
        Wire.put64(seg, to, addrHigh);
        Wire.put32(seg, to + 8, addrLow);
        Wire.put16(seg, to + 12, Vlan.TPID);
        Wire.put16(seg, to + 14, vid & Vlan.VID_MASK);
        return to;
    }

    /**
     * Removes the 802.1Q tag of a tagged frame by moving the addresses 4 bytes back over it.
     *
     * @return the new frame offset, off + 4
     */
    public static long popVlan(MemorySegment seg, long off) {
        long addrHigh = Wire.i64(seg, off);
        int addrLow = Wire.i32(seg, off + 8);
        long to = off + Vlan.HEADER;
        Wire.put64(seg, to, addrHigh);
        Wire.put32(seg, to + 8, addrLow);
        return to;
    }
}
