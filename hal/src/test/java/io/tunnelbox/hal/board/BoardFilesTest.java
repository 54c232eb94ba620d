package io.tunnelbox.hal.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class BoardFilesTest {
    static Path boardDir() {
        String root = System.getenv("TUNNELBOX_ROOT");
        Path dir = root != null ? Path.of(root, "board-configs") : Path.of("..", "board-configs");
        assertTrue(Files.isDirectory(dir), "board-configs not found at " + dir.toAbsolutePath());
        return dir;
    }

    @Test
    void shouldValidateEveryShippedBoardFile() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(boardDir())) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertEquals(7, files.size(), "board files: " + files);
        for (Path f : files) {
            BoardFileResult r = BoardFileReader.read(f.getFileName().toString(), Files.readString(f));
            assertTrue(r.ok(), r.report());
            BoardConfig b = r.board().orElseThrow();
            assertTrue(b.nics().stream().anyMatch(n -> n.role().equals("wan")), f + " has a WAN role");
            assertTrue(b.led(LedFunction.STATUS).isPresent(), f + " has a status LED");
            assertFalse(b.sources().isEmpty(), f + " names its sources");
        }
    }

    @Test
    void shouldListEveryBoardFileInTheIndexAndLoadThemFromTheJarResources() throws IOException {
        List<String> inFolder;
        try (Stream<Path> s = Files.list(boardDir())) {
            inFolder = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList();
        }
        assertEquals(inFolder, BoardCatalog.shippedFileNames().stream().sorted().toList());
        BoardCatalog catalog = BoardCatalog.shipped();
        assertEquals(List.of("rpi4b-usb3-gbe", "rpi5-usb-nic", "nanopi-r4s", "nanopi-r5s", "orangepi-r1-plus-lts", "sim", "lab"),
                catalog.all().stream().map(BoardConfig::id).toList());
    }

    @Test
    void shouldReadTheFactsOfTheNanoPiR4s() {
        BoardConfig r4s = BoardCatalog.shipped().byId("nanopi-r4s").orElseThrow();
        assertEquals(new ConsoleSpec("/dev/ttyS2", 1500000), r4s.console());
        assertEquals("red:power", r4s.led(LedFunction.STATUS).orElseThrow().sysfs(), "renamed from red:sys in Linux v5.14");
        assertEquals("/dev/input/by-path/platform-gpio-keys-event", r4s.resetButton().orElseThrow().inputDevice());
        assertEquals(0x198, r4s.resetButton().orElseThrow().keyCode(), "KEY_RESTART");
        assertEquals("/dev/watchdog", r4s.watchdog().orElseThrow().device());
        NicMatch lan = r4s.nics().get(1).match();
        assertTrue(lan.matches("eth1", "r8169", "/sys/devices/platform/f8000000.pcie/pci0000:00/0000:00:00.0/0000:01:00.0", null));
        assertFalse(lan.matches("eth0", "rk_gmac-dwmac", "/sys/devices/platform/fe300000.ethernet", null));
    }

    @Test
    void shouldPutTheR5sLanPortsOnTheirPcieControllers() {
        BoardConfig r5s = BoardCatalog.shipped().byId("nanopi-r5s").orElseThrow();
        // Armbian's udev rules: LAN1 is PCI 0000:01:00.0 (domain 0 = pcie2x1 at fe260000),
        // LAN2 is 0001:11:00.0 (domain 1 = pcie3x1 at fe270000).
        String lan1 = "/sys/devices/platform/fe260000.pcie/pci0000:00/0000:00:00.0/0000:01:00.0";
        String lan2 = "/sys/devices/platform/fe270000.pcie/pci0001:10/0001:10:00.0/0001:11:00.0";
        NicMatch lan = r5s.nics().stream().filter(n -> n.role().equals("lan")).findFirst().orElseThrow().match();
        NicMatch second = r5s.nics().stream().filter(n -> n.role().equals("lan2")).findFirst().orElseThrow().match();
        assertTrue(lan.matches("eth1", "r8169", lan1, null));
        assertFalse(lan.matches("eth2", "r8169", lan2, null));
        assertTrue(second.matches("eth2", "r8169", lan2, null));
        assertFalse(second.matches("eth1", "r8169", lan1, null));
        assertTrue(r5s.resetButton().isEmpty(), "the plain R5S has no reset button");
        assertTrue(r5s.revisionById("lts").orElseThrow().resetButton().isPresent(), "the R5S LTS has one");
    }

    @Test
    void shouldCiteTheRaspberryPiKernelForThePi5Leds() {
        BoardConfig pi5 = BoardCatalog.shipped().byId("rpi5-usb-nic").orElseThrow();
        assertTrue(pi5.sources().stream().anyMatch(s -> s.startsWith("Raspberry Pi kernel (raspberrypi/linux) "
                + "arch/arm64/boot/dts/broadcom/bcm2712-rpi-5-b.dts")), pi5.sources().toString());
    }
}
