package io.tunnelbox.packet;

import java.lang.foreign.MemorySegment;

/**
 * ARP for IPv4 over Ethernet (RFC 826), the only kind the firmware answers or learns from.
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Hardware type (1)         |     Protocol type (0x0800)    |
 * |  HLEN (6)     |   PLEN (4)    |          Operation            |
 * |                  Sender hardware address (6)                  |
 * |                  Sender protocol address (4)                  |
 * |                  Target hardware address (6)                  |
 * |                  Target protocol address (4)                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Arp {
    public static final int HEADER = 28;
    public static final int REQUEST = 1;
    public static final int REPLY = 2;
    public static final int HTYPE_ETHERNET = 1;
    public static final int OPERATION_OFFSET = 6;
    public static final int SHA_OFFSET = 8;
    public static final int SPA_OFFSET = 14;
    public static final int THA_OFFSET = 18;
    public static final int TPA_OFFSET = 24;

    private Arp() {
    }

    public static int validate(MemorySegment seg, long off, long len) {
        if (len < HEADER || !Wire.fits(seg, off, len)) {
            return Reason.TRUNCATED;
        }
        if (Wire.u16(seg, off) != HTYPE_ETHERNET || Wire.u16(seg, off + 2) != EtherType.IPV4
                || Wire.u16(seg, off + 4) != 0x0604) {
            return Reason.ARP_FORMAT;
        }
        return Reason.OK;
    }

    public static int hardwareType(MemorySegment seg, long off) {
        return Wire.u16(seg, off);
    }

    public static int protocolType(MemorySegment seg, long off) {
        return Wire.u16(seg, off + 2);
    }

    public static int operation(MemorySegment seg, long off) {
        return Wire.u16(seg, off + OPERATION_OFFSET);
    }

    public static long senderMac(MemorySegment seg, long off) {
        return Wire.u48(seg, off + SHA_OFFSET);
    }

    public static int senderIp(MemorySegment seg, long off) {
        return Wire.i32(seg, off + SPA_OFFSET);
    }

    public static long targetMac(MemorySegment seg, long off) {
        return Wire.u48(seg, off + THA_OFFSET);
    }

    public static int targetIp(MemorySegment seg, long off) {
        return Wire.i32(seg, off + TPA_OFFSET);
    }

    public static void write(MemorySegment seg, long off, int operation, long senderMac, int senderIp,
                             long targetMac, int targetIp) {
        Wire.put16(seg, off, HTYPE_ETHERNET);
        Wire.put16(seg, off + 2, EtherType.IPV4);
        Wire.put16(seg, off + 4, 0x0604);
        Wire.put16(seg, off + OPERATION_OFFSET, operation);
        Wire.put48(seg, off + SHA_OFFSET, senderMac);
        Wire.put32(seg, off + SPA_OFFSET, senderIp);
        Wire.put48(seg, off + THA_OFFSET, targetMac);
        Wire.put32(seg, off + TPA_OFFSET, targetIp);
    }
}
