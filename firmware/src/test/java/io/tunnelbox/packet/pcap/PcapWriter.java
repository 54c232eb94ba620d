package io.tunnelbox.packet.pcap;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the classic libpcap format (microsecond timestamps, little-endian, version 2.4) that tcpdump,
 * tshark and scapy all read. For captures and tests, not the forwarding hot path.
 */
public final class PcapWriter implements AutoCloseable {
    public static final int MAGIC_MICROS = 0xA1B2C3D4;
    public static final int DEFAULT_SNAPLEN = 65535;

    private final OutputStream out;
    private final int snapLength;
    private final ByteBuffer recordHeader = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);

    public PcapWriter(OutputStream out, int linkType) throws IOException {
        this(out, linkType, DEFAULT_SNAPLEN);
    }

    public PcapWriter(OutputStream out, int linkType, int snapLength) throws IOException {
        this.out = out;
        this.snapLength = snapLength;
        ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(MAGIC_MICROS).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                .putInt(snapLength).putInt(linkType);
        out.write(header.array());
    }

    /** A writer to a new file (replacing one that exists). */
    public static PcapWriter create(Path file, int linkType) throws IOException {
        return new PcapWriter(new BufferedOutputStream(Files.newOutputStream(file)), linkType);
    }

    /** Writes one packet, cut to the snap length; {@code timestampNanos} is since the epoch. */
    public void write(long timestampNanos, byte[] data, int off, int len) throws IOException {
        int captured = Math.min(len, snapLength);
        long micros = Math.floorDiv(timestampNanos, 1000);
        recordHeader.clear();
        recordHeader.putInt((int) Math.floorDiv(micros, 1_000_000)).putInt(Math.floorMod(micros, 1_000_000))
                .putInt(captured).putInt(len);
        out.write(recordHeader.array());
        out.write(data, off, captured);
    }

    public void write(long timestampNanos, byte[] data) throws IOException {
        write(timestampNanos, data, 0, data.length);
    }

    public void write(long timestampNanos, MemorySegment seg, long off, int len) throws IOException {
        write(timestampNanos, seg.asSlice(off, len).toArray(ValueLayout.JAVA_BYTE));
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
