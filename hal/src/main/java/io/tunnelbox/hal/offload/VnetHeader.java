package io.tunnelbox.hal.offload;

import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * struct virtio_net_hdr (the legacy 10 bytes), which a TUN/TAP device opened with IFF_VNET_HDR puts
 * in front of every packet, in the host's byte order (include/uapi/linux/virtio_net.h):
 *
 * <pre>
 *  0 flags (1)   1 gso_type (1)   2 hdr_len (2)   4 gso_size (2)   6 csum_start (2)   8 csum_offset (2)
 * </pre>
 *
 * {@code gso_type} says whether the packet is a super-frame to be cut into {@code gso_size}-byte
 * TCP payloads; {@code F_NEEDS_CSUM} says the L4 checksum at {@code csum_start + csum_offset} holds
 * only the pseudo-header sum and the rest is still to be added from {@code csum_start} on.
 */
public final class VnetHeader {
    public static final int SIZE = 10;
    public static final int F_NEEDS_CSUM = 1, F_DATA_VALID = 2;
    public static final int GSO_NONE = 0, GSO_TCPV4 = 1, GSO_UDP = 3, GSO_TCPV6 = 4, GSO_UDP_L4 = 5, GSO_ECN = 0x80;
    static final int FLAGS = 0, GSO_TYPE = 1, HDR_LEN = 2, GSO_SIZE = 4, CSUM_START = 6, CSUM_OFFSET = 8;
    private static final ValueLayout.OfShort HOST_SHORT = JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.nativeOrder());

    private VnetHeader() {
    }

    public static int flags(MemorySegment m, long off) {
        return m.get(ValueLayout.JAVA_BYTE, off + FLAGS) & 0xff;
    }

    public static int gsoType(MemorySegment m, long off) {
        return m.get(ValueLayout.JAVA_BYTE, off + GSO_TYPE) & 0xff;
    }

    public static int hdrLen(MemorySegment m, long off) {
        return Short.toUnsignedInt(m.get(HOST_SHORT, off + HDR_LEN));
    }

    public static int gsoSize(MemorySegment m, long off) {
        return Short.toUnsignedInt(m.get(HOST_SHORT, off + GSO_SIZE));
    }

    public static int csumStart(MemorySegment m, long off) {
        return Short.toUnsignedInt(m.get(HOST_SHORT, off + CSUM_START));
    }

    public static int csumOffset(MemorySegment m, long off) {
        return Short.toUnsignedInt(m.get(HOST_SHORT, off + CSUM_OFFSET));
    }

    public static void write(MemorySegment m, long off, int flags, int gsoType, int hdrLen, int gsoSize,
                             int csumStart, int csumOffset) {
        m.set(ValueLayout.JAVA_BYTE, off + FLAGS, (byte) flags);
        m.set(ValueLayout.JAVA_BYTE, off + GSO_TYPE, (byte) gsoType);
        m.set(HOST_SHORT, off + HDR_LEN, (short) hdrLen);
        m.set(HOST_SHORT, off + GSO_SIZE, (short) gsoSize);
        m.set(HOST_SHORT, off + CSUM_START, (short) csumStart);
        m.set(HOST_SHORT, off + CSUM_OFFSET, (short) csumOffset);
    }
}
