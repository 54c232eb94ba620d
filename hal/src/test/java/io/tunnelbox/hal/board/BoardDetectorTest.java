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
        assertTrue(m.contains("  nanopi-r4s - FriendlyElec NanoPi R4S (model \"FriendlyElec NanoPi R4S\"); revision "
                + "nanopi-r4s:r4se FriendlyElec NanoPi R4SE (model \"FriendlyElec NanoPi R4SE\")"), m);
        assertTrue(m.contains("; revision nanopi-r5s:lts FriendlyElec NanoPi R5S LTS (override only)\n"), m);
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

    /** A device-tree node under the fake /proc/device-tree (the directory holding the model file). */
    private void node(String path) throws IOException {
        Files.createDirectories(dir.resolve(path));
    }

    @Test
    void shouldTellTheR4sRevisionsApartByTheirModelStrings() throws IOException {
        BoardDetection r4s = detect("FriendlyElec NanoPi R4S", Optional.empty());
        assertEquals("nanopi-r4s", r4s.board().orElseThrow().qualifiedId());
        assertTrue(r4s.board().orElseThrow().revision().isEmpty());
        BoardDetection r4se = detect("FriendlyElec NanoPi R4SE", Optional.empty());
        assertEquals("nanopi-r4s:r4se", r4se.board().orElseThrow().qualifiedId());
        assertEquals("board \"nanopi-r4s\" detected from model \"FriendlyElec NanoPi R4SE\", revision \"r4se\" "
                + "(FriendlyElec NanoPi R4SE) by its model string", r4se.message());
        assertEquals("red:power", r4se.board().orElseThrow().led(LedFunction.STATUS).orElseThrow().sysfs(),
                "same LEDs as the R4S");
        assertEquals("nanopi-r4s:enterprise",
                detect("FriendlyElec NanoPi R4S Enterprise Edition", Optional.empty()).board().orElseThrow().qualifiedId());
    }

    @Test
    void shouldNotGiveAnR5sAResetButtonItMayNotHave() throws IOException {
        // An older kernel: no button node. The plain R5S has no button either way.
        BoardDetection old = detect("FriendlyElec NanoPi R5S", Optional.empty());
        assertEquals("nanopi-r5s", old.board().orElseThrow().qualifiedId());
        assertTrue(old.board().orElseThrow().resetButton().isEmpty());
        assertEquals("board \"nanopi-r5s\" detected from model \"FriendlyElec NanoPi R5S\"", old.message());
        // A newer kernel declares the button on both revisions (the line is unconnected on the R5S):
        // the box still cannot tell, so it only says how to choose the LTS.
        node("gpio-keys/button-reset");
        BoardDetection both = detect("FriendlyElec NanoPi R5S", Optional.empty());
        assertTrue(both.board().orElseThrow().resetButton().isEmpty());
        assertTrue(both.message().endsWith("; if this is a FriendlyElec NanoPi R5S LTS, choose it with the override "
                + "nanopi-r5s:lts (its model string is the same, so the box cannot tell)"), both.message());
    }

    @Test
    void shouldGiveAnR5sLtsItsResetButtonWhenTheOwnerSaysSoAndTheKernelDescribesIt() throws IOException {
        node("gpio-keys/button-reset");
        BoardDetection lts = detect("FriendlyElec NanoPi R5S", Optional.of("nanopi-r5s:lts"));
        BoardConfig b = lts.board().orElseThrow();
        assertEquals("nanopi-r5s:lts", b.qualifiedId());
        assertEquals("/dev/input/by-path/platform-gpio-keys-event", b.resetButton().orElseThrow().inputDevice());
        assertEquals(0x198, b.resetButton().orElseThrow().keyCode(), "KEY_RESTART");
        assertEquals("board \"nanopi-r5s\" revision \"lts\" (FriendlyElec NanoPi R5S LTS) chosen by override",
                lts.message());
    }

    @Test
    void shouldFallBackToTheBaseR5sWhenTheKernelLacksTheLtsButton() throws IOException {
        BoardDetection lts = detect("FriendlyElec NanoPi R5S", Optional.of("nanopi-r5s:lts"));
        assertEquals("nanopi-r5s", lts.board().orElseThrow().qualifiedId());
        assertTrue(lts.board().orElseThrow().resetButton().isEmpty());
        assertTrue(lts.message().contains("but this kernel's device tree has no " + dir.resolve("gpio-keys/button-reset")),
                lts.message());
    }

    @Test
    void shouldExplainAnUnknownRevision() throws IOException {
        BoardDetection d = detect("FriendlyElec NanoPi R5S", Optional.of("nanopi-r5s:pro"));
        assertTrue(d.board().isEmpty());
        assertTrue(d.message().startsWith("Unknown board \"nanopi-r5s:pro\" given as override."), d.message());
    }
}
