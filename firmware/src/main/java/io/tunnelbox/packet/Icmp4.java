package io.tunnelbox.packet;

import java.lang.foreign.MemorySegment;

/**
 * ICMP for IPv4 (RFC 792): echo and the error messages a router sends, notably destination unreachable /
 * fragmentation needed with the next-hop MTU (RFC 1191 section 4).
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Identifier (echo) / unused   | Sequence (echo) / next-hop MTU|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     echo data, or the original IP header + first 8 bytes     |
 * </pre>
 */
public final class Icmp4 {
    public static final int HEADER = 8;
    public static final int ECHO_REPLY = 0;
    public static final int DEST_UNREACHABLE = 3;
    public static final int ECHO_REQUEST = 8;
    public static final int TIME_EXCEEDED = 11;
    /** Destination unreachable code: fragmentation needed and DF set. */
    public static final int CODE_FRAG_NEEDED = 4;
    public static final int CHECKSUM_OFFSET = 2;
    public static final int ID_OFFSET = 4;
    public static final int SEQUENCE_OFFSET = 6;
    public static final int MTU_OFFSET = 6;
    /** Bytes of the offending datagram's payload quoted after its header (RFC 792). */
    public static final int QUOTED_PAYLOAD = 8;

    private Icmp4() {
    }

    /** Length and checksum over the {@code len} bytes of the message. */
    public static int validate(MemorySegment seg, long off, long len) {
        if (len < HEADER || len > 0xFFFF || !Wire.fits(seg, off, len)) {
            return Reason.TRUNCATED;
        }
        if (!Checksum.verify(seg, off, (int) len)) {
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
        return Wire.u16(seg, off + ID_OFFSET);
    }

    public static int echoSequence(MemorySegment seg, long off) {
        return Wire.u16(seg, off + SEQUENCE_OFFSET);
    }

    /** Next-hop MTU of a fragmentation-needed message. */
    public static int nextHopMtu(MemorySegment seg, long off) {
        return Wire.u16(seg, off + MTU_OFFSET);
    }

    /** Writes an echo request or reply header; the data (len - 8 bytes) must already follow it. */
    public static void writeEcho(MemorySegment seg, long off, int type, int id, int sequence, int len) {
        Wire.put16(seg, off, type << 8);
        Wire.put16(seg, off + CHECKSUM_OFFSET, 0);
        Wire.put16(seg, off + ID_OFFSET, id);
        Wire.put16(seg, off + SEQUENCE_OFFSET, sequence);
        fillChecksum(seg, off, len);
    }

    /**
     * Turns an echo request into the reply in place: only the type changes, so the checksum is patched
     * incrementally.
     */
    public static void echoRequestToReply(MemorySegment seg, long off) {
        int oldWord = Wire.u16(seg, off);
        int newWord = ECHO_REPLY << 8 | (oldWord & 0xFF);
        Wire.put16(seg, off, newWord);
        Wire.put16(seg, off + CHECKSUM_OFFSET, Checksum.update16(checksum(seg, off), oldWord, newWord));
    }

    /** Message length of an error quoting a datagram of {@code originalLength} bytes with a {@code ihl}-byte header. */
    public static int errorLength(int ihl, long originalLength) {
        return HEADER + (int) Math.min(ihl + QUOTED_PAYLOAD, originalLength);
    }

    /**
     * Writes an error message (type, code, the second word {@code rest}) quoting the original datagram's
     * header and first 8 payload bytes, with its checksum.
     *
     * @param original the segment holding the offending datagram at {@code originalOff}, {@code originalLength} bytes
     * @return the message length
     */
    public static int writeError(MemorySegment seg, long off, int type, int code, int rest,
                                 MemorySegment original, long originalOff, long originalLength) {
        int quoted = errorLength(Ipv4.headerLength(original, originalOff), originalLength) - HEADER;
        MemorySegment.copy(original, originalOff, seg, off + HEADER, quoted);
        Wire.put16(seg, off, type << 8 | (code & 0xFF));
        Wire.put16(seg, off + CHECKSUM_OFFSET, 0);
        Wire.put32(seg, off + 4, rest);
        fillChecksum(seg, off, HEADER + quoted);
        return HEADER + quoted;
    }

    /** Destination unreachable / fragmentation needed, telling the sender the next-hop MTU. */
    public static int writeFragNeeded(MemorySegment seg, long off, int nextHopMtu,
                                      MemorySegment original, long originalOff, long originalLength) {
        return writeError(seg, off, DEST_UNREACHABLE, CODE_FRAG_NEEDED, nextHopMtu & 0xFFFF,
                original, originalOff, originalLength);
    }

    /** Time exceeded in transit (code 0), for a datagram whose TTL ran out. */
    public static int writeTimeExceeded(MemorySegment seg, long off,
                                        MemorySegment original, long originalOff, long originalLength) {
        return writeError(seg, off, TIME_EXCEEDED, 0, 0, original, originalOff, originalLength);
    }

    public static void fillChecksum(MemorySegment seg, long off, int len) {
        Wire.put16(seg, off + CHECKSUM_OFFSET, 0);
        Wire.put16(seg, off + CHECKSUM_OFFSET, Checksum.compute(seg, off, len));
    }
}
