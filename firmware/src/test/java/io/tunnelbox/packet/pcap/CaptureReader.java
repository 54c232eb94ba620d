package io.tunnelbox.packet.pcap;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads packets from a capture file, classic pcap or pcapng. */
public interface CaptureReader extends AutoCloseable {
    /** The next packet, or null at the end of the file. */
    PcapRecord next() throws IOException;

    /** Link type (see {@link LinkType}) of the packet last returned, or of the first interface before that. */
    int linkType();

    @Override
    void close() throws IOException;

    /** Opens a file of either format, told apart by its first four bytes. */
    static CaptureReader open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file));
        try {
            in.mark(4);
            byte[] first = in.readNBytes(4);
            in.reset();
            boolean pcapng = first.length == 4 && first[0] == 0x0A && first[1] == 0x0D && first[2] == 0x0D && first[3] == 0x0A;
            return pcapng ? new PcapNgReader(in) : new PcapReader(in);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }
}
