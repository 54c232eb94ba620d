package io.tunnelbox.packet;

import java.lang.foreign.MemorySegment;

/**
 * UDP header (RFC 768).
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            Length             |           Checksum            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Udp {
    public static final int HEADER = 8;
    public static final int SRC_PORT_OFFSET = 0;
    public static final int DST_PORT_OFFSET = 2;
    public static final int LENGTH_OFFSET = 4;
    public static final int CHECKSUM_OFFSET = 6;

    private Udp() {
    }

    /** Checks the length field against the header and the buffer ({@code len} bytes from off). */
    public static int validate(MemorySegment seg, long off, long len) {
        if (len < HEADER || !Wire.fits(seg, off, len)) {
            return Reason.TRUNCATED;
        }
        int length = length(seg, off);
        if (length < HEADER) {
            return Reason.UDP_LENGTH;
        }
        if (length > len) {
            return Reason.TRUNCATED;
        }
        return Reason.OK;
    }

    public static int srcPort(MemorySegment seg, long off) {
        return Wire.u16(seg, off + SRC_PORT_OFFSET);
    }

    public static int dstPort(MemorySegment seg, long off) {
        return Wire.u16(seg, off + DST_PORT_OFFSET);
    }

    public static int length(MemorySegment seg, long off) {
        return Wire.u16(seg, off + LENGTH_OFFSET);
    }

    public static int checksum(MemorySegment seg, long off) {
        return Wire.u16(seg, off + CHECKSUM_OFFSET);
    }

    /** Writes the header with the given checksum field (0 = none, allowed over IPv4 only). */
    public static void write(MemorySegment seg, long off, int srcPort, int dstPort, int length, int checksum) {
        Wire.put16(seg, off + SRC_PORT_OFFSET, srcPort);
        Wire.put16(seg, off + DST_PORT_OFFSET, dstPort);
        Wire.put16(seg, off + LENGTH_OFFSET, length);
        Wire.put16(seg, off + CHECKSUM_OFFSET, checksum);
    }

    /** Checksum over the IPv4 pseudo-header and the datagram at udpOff (its length field decides the range). */
    public static int computeChecksum4(MemorySegment seg, long ipOff, long udpOff) {
        int length = length(seg, udpOff);
        return nonZero(finishWithoutField(seg, udpOff, length, Ipv4.pseudoHeaderSum(seg, ipOff, IpProtocol.UDP, length)));
    }

    public static int computeChecksum6(MemorySegment seg, long ipOff, long udpOff) {
        int length = length(seg, udpOff);
        return nonZero(finishWithoutField(seg, udpOff, length, Ipv6.pseudoHeaderSum(seg, ipOff, IpProtocol.UDP, length)));
    }

    public static void fillChecksum4(MemorySegment seg, long ipOff, long udpOff) {
        Wire.put16(seg, udpOff + CHECKSUM_OFFSET, computeChecksum4(seg, ipOff, udpOff));
    }

    public static void fillChecksum6(MemorySegment seg, long ipOff, long udpOff) {
        Wire.put16(seg, udpOff + CHECKSUM_OFFSET, computeChecksum6(seg, ipOff, udpOff));
    }

    /** True when the checksum is right or absent (zero means "not computed" over IPv4, RFC 768). */
    public static boolean verify4(MemorySegment seg, long ipOff, long udpOff) {
        int field = checksum(seg, udpOff);
        return field == 0 || field == computeChecksum4(seg, ipOff, udpOff);
    }

    /** True when the checksum is right; over IPv6 a zero checksum is invalid (RFC 8200 section 8.1). */
    public static boolean verify6(MemorySegment seg, long ipOff, long udpOff) {
        int field = checksum(seg, udpOff);
        return field != 0 && field == computeChecksum6(seg, ipOff, udpOff);
    }

    private static int finishWithoutField(MemorySegment seg, long udpOff, int length, long pseudo) {
        long sum = Checksum.sum(seg, udpOff, length, pseudo) - checksum(seg, udpOff);
        return Checksum.finish(sum);
    }

    /** A computed zero is sent as 0xFFFF, zero meaning "no checksum" (RFC 768). */
    private static int nonZero(int checksum) {
        return checksum == 0 ? 0xFFFF : checksum;
    }
}
