package io.tunnelbox.packet;

import java.lang.foreign.MemorySegment;

/**
 * The IEEE 802.1Q tag that follows the source MAC of a tagged frame; offsets here are of the frame.
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         TPID 0x8100           | PCP |D|         VID           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     inner EtherType           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Vlan {
    public static final int TPID = EtherType.VLAN;
    /** Bytes a tag adds to a frame. */
    public static final int HEADER = 4;
    public static final int TCI_OFFSET = 14;
    public static final int VID_MASK = 0x0FFF;

    private Vlan() {
    }

    /** VLAN id of a tagged frame starting at off. */
    public static int vid(MemorySegment seg, long off) {
        return Wire.u16(seg, off + TCI_OFFSET) & VID_MASK;
    }

    /** Priority code point of a tagged frame. */
    public static int pcp(MemorySegment seg, long off) {
        return Wire.u16(seg, off + TCI_OFFSET) >>> 13;
    }

    /** EtherType carried after the tag. */
    public static int innerEtherType(MemorySegment seg, long off) {
        return Wire.u16(seg, off + TCI_OFFSET + 2);
    }

    public static void setVid(MemorySegment seg, long off, int vid) {
        int tci = Wire.u16(seg, off + TCI_OFFSET);
        Wire.put16(seg, off + TCI_OFFSET, (tci & ~VID_MASK) | (vid & VID_MASK));
    }

    public static void setPcp(MemorySegment seg, long off, int pcp) {
        int tci = Wire.u16(seg, off + TCI_OFFSET);
        Wire.put16(seg, off + TCI_OFFSET, (tci & 0x1FFF) | (pcp & 7) << 13);
    }
}
