package io.tunnelbox.hal.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoardDetectorTest {
    @TempDir
    Path dir;

    private BoardDetection detect(String model, Optional<String> override) throws IOException {
        Path file = dir.resolve("model");
        Files.write(file, (model + "\0").getBytes(StandardCharsets.UTF_8));
        return new BoardDetector(BoardCatalog.shipped(), file).detect(override);
    }

    @Test
    void shouldDetectAPi4FromItsNulTerminatedModelString() throws IOException {
        BoardDetection d = detect("Raspberry Pi 4 Model B Rev 1.4", Optional.empty());
        assertEquals("rpi4b-usb3-gbe", d.board().orElseThrow().id());
        assertEquals("board \"rpi4b-usb3-gbe\" detected from model \"Raspberry Pi 4 Model B Rev 1.4\"", d.message());
    }

    @Test
    void shouldDetectEachShippedHardwareBoard() throws IOException {
        assertEquals("rpi5-usb-nic", detect("Raspberry Pi 5 Model B Rev 1.0", Optional.empty()).board().orElseThrow().id());
        assertEquals("nanopi-r4s", detect("FriendlyElec NanoPi R4S", Optional.empty()).board().orElseThrow().id());
        assertEquals("nanopi-r5s", detect("FriendlyElec NanoPi R5S", Optional.empty()).board().orElseThrow().id());
        assertEquals("orangepi-r1-plus-lts",
                detect("Xunlong Orange Pi R1 Plus LTS", Optional.empty()).board().orElseThrow().id());
    }

    @Test
    void shouldPreferTheOverride() throws IOException {
        BoardDetection d = detect("Raspberry Pi 4 Model B Rev 1.4", Optional.of("sim"));
        assertEquals("sim", d.board().orElseThrow().id());
    }

    @Test
    void shouldExplainAnUnknownBoardListingKnownOnesAndHowToAddIt() throws IOException {
        BoardDetection d = detect("Pine64 RockPro64 v2.1", Optional.empty());
        assertTrue(d.board().isEmpty());
        String m = d.message();
        assertTrue(m.startsWith("Unknown board: " + dir.resolve("model") + " says \"Pine64 RockPro64 v2.1\".\nKnown boards:\n"), m);
        assertTrue(m.contains("  nanopi-r4s - FriendlyElec NanoPi R4S (model \"FriendlyElec NanoPi R4S\")\n"), m);
        assertTrue(m.contains("  sim - Simulated board"), m);
        assertTrue(m.contains("TUNNELBOX_BOARD=<id>"), m);
        assertTrue(m.contains("/etc/tunnelbox/boards/<id>.json") && m.contains("[\"Pine64 RockPro64 v2.1\"]"), m);
    }

    @Test
    void shouldExplainAnUnknownOverride() throws IOException {
        BoardDetection d = detect("Raspberry Pi 4 Model B Rev 1.4", Optional.of("rpi3"));
        assertTrue(d.board().isEmpty());
        assertTrue(d.message().startsWith("Unknown board \"rpi3\" given as override.\nKnown boards:\n"), d.message());
    }

    @Test
    void shouldExplainAMissingModelFile() {
        BoardDetection d = new BoardDetector(BoardCatalog.shipped(), dir.resolve("absent")).detect(Optional.empty());
        assertTrue(d.board().isEmpty());
        assertTrue(d.message().startsWith("Cannot read the board model from " + dir.resolve("absent")), d.message());
    }

    @Test
    void shouldLetALocalBoardFileWinAndReportBrokenOnes() throws IOException {
        Files.writeString(dir.resolve("test-board.json"), BoardFileReaderTest.GOOD);
        Files.writeString(dir.resolve("broken.json"), "{ \"format\": 1 }");
        BoardCatalog catalog = BoardCatalog.withLocal(dir);
        assertEquals("Test board", catalog.byModel("Test Board Rev 1").orElseThrow().name());
        assertEquals(1, catalog.rejected().size());
        assertTrue(catalog.rejected().getFirst().report().contains("id: missing (required)"),
                catalog.rejected().getFirst().report());
    }

    @Test
    void shouldTakeTheOverrideFromTheSystemProperty() {
        String before = System.getProperty("tunnelbox.board");
        try {
            System.setProperty("tunnelbox.board", " lab ");
            assertEquals(Optional.of("lab"), BoardDetector.overrideFromEnvironment());
        } finally {
            if (before == null) {
                System.clearProperty("tunnelbox.board");
            } else {
                System.setProperty("tunnelbox.board", before);
            }
        }
    }
}
