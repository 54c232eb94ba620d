package io.tunnelbox.packet;

import java.lang.foreign.MemorySegment;

/**
 * IPv6 fixed header (RFC 8200 section 3); addresses as two longs (high and low 64 bits).
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Traffic Class |           Flow Label                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Payload Length        |  Next Header  |   Hop Limit   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Source Address (16 octets)                   |
 * |                Destination Address (16 octets)                |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Ipv6 {
    public static final int HEADER = 40;
    public static final int PAYLOAD_LENGTH_OFFSET = 4;
    public static final int NEXT_HEADER_OFFSET = 6;
    public static final int HOP_LIMIT_OFFSET = 7;
    public static final int SRC_OFFSET = 8;
    public static final int DST_OFFSET = 24;
    /** Extension headers followed at most; a longer chain is treated as malformed. */
    static final int MAX_EXTENSIONS = 16;

    private Ipv6() {
    }

    /** Checks version and that the payload length fits the buffer ({@code len} bytes from off). */
    public static int validate(MemorySegment seg, long off, long len) {
        if (len < HEADER || !Wire.fits(seg, off, len)) {
            return Reason.TRUNCATED;
        }
        if (version(seg, off) != 6) {
            return Reason.IP_VERSION;
        }
        if (HEADER + payloadLength(seg, off) > len) {
            return Reason.TRUNCATED;
        }
        return Reason.OK;
    }

    public static int version(MemorySegment seg, long off) {
        return Wire.u8(seg, off) >>> 4;
    }

    public static int trafficClass(MemorySegment seg, long off) {
        return (Wire.i32(seg, off) >>> 20) & 0xFF;
    }

    public static int flowLabel(MemorySegment seg, long off) {
        return Wire.i32(seg, off) & 0xFFFFF;
    }

    public static int payloadLength(MemorySegment seg, long off) {
        return Wire.u16(seg, off + PAYLOAD_LENGTH_OFFSET);
    }

    public static int nextHeader(MemorySegment seg, long off) {
        return Wire.u8(seg, off + NEXT_HEADER_OFFSET);
    }

    public static int hopLimit(MemorySegment seg, long off) {
        return Wire.u8(seg, off + HOP_LIMIT_OFFSET);
    }

    public static long srcHigh(MemorySegment seg, long off) {
        return Wire.i64(seg, off + SRC_OFFSET);
    }

    public static long srcLow(MemorySegment seg, long off) {
        return Wire.i64(seg, off + SRC_OFFSET + 8);
    }

    public static long dstHigh(MemorySegment seg, long off) {
        return Wire.i64(seg, off + DST_OFFSET);
    }

    public static long dstLow(MemorySegment seg, long off) {
        return Wire.i64(seg, off + DST_OFFSET + 8);
    }

    public static void setHopLimit(MemorySegment seg, long off, int hopLimit) {
        Wire.put8(seg, off + HOP_LIMIT_OFFSET, hopLimit);
    }

    public static void setPayloadLength(MemorySegment seg, long off, int payloadLength) {
        Wire.put16(seg, off + PAYLOAD_LENGTH_OFFSET, payloadLength);
    }

    public static void write(MemorySegment seg, long off, int trafficClass, int flowLabel, int payloadLength,
                             int nextHeader, int hopLimit, long srcHigh, long srcLow, long dstHigh, long dstLow) {
        Wire.put32(seg, off, 6 << 28 | (trafficClass & 0xFF) << 20 | (flowLabel & 0xFFFFF));
        Wire.put16(seg, off + PAYLOAD_LENGTH_OFFSET, payloadLength);
        Wire.put8(seg, off + NEXT_HEADER_OFFSET, nextHeader);
        Wire.put8(seg, off + HOP_LIMIT_OFFSET, hopLimit);
        Wire.put64(seg, off + SRC_OFFSET, srcHigh);
        Wire.put64(seg, off + SRC_OFFSET + 8, srcLow);
        Wire.put64(seg, off + DST_OFFSET, dstHigh);
        Wire.put64(seg, off + DST_OFFSET + 8, dstLow);
    }

    /**
     * Finds the upper-layer header by skipping hop-by-hop, routing, fragment, destination-options and AH
     * extension headers (RFC 8200 section 4) within the first {@code len} bytes at off.
     *
     * A non-first fragment stops at its fragment header (protocol 44), having no upper-layer header.
     *
     * @return {@code protocol << 32 | offset-from-off} (read them with {@link #protocol(long)} and
     *     {@link #offset(long)}), or a negative reason code when the chain runs past the buffer
     */
    public static long upperLayer(MemorySegment seg, long off, long len) {
        if (len < HEADER || !Wire.fits(seg, off, len)) {
            return -Reason.TRUNCATED;
        }
        long limit = Math.min(len, HEADER + (long) payloadLength(seg, off));
        int next = nextHeader(seg, off);
        long pos = HEADER;
        for (int i = 0; i < MAX_EXTENSIONS; i++) {
            long extLength;
            switch (next) {
                case IpProtocol.HOP_BY_HOP, IpProtocol.IPV6_ROUTING, IpProtocol.IPV6_DESTINATION -> {
                    if (pos + 2 > limit) {
                        return -Reason.IPV6_EXTENSION;
                    }
                    extLength = (Wire.u8(seg, off + pos + 1) + 1L) * 8;
                }
                case IpProtocol.IPV6_FRAGMENT -> {
                    if (pos + 8 > limit) {
                        return -Reason.IPV6_EXTENSION;
                    }
                    if ((Wire.u16(seg, off + pos + 2) & 0xFFF8) != 0) {
                        // A later fragment carries no upper-layer header: report the fragment header.
                        return (long) IpProtocol.IPV6_FRAGMENT << 32 | pos;
                    }
                    extLength = 8;
                }
                case IpProtocol.AH -> {
                    if (pos + 2 > limit) {
                        return -Reason.IPV6_EXTENSION;
                    }
                    extLength = (Wire.u8(seg, off + pos + 1) + 2L) * 4;
                }
                default -> {
                    return (long) next << 32 | pos;
                }
            }
            if (pos + extLength > limit) {
                return -Reason.IPV6_EXTENSION;
            }
            next = Wire.u8(seg, off + pos);
            pos += extLength;
        }
        return -Reason.IPV6_EXTENSION;
    }

    /** Protocol part of an {@link #upperLayer} result. */
    public static int protocol(long upperLayer) {
        return (int) (upperLayer >>> 32);
    }

    /** Offset part (from the IPv6 header) of an {@link #upperLayer} result. */
    public static int offset(long upperLayer) {
        return (int) upperLayer;
    }

    /** Unfolded sum of the pseudo-header (RFC 8200 section 8.1) for an upper-layer checksum. */
    public static long pseudoHeaderSum(MemorySegment seg, long off, int protocol, int upperLength) {
        return Checksum.sum(seg, off + SRC_OFFSET, 32, 0) + protocol + upperLength;
    }
}
