package io.tunnelbox.packet.pcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PcapTest {
    @Test
    void shouldReadBackWhatItWrote() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapWriter writer = new PcapWriter(out, LinkType.ETHERNET)) {
            writer.write(1_700_000_000_123_456_000L, new byte[] {1, 2, 3});
            writer.write(5_000L, new byte[0]);
        }
        try (PcapReader reader = new PcapReader(new ByteArrayInputStream(out.toByteArray()))) {
            assertEquals(LinkType.ETHERNET, reader.linkType());
            assertEquals(65535, reader.snapLength());
            PcapRecord first = reader.next();
            assertEquals(1_700_000_000_123_456_000L, first.timestampNanos());
            assertArrayEquals(new byte[] {1, 2, 3}, first.data());
            assertEquals(3, first.originalLength());
            assertEquals(5_000L, reader.next().timestampNanos());
            assertNull(reader.next());
        }
    }

    @Test
    void shouldWriteStandardLittleEndianHeader() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PcapWriter(out, LinkType.RAW).close();
        assertEquals("d4c3b2a1020004000000000000000000ffff000065000000",
                HexFormat.of().formatHex(out.toByteArray()));
    }

    @Test
    void shouldCutPacketsToSnapLength() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapWriter writer = new PcapWriter(out, LinkType.ETHERNET, 4)) {
            writer.write(0, new byte[] {1, 2, 3, 4, 5, 6});
        }
        PcapRecord record = new PcapReader(new ByteArrayInputStream(out.toByteArray())).next();
        assertArrayEquals(new byte[] {1, 2, 3, 4}, record.data());
        assertEquals(6, record.originalLength());
    }

    @Test
    void shouldReadBigEndianNanosecondFiles() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(24 + 16 + 2).order(ByteOrder.BIG_ENDIAN);
        b.putInt(PcapReader.MAGIC_NANOS).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                .putInt(262144).putInt(LinkType.ETHERNET);
        b.putInt(10).putInt(7).putInt(2).putInt(60).put((byte) 9).put((byte) 8);
        PcapReader reader = new PcapReader(new ByteArrayInputStream(b.array()));
        PcapRecord record = reader.next();
        assertEquals(10_000_000_007L, record.timestampNanos());
        assertEquals(60, record.originalLength());
        assertArrayEquals(new byte[] {9, 8}, record.data());
    }

    @Test
    void shouldRejectFileWithWrongMagic() {
        byte[] bytes = new byte[24];
        IOException e = assertThrows(IOException.class, () -> new PcapReader(new ByteArrayInputStream(bytes)));
        assertEquals("not a pcap file: magic 0x00000000", e.getMessage());
    }

    @Test
    void shouldReportTruncatedRecord() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapWriter writer = new PcapWriter(out, LinkType.ETHERNET)) {
            writer.write(0, new byte[100]);
        }
        byte[] cut = Arrays.copyOf(out.toByteArray(), out.size() - 1);
        PcapReader reader = new PcapReader(new ByteArrayInputStream(cut));
        IOException e = assertThrows(IOException.class, reader::next);
        assertTrue(e.getMessage().contains("record 0 data truncated: expected 100 bytes, got 99"), e.getMessage());
    }

    @Test
    void shouldRefuseAbsurdRecordLength() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PcapWriter(out, LinkType.ETHERNET).close();
        ByteBuffer record = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(0).putInt(0).putInt(-1).putInt(0);
        out.write(record.array());
        PcapReader reader = new PcapReader(new ByteArrayInputStream(out.toByteArray()));
        assertThrows(IOException.class, reader::next);
    }
}
