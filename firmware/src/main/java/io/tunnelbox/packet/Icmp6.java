package io.tunnelbox.packet;

import java.lang.foreign.MemorySegment;

/**
 * ICMPv6 (RFC 4443): echo and packet-too-big. The checksum covers the IPv6 pseudo-header, so the
 * methods that compute it take the offset of the IPv6 header as well.
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Identifier / MTU (32 bits for packet-too-big) / Sequence    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Icmp6 {
    public static final int HEADER = 8;
    public static final int DEST_UNREACHABLE = 1;
    public static final int PACKET_TOO_BIG = 2;
    public static final int TIME_EXCEEDED = 3;
    public static final int ECHO_REQUEST = 128;
    public static final int ECHO_REPLY = 129;
    public static final int CHECKSUM_OFFSET = 2;
    /** An error message must keep the whole packet within the IPv6 minimum MTU (RFC 4443 section 2.4 (c)). */
    public static final int MIN_MTU = 1280;
    public static final int MAX_QUOTED = MIN_MTU - Ipv6.HEADER - HEADER;

    private Icmp6() {
    }

    /**
     * Length and checksum of the {@code len}-byte message at icmpOff, carried by the IPv6 header at ipOff.
     */
    public static int validate(MemorySegment seg, long ipOff, long icmpOff, long len) {
        if (len < HEADER || len > 0xFFFF || !Wire.fits(seg, icmpOff, len)) {
            return Reason.TRUNCATED;
        }
        long sum = Checksum.sum(seg, icmpOff, (int) len, Ipv6.pseudoHeaderSum(seg, ipOff, IpProtocol.ICMPV6, (int) len));
        if (Checksum.fold(sum) != 0xFFFF) {
            return Reason.BAD_CHECKSUM;
        }
        return Reason.OK;
    }

    public static int type(MemorySegment seg, long off) {
        return Wire.u8(seg, off);
    }

    public static int code(MemorySegment seg, long off) {
        return Wire.u8(seg, off + 1);
    }

    public static int checksum(MemorySegment seg, long off) {
        return Wire.u16(seg, off + CHECKSUM_OFFSET);
    }

    public static int echoId(MemorySegment seg, long off) {
        return Wire.u16(seg, off + 4);
    }

    public static int echoSequence(MemorySegment seg, long off) {
        return Wire.u16(seg, off + 6);
    }

    /** The MTU of a packet-too-big message. */
    public static int mtu(MemorySegment seg, long off) {
        return Wire.i32(seg, off + 4);
    }

    /** Writes an echo header and its checksum; the data (len - 8 bytes) and the IPv6 header must be in place. */
    public static void writeEcho(MemorySegment seg, long ipOff, long off, int type, int id, int sequence, int len) {
        Wire.put16(seg, off, type << 8);
        Wire.put16(seg, off + 4, id);
        Wire.put16(seg, off + 6, sequence);
        fillChecksum(seg, ipOff, off, len);
    }

    /** Message length of an error quoting {@code originalLength} bytes of the offending packet. */
    public static int errorLength(long originalLength) {
        return HEADER + (int) Math.min(originalLength, MAX_QUOTED);
    }

    /**
     * Writes an error message (type, code, the 32-bit second word {@code rest}) quoting as much of the
     * original packet as the minimum MTU allows (RFC 4443 section 2.4 (c)). The IPv6 header at ipOff
     * must already hold the addresses (payload length {@link #errorLength}).
     *
     * @return the message length
     */
    public static int writeError(MemorySegment seg, long ipOff, long off, int type, int code, int rest,
                                 MemorySegment original, long originalOff, long originalLength) {
        int len = errorLength(originalLength);
        MemorySegment.copy(original, originalOff, seg, off + HEADER, len - HEADER);
        Wire.put16(seg, off, type << 8 | (code & 0xFF));
        Wire.put32(seg, off + 4, rest);
        fillChecksum(seg, ipOff, off, len);
        return len;
    }

    /** Packet too big (RFC 4443 section 3.2), telling the sender the MTU of the next link. */
    public static int writePacketTooBig(MemorySegment seg, long ipOff, long off, int mtu,
                                        MemorySegment original, long originalOff, long originalLength) {
        return writeError(seg, ipOff, off, PACKET_TOO_BIG, 0, mtu, original, originalOff, originalLength);
    }

    /** Time exceeded, hop limit exceeded in transit (RFC 4443 section 3.3, code 0). */
    public static int writeTimeExceeded(MemorySegment seg, long ipOff, long off,
                                        MemorySegment original, long originalOff, long originalLength) {
        return writeError(seg, ipOff, off, TIME_EXCEEDED, 0, 0, original, originalOff, originalLength);
    }

    public static void fillChecksum(MemorySegment seg, long ipOff, long off, int len) {
        Wire.put16(seg, off + CHECKSUM_OFFSET, 0);
        long sum = Checksum.sum(seg, off, len, Ipv6.pseudoHeaderSum(seg, ipOff, IpProtocol.ICMPV6, len));
        Wire.put16(seg, off + CHECKSUM_OFFSET, Checksum.finish(sum));
    }
}
