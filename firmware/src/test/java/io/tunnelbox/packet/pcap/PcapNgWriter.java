package io.tunnelbox.packet.pcap;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes pcapng (draft-ietf-opsawg-pcapng): one section, one interface with nanosecond timestamps
 * (option if_tsresol = 9), one Enhanced Packet Block per packet. Little-endian.
 */
public final class PcapNgWriter implements AutoCloseable {
    static final int SECTION_HEADER = 0x0A0D0D0A;
    static final int INTERFACE_DESCRIPTION = 1;
    static final int SIMPLE_PACKET = 3;
    static final int ENHANCED_PACKET = 6;
    static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    static final int OPTION_END = 0;
    static final int OPTION_TSRESOL = 9;

    private final OutputStream out;
    private final int snapLength;

    public PcapNgWriter(OutputStream out, int linkType) throws IOException {
        this(out, linkType, PcapWriter.DEFAULT_SNAPLEN);
    }

    public PcapNgWriter(OutputStream out, int linkType, int snapLength) throws IOException {
        this.out = out;
        this.snapLength = snapLength;
        ByteBuffer shb = block(SECTION_HEADER, 28);
        shb.putInt(BYTE_ORDER_MAGIC).putShort((short) 1).putShort((short) 0).putLong(-1L); // length unknown
        out.write(finish(shb));
        ByteBuffer idb = block(INTERFACE_DESCRIPTION, 32);
        idb.putShort((short) linkType).putShort((short) 0).putInt(snapLength);
        idb.putShort((short) OPTION_TSRESOL).putShort((short) 1).put((byte) 9).put(new byte[3]);
        idb.putShort((short) OPTION_END).putShort((short) 0);
        out.write(finish(idb));
    }

    public static PcapNgWriter create(Path file, int linkType) throws IOException {
        return new PcapNgWriter(new BufferedOutputStream(Files.newOutputStream(file)), linkType);
    }

    /** Writes one packet, cut to the snap length; {@code timestampNanos} is since the epoch. */
    public void write(long timestampNanos, byte[] data, int off, int len) throws IOException {
        int captured = Math.min(len, snapLength);
        int padded = (captured + 3) & ~3;
        ByteBuffer epb = block(ENHANCED_PACKET, 32 + padded);
        epb.putInt(0).putInt((int) (timestampNanos >>> 32)).putInt((int) timestampNanos).putInt(captured).putInt(len);
        epb.put(data, off, captured).put(new byte[padded - captured]);
        out.write(finish(epb));
    }

    public void write(long timestampNanos, byte[] data) throws IOException {
        write(timestampNanos, data, 0, data.length);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    private static ByteBuffer block(int type, int totalLength) {
        return ByteBuffer.allocate(totalLength).order(ByteOrder.LITTLE_ENDIAN).putInt(type).putInt(totalLength);
    }

    private static byte[] finish(ByteBuffer block) {
        block.putInt(block.capacity());
        return block.array();
    }
}
