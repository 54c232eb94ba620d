package io.tunnelbox.packet.pcap;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads classic libpcap files in either byte order, with microsecond or nanosecond timestamps.
 * A damaged file gives an IOException saying what is wrong and where, never a half-read record.
 */
public final class PcapReader implements CaptureReader {
    static final int MAGIC_NANOS = 0xA1B23C4D;
    /** Larger records are refused rather than allocated: no real link has frames this big. */
    static final int MAX_RECORD = 256 * 1024;

    private final InputStream in;
    private final ByteOrder order;
    private final boolean nanos;
    private final int linkType;
    private final int snapLength;
    private long recordIndex;

    public PcapReader(InputStream in) throws IOException {
        this.in = in;
        byte[] header = readFully(24, "file header");
        ByteBuffer b = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        int magic = b.getInt(0);
        if (magic == PcapWriter.MAGIC_MICROS || magic == MAGIC_NANOS) {
            order = ByteOrder.LITTLE_ENDIAN;
        } else if (Integer.reverseBytes(magic) == PcapWriter.MAGIC_MICROS || Integer.reverseBytes(magic) == MAGIC_NANOS) {
            order = ByteOrder.BIG_ENDIAN;
        } else {
            throw new IOException(String.format("not a pcap file: magic 0x%08x", magic));
        }
        b.order(order);
        nanos = b.getInt(0) == MAGIC_NANOS;
        snapLength = b.getInt(16);
        linkType = b.getInt(20) & 0x0FFF_FFFF;
    }

    public static PcapReader open(Path file) throws IOException {
        return new PcapReader(new BufferedInputStream(Files.newInputStream(file)));
    }

    @Override
    public int linkType() {
        return linkType;
    }

    public int snapLength() {
        return snapLength;
    }

    @Override
    public PcapRecord next() throws IOException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        byte[] rest = readFully(15, "record " + recordIndex + " header");
        ByteBuffer b = ByteBuffer.allocate(16).order(order);
        b.put((byte) first).put(rest).flip();
        long seconds = Integer.toUnsignedLong(b.getInt());
        long fraction = Integer.toUnsignedLong(b.getInt());
        int captured = b.getInt();
        int original = b.getInt();
        if (captured < 0 || captured > MAX_RECORD) {
            throw new IOException("record " + recordIndex + ": captured length " + Integer.toUnsignedString(captured)
                    + " exceeds " + MAX_RECORD);
        }
        byte[] data = readFully(captured, "record " + recordIndex + " data");
        recordIndex++;
        long timestamp = seconds * 1_000_000_000L + (nanos ? fraction : fraction * 1000);
        return new PcapRecord(timestamp, original, data);
    }

    private byte[] readFully(int n, String what) throws IOException {
        byte[] buf = new byte[n];
        int got = in.readNBytes(buf, 0, n);
        if (got < n) {
            throw new EOFException("pcap " + what + " truncated: expected " + n + " bytes, got " + got);
        }
        return buf;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
