package io.tunnelbox.packet.pcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.hal.testing.Requirements;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapNgTest {
    @Test
    void shouldReadBackWhatItWrote() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapNgWriter writer = new PcapNgWriter(out, LinkType.ETHERNET)) {
            writer.write(1_700_000_000_123_456_789L, new byte[] {1, 2, 3, 4, 5});
            writer.write(7L, new byte[0]);
        }
        try (PcapNgReader reader = new PcapNgReader(new ByteArrayInputStream(out.toByteArray()))) {
            assertEquals(LinkType.ETHERNET, reader.linkType());
            PcapRecord first = reader.next();
            assertEquals(1_700_000_000_123_456_789L, first.timestampNanos());
            assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, first.data());
            assertEquals(5, first.originalLength());
            assertEquals(7L, reader.next().timestampNanos());
            assertNull(reader.next());
        }
    }

    @Test
    void shouldReadBigEndianSectionWithDefaultMicrosecondsSimplePacketsAndUnknownBlocks() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(28 + 20 + 16 + 36 + 20).order(ByteOrder.BIG_ENDIAN);
        b.putInt(0x0A0D0D0A).putInt(28).putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1).putInt(28);
        b.putInt(1).putInt(20).putShort((short) LinkType.RAW).putShort((short) 0).putInt(0).putInt(20);
        b.putInt(0x0BAD).putInt(16).putInt(0xFFFF_FFFF).putInt(16); // a block type nobody defined: skipped
        b.putInt(6).putInt(36).putInt(0).putInt(0).putInt(2_500_001).putInt(3).putInt(3).put(new byte[] {9, 8, 7, 0}).putInt(36);
        b.putInt(3).putInt(20).putInt(2).put(new byte[] {5, 6, 0, 0}).putInt(20);
        PcapNgReader reader = new PcapNgReader(new ByteArrayInputStream(b.array()));
        PcapRecord record = reader.next();
        assertEquals(2_500_001_000L, record.timestampNanos());
        assertArrayEquals(new byte[] {9, 8, 7}, record.data());
        assertEquals(LinkType.RAW, reader.linkType());
        assertArrayEquals(new byte[] {5, 6}, reader.next().data());
        assertNull(reader.next());
    }

    @Test
    void shouldTellFormatsApartWhenOpening(@TempDir Path dir) throws IOException {
        Path ng = dir.resolve("a.pcapng");
        try (PcapNgWriter writer = PcapNgWriter.create(ng, LinkType.RAW)) {
            writer.write(0, new byte[] {1});
        }
        Path classic = dir.resolve("a.pcap");
        try (PcapWriter writer = PcapWriter.create(classic, LinkType.RAW)) {
            writer.write(0, new byte[] {1});
        }
        try (CaptureReader a = CaptureReader.open(ng); CaptureReader b = CaptureReader.open(classic)) {
            assertInstanceOf(PcapNgReader.class, a);
            assertInstanceOf(PcapReader.class, b);
            assertArrayEquals(a.next().data(), b.next().data());
        }
    }

    @Test
    void shouldRejectBlockWhoseTrailingLengthDiffers() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapNgWriter writer = new PcapNgWriter(out, LinkType.RAW)) {
            writer.write(0, new byte[] {1, 2, 3, 4});
        }
        byte[] bytes = out.toByteArray();
        bytes[bytes.length - 4] = 99;
        // The reader reads ahead to the first packet, so a bad first packet shows when opening.
        IOException e = assertThrows(IOException.class, () -> new PcapNgReader(new ByteArrayInputStream(bytes)));
        assertTrue(e.getMessage().contains("trailing length differs"), e.getMessage());
    }

    @Test
    void shouldRejectPacketOfUndescribedInterface() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapNgWriter writer = new PcapNgWriter(out, LinkType.RAW)) {
            writer.write(0, new byte[] {1, 2, 3, 4});
        }
        byte[] bytes = out.toByteArray();
        bytes[28 + 32 + 8] = 1; // the packet block's interface id
        assertEquals("pcapng block 2: interface 1 not described",
                assertThrows(IOException.class, () -> new PcapNgReader(new ByteArrayInputStream(bytes))).getMessage());
    }

    @Test
    void shouldRejectTruncatedFileAndWrongMagic() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapNgWriter writer = new PcapNgWriter(out, LinkType.RAW)) {
            writer.write(0, new byte[4]);
            writer.write(0, new byte[100]);
        }
        byte[] cut = Arrays.copyOf(out.toByteArray(), out.size() - 10);
        PcapNgReader reader = new PcapNgReader(new ByteArrayInputStream(cut));
        assertEquals(4, reader.next().data().length);
        assertEquals("pcapng block 3 truncated: expected 124 bytes, got 114", assertThrows(IOException.class, reader::next).getMessage());
        assertThrows(IOException.class, () -> new PcapNgReader(new ByteArrayInputStream(new byte[12])));
    }

    @Test
    void shouldReadWhatEditcapConvertedFromScapysPcap(@TempDir Path dir) throws Exception {
        Requirements.tool("editcap");
        Path classic = dir.resolve("vectors.pcap");
        try (InputStream in = getClass().getResourceAsStream("/vectors/vectors-ip.pcap")) {
            Files.copy(in, classic);
        }
        Path ng = dir.resolve("vectors.pcapng");
        run("editcap", "-F", "pcapng", classic.toString(), ng.toString());
        int count = 0;
        try (CaptureReader expected = CaptureReader.open(classic); CaptureReader actual = CaptureReader.open(ng)) {
            assertInstanceOf(PcapNgReader.class, actual);
            for (PcapRecord want = expected.next(); want != null; want = expected.next()) {
                PcapRecord got = actual.next();
                assertEquals(want.timestampNanos(), got.timestampNanos());
                assertEquals(want.originalLength(), got.originalLength());
                assertArrayEquals(want.data(), got.data());
                assertEquals(LinkType.RAW, actual.linkType());
                count++;
            }
            assertNull(actual.next());
        }
        assertTrue(count > 40, "records: " + count);
    }

    @Test
    void shouldBeReadByTshark(@TempDir Path dir) throws Exception {
        Requirements.tool("tshark");
        Path file = dir.resolve("ours.pcapng");
        try (PcapNgWriter writer = PcapNgWriter.create(file, LinkType.ETHERNET)) {
            writer.write(1_700_000_000_000_000_001L, new byte[60]);
            writer.write(1_700_000_001_500_000_000L, new byte[61]);
        }
        String out = run("tshark", "-r", file.toString(), "-T", "fields", "-e", "frame.len", "-e", "frame.time_epoch",
                "-e", "_ws.malformed");
        List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
        assertEquals(List.of("60\t1700000000.000000001\t", "61\t1700000001.500000000\t"), lines);
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), command[0] + " did not finish");
        assertEquals(0, process.exitValue(), command[0] + " failed");
        return new String(out, StandardCharsets.UTF_8);
    }
}
