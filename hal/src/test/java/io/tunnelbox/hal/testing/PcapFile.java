package io.tunnelbox.hal.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads what a test's {@code tcpdump -w} captured. */
public final class PcapFile {
    private PcapFile() {
    }

    /**
     * The packets of a classic pcap file, oldest first (either byte order); a record cut off at the
     * end (tcpdump still writing) is left out.
     */
    public static List<byte[]> packets(Path pcap) throws IOException {
        byte[] all = Files.readAllBytes(pcap);
        List<byte[]> packets = new ArrayList<>();
        if (all.length < 24) {
            return packets;
        }
        ByteBuffer b = ByteBuffer.wrap(all);
        b.order(b.getInt(0) == 0xa1b2c3d4 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int at = 24;
        while (at + 16 <= all.length) {
            int captured = b.getInt(at + 8);
            if (at + 16 + captured > all.length) {
                break;
            }
            packets.add(Arrays.copyOfRange(all, at + 16, at + 16 + captured));
            at += 16 + captured;
        }
        return packets;
    }
}
