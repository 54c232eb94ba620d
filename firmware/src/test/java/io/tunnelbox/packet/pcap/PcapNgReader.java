package io.tunnelbox.packet.pcap;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads pcapng: sections in either byte order, several interfaces (each with its link type and
 * timestamp resolution), Enhanced and Simple Packet Blocks; other blocks are skipped. A damaged file
 * gives an IOException saying which block is wrong.
 */
public final class PcapNgReader implements CaptureReader {
    /** Larger blocks are refused rather than allocated. */
    static final int MAX_BLOCK = 1 << 20;

    private final InputStream in;
    private ByteOrder order = ByteOrder.LITTLE_ENDIAN;
    private final List<Interface> interfaces = new ArrayList<>();
    private int linkType = -1;
    private long blockIndex;
    private PcapRecord pending;
    private boolean readAhead;

    private record Interface(int linkType, int snapLength, long unitsPerSecond) {
    }

    public PcapNgReader(InputStream in) throws IOException {
        this.in = in;
        byte[] head = in.readNBytes(4);
        if (head.length < 4 || ByteBuffer.wrap(head).getInt() != PcapNgWriter.SECTION_HEADER) {
            throw new IOException("not a pcapng file: no section header block at the start");
        }
        readSectionHeader();
        // Read up to the first packet so that linkType() is known from the start, as with classic pcap.
        pending = read();
        readAhead = true;
    }

    @Override
    public int linkType() {
        return linkType >= 0 || interfaces.isEmpty() ? linkType : interfaces.getFirst().linkType();
    }

    @Override
    public PcapRecord next() throws IOException {
        if (readAhead) {
            readAhead = false;
            return pending;
        }
        return read();
    }

    private PcapRecord read() throws IOException {
        while (true) {
            byte[] typeBytes = in.readNBytes(4);
            if (typeBytes.length == 0) {
                return null;
            }
            if (typeBytes.length < 4) {
                throw new EOFException("pcapng block " + blockIndex + " truncated in its type");
            }
            int type = ByteBuffer.wrap(typeBytes).order(order).getInt();
            if (type == PcapNgWriter.SECTION_HEADER) {
                readSectionHeader();
                continue;
            }
            ByteBuffer body = readBody();
            try {
                switch (type) {
                    case PcapNgWriter.INTERFACE_DESCRIPTION -> interfaces.add(readInterface(body));
                    case PcapNgWriter.ENHANCED_PACKET -> {
                        return readEnhanced(body);
                    }
                    case PcapNgWriter.SIMPLE_PACKET -> {
                        return readSimple(body);
                    }
                    default -> { } // statistics, name resolution, custom blocks: not needed here
                }
            } finally {
                blockIndex++;
            }
        }
    }

