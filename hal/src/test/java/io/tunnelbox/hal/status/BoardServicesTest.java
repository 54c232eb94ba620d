package io.tunnelbox.hal.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pi4j.context.Context;
import io.tunnelbox.hal.board.BoardCatalog;
import io.tunnelbox.hal.board.BoardConfig;
import io.tunnelbox.hal.board.LedFunction;
import io.tunnelbox.hal.led.Pi4jMock;
import io.tunnelbox.hal.nic.FakeSysfs;
import io.tunnelbox.hal.sim.SimNics;
import io.tunnelbox.hal.time.ManualClock;
import io.tunnelbox.hal.watchdog.FakeNotifySocket;
import io.tunnelbox.hal.watchdog.Heartbeat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The assembled board services on virtual time: the sim board, and a NanoPi R4S made of fake sysfs files. */
class BoardServicesTest {
    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock();
    private int factoryResets;

    private void run(BoardServices s, long millis, Heartbeat beat) {
        for (long t = 0; t < millis; t += 50) {
            if (beat != null) {
                beat.beat();
            }
            s.loop().runOnce();
            clock.advance(Duration.ofMillis(50));
        }
    }

    @Test
    void shouldRunTheSimBoardWithoutHardware() {
        BoardConfig sim = BoardCatalog.shipped().byId("sim").orElseThrow();
        try (BoardServices s = BoardServices.sim(sim, clock, d -> { }, () -> factoryResets++)) {
            assertTrue(s.roles().complete());
            s.startManual();
            Heartbeat engine = s.progress().register("datapath", Duration.ofSeconds(3));
            run(s, 100, engine);
            assertTrue(s.leds().get(LedFunction.STATUS).isOn(), "running: steady");
            assertTrue(s.leds().get(LedFunction.WAN).isOn(), "sim WAN link up");
            ((SimNics) s.nics()).setLink("sim-wan", false);
            run(s, 300, engine);
            assertFalse(s.leds().get(LedFunction.WAN).isOn(), "link down seen within 300 ms");
            s.bus().publish(new StatusEvent.Tunnels(2, 2));
            run(s, 50, engine);
            assertTrue(s.leds().get(LedFunction.TUNNELS).isOn());
            run(s, 12_000, engine);
        }
        assertEquals(0, factoryResets, "the sim's mock button line idles high (pull-up): not pressed");
    }

    @Test
    void shouldDriveANanoPiR4sThroughSysfsGpioAndTheWatchdog() throws Exception {
        FakeSysfs sys = new FakeSysfs(dir.resolve("sys"))
                .nic("eth0", "platform/fe300000.ethernet", "rk_gmac-dwmac", "aa:bb:cc:00:00:01", 1500, true, "up", 1000)
                .nic("eth1", "platform/f8000000.pcie/pci0000:00/0000:00:00.0/0000:01:00.0", "r8169",
                        "aa:bb:cc:00:00:02", 1500, true, "up", 1000);
        Path leds = Files.createDirectories(dir.resolve("leds"));
        for (String name : List.of("red:power", "green:wan", "green:lan")) {
            Files.createDirectories(leds.resolve(name));
            Files.writeString(leds.resolve(name).resolve("trigger"), "[heartbeat]");
            Files.writeString(leds.resolve(name).resolve("max_brightness"), "1");
        }
        Path watchdog = Files.createFile(dir.resolve("watchdog"));
        Path keys = Files.createFile(dir.resolve("gpio-keys-event"));
        // The shipped file with the input device moved into the temp directory.
        String text = Files.readString(Path.of(System.getenv().getOrDefault("TUNNELBOX_ROOT", ".."),
                "board-configs", "nanopi-r4s.json")).replace("/dev/input/by-path/platform-gpio-keys-event", "/dev/input/x");
        BoardConfig shipped = io.tunnelbox.hal.board.BoardFileReader.read("nanopi-r4s.json", text).board().orElseThrow();
        BoardConfig r4s = new BoardConfig(shipped.format(), shipped.id(), shipped.name(), shipped.models(),
                shipped.sources(), shipped.nics(), shipped.leds(), shipped.console(), shipped.watchdog(),
                Optional.of(new io.tunnelbox.hal.board.ButtonSpec(null, false, "none", keys.toString(), 0x198)));
        Context pi4j = Pi4jMock.context();
        try (FakeNotifySocket systemd = new FakeNotifySocket(dir.resolve("notify"))) {
            BoardServices s = BoardServices.withMockGpio(r4s,
                    new BoardServices.Paths(sys.classNet(), leds, Optional.of(watchdog.toString())), pi4j, clock,
                    () -> factoryResets++, Optional.of(new io.tunnelbox.hal.watchdog.SdNotify(systemd.name)));
            assertEquals("eth0", s.roles().nic("wan").orElseThrow().name());
            assertEquals("eth1", s.roles().nic("lan").orElseThrow().name());
            s.startManual();
            Heartbeat engine = s.progress().register("datapath", Duration.ofSeconds(3));
            run(s, 100, engine);
            assertEquals("1", brightness(leds, "red:power"));
            assertEquals("1", brightness(leds, "green:wan"));
            assertEquals("0", brightness(leds, "green:lan"), "no tunnels configured");
            assertEquals("none", Files.readString(leds.resolve("red:power").resolve("trigger")));

            sys.link("eth0", false, "down", -1);
            run(s, 300, engine);
            assertEquals("0", brightness(leds, "green:wan"));

            io.tunnelbox.hal.button.InputEventButtonTest.key(keys, 0x198, 1);
            run(s, 10_100, engine);
            assertEquals(1, factoryResets, "held 10 s");
            io.tunnelbox.hal.button.InputEventButtonTest.key(keys, 0x198, 0);

            run(s, 10_000, null); // the engine hangs: kicks stop
            String kicks = Files.readString(watchdog);
            run(s, 10_000, null);
            assertEquals(kicks, Files.readString(watchdog));
            s.close();
            assertTrue(Files.readString(watchdog).endsWith("V"), "magic close");
            assertEquals("0", brightness(leds, "red:power"), "dark after a clean stop");
            List<String> msgs = systemd.received();
            assertEquals("READY=1\nSTATUS=running", msgs.getFirst());
            assertTrue(msgs.contains("WATCHDOG=1"));
            assertTrue(msgs.stream().anyMatch(m -> m.startsWith("STATUS=engine hung: datapath silent for")), msgs.toString());
            assertEquals("STOPPING=1", msgs.getLast());
        } finally {
            pi4j.shutdown();
        }
    }

    private static String brightness(Path leds, String name) throws IOException {
        return Files.readString(leds.resolve(name).resolve("brightness"));
    }
}
