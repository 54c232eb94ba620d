package io.tunnelbox.packet;

import java.lang.foreign.MemorySegment;

/**
 * VXLAN header (RFC 7348 section 5), carried in UDP to port 4789.
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |R|R|R|R|I|R|R|R|            Reserved                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                VXLAN Network Identifier (VNI) |   Reserved    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Vxlan {
    public static final int HEADER = 8;
    public static final int PORT = 4789;
    /** The I flag in the first octet: the VNI is valid. */
    public static final int FLAG_I = 0x08;
    public static final int VNI_OFFSET = 4;
    public static final int MAX_VNI = 0xFF_FFFF;
    /** First port of the IANA dynamic range that RFC 7348 recommends for the source port. */
    public static final int SOURCE_PORT_MIN = 49152;

    private Vxlan() {
    }

    /** Only the I flag is checked: reserved bits are ignored on receipt (RFC 7348 section 5). */
    public static int validate(MemorySegment seg, long off, long len) {
        if (len < HEADER || !Wire.fits(seg, off, len)) {
            return Reason.TRUNCATED;
        }
        if ((Wire.u8(seg, off) & FLAG_I) == 0) {
            return Reason.VXLAN_FLAGS;
        }
        return Reason.OK;
    }

    public static int flags(MemorySegment seg, long off) {
        return Wire.u8(seg, off);
    }

    public static int vni(MemorySegment seg, long off) {
        return Wire.i32(seg, off + VNI_OFFSET) >>> 8;
    }

    /** Writes the I flag and the VNI; every reserved field is zero. */
    public static void write(MemorySegment seg, long off, int vni) {
        Wire.put32(seg, off, FLAG_I << 24);
        Wire.put32(seg, off + VNI_OFFSET, (vni & MAX_VNI) << 8);
    }

    /**
     * A UDP source port in 49152-65535 from a flow hash ({@link FlowHash#of}), so ECMP in the underlay
     * spreads flows while keeping each flow on one path (RFC 7348 section 5, "Source Port").
     */
    public static int sourcePort(int hash) {
        int h = hash ^ (hash >>> 16);
        return SOURCE_PORT_MIN + (h & 0x3FFF);
    }
}