    private void readSectionHeader() throws IOException {
        byte[] lengthAndMagic = readFully(8, "section header");
        int magic = ByteBuffer.wrap(lengthAndMagic, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (magic == PcapNgWriter.BYTE_ORDER_MAGIC) {
            order = ByteOrder.LITTLE_ENDIAN;
        } else if (Integer.reverseBytes(magic) == PcapNgWriter.BYTE_ORDER_MAGIC) {
            order = ByteOrder.BIG_ENDIAN;
        } else {
            throw new IOException(String.format("pcapng section header: byte-order magic 0x%08x", magic));
        }
        int total = ByteBuffer.wrap(lengthAndMagic, 0, 4).order(order).getInt();
        if (total < 28 || total > MAX_BLOCK || total % 4 != 0) {
            throw new IOException("pcapng section header: block length " + total);
        }
        readFully(total - 12, "section header");
        interfaces.clear(); // interface ids are per section
        blockIndex++;
    }

    /** Reads the rest of a block after its type: returns the body between the two length fields. */
    private ByteBuffer readBody() throws IOException {
        int total = ByteBuffer.wrap(readFully(4, "block " + blockIndex + " length")).order(order).getInt();
        if (total < 12 || total > MAX_BLOCK || total % 4 != 0) {
            throw new IOException("pcapng block " + blockIndex + ": length " + Integer.toUnsignedString(total));
        }
        byte[] rest = readFully(total - 8, "block " + blockIndex);
        ByteBuffer b = ByteBuffer.wrap(rest).order(order);
        if (b.getInt(rest.length - 4) != total) {
            throw new IOException("pcapng block " + blockIndex + ": trailing length differs from leading length " + total);
        }
        return b.limit(rest.length - 4);
    }

    private Interface readInterface(ByteBuffer b) throws IOException {
        need(b, 8, "interface description");
        int link = Short.toUnsignedInt(b.getShort());
        b.getShort();
        int snap = b.getInt();
        long unitsPerSecond = 1_000_000L;
        while (b.remaining() >= 4) {
            int code = Short.toUnsignedInt(b.getShort());
            int length = Short.toUnsignedInt(b.getShort());
            int padded = (length + 3) & ~3;
            if (code == PcapNgWriter.OPTION_END) {
                break;
            }
            need(b, padded, "interface option " + code);
            if (code == PcapNgWriter.OPTION_TSRESOL && length == 1) {
                int v = Byte.toUnsignedInt(b.get(b.position()));
                int exponent = v & 0x7F;
                if ((v & 0x80) == 0 ? exponent > 18 : exponent > 62) {
                    throw new IOException("pcapng block " + blockIndex + ": timestamp resolution " + v);
                }
                unitsPerSecond = (v & 0x80) == 0 ? pow10(exponent) : 1L << exponent;
            }
            b.position(b.position() + padded);
        }
        return new Interface(link, snap, unitsPerSecond);
    }

    private PcapRecord readEnhanced(ByteBuffer b) throws IOException {
        need(b, 20, "enhanced packet");
        int id = b.getInt();
        if (id < 0 || id >= interfaces.size()) {
            throw new IOException("pcapng block " + blockIndex + ": interface " + Integer.toUnsignedString(id) + " not described");
        }
        long units = (Integer.toUnsignedLong(b.getInt()) << 32) | Integer.toUnsignedLong(b.getInt());
        int captured = b.getInt();
        int original = b.getInt();
        if (captured < 0 || captured > b.remaining()) {
            throw new IOException("pcapng block " + blockIndex + ": captured length " + Integer.toUnsignedString(captured)
                    + " exceeds the block");
        }
        byte[] data = new byte[captured];
        b.get(data);
        Interface nic = interfaces.get(id);
        linkType = nic.linkType();
        return new PcapRecord(toNanos(units, nic.unitsPerSecond()), original, data);
    }

    private PcapRecord readSimple(ByteBuffer b) throws IOException {
        need(b, 4, "simple packet");
        if (interfaces.isEmpty()) {
            throw new IOException("pcapng block " + blockIndex + ": simple packet before any interface");
        }
        int original = b.getInt();
        Interface nic = interfaces.getFirst();
        int captured = Math.min(b.remaining(), original < 0 ? b.remaining() : original);
        if (nic.snapLength() > 0) {
            captured = Math.min(captured, nic.snapLength());
        }
        byte[] data = new byte[captured];
        b.get(data);
        linkType = nic.linkType();
        return new PcapRecord(0, original, data);
    }

    private static long toNanos(long units, long unitsPerSecond) {
        long seconds = Long.divideUnsigned(units, unitsPerSecond);
        long fraction = Long.remainderUnsigned(units, unitsPerSecond);
        return seconds * 1_000_000_000L + (unitsPerSecond >= 1_000_000_000L
                ? fraction / (unitsPerSecond / 1_000_000_000L)
                : fraction * 1_000_000_000L / unitsPerSecond);
    }

    private static long pow10(int exponent) {
        long v = 1;
        for (int i = 0; i < exponent; i++) {
            v *= 10;
        }
        return v;
    }

    private void need(ByteBuffer b, int n, String what) throws IOException {
        if (b.remaining() < n) {
            throw new IOException("pcapng block " + blockIndex + ": " + what + " needs " + n + " bytes, has " + b.remaining());
        }
    }

    private byte[] readFully(int n, String what) throws IOException {
        byte[] buf = in.readNBytes(n);
        if (buf.length < n) {
            throw new EOFException("pcapng " + what + " truncated: expected " + n + " bytes, got " + buf.length);
        }
        return buf;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
