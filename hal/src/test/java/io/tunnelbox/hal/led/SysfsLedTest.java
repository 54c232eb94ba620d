package io.tunnelbox.hal.led;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.hal.board.BoardCatalog;
import io.tunnelbox.hal.board.BoardConfig;
import io.tunnelbox.hal.board.BoardGpio;
import io.tunnelbox.hal.board.LedFunction;
import com.pi4j.context.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysfsLedTest {
    @TempDir
    Path leds;

    private Path kernelLed(String name, String trigger, String max) throws IOException {
        Path dir = Files.createDirectories(leds.resolve(name));
        Files.writeString(dir.resolve("trigger"), trigger);
        Files.writeString(dir.resolve("max_brightness"), max + "\n");
        Files.writeString(dir.resolve("brightness"), "0\n");
        return dir;
    }

    @Test
    void shouldTakeOverTheTriggerAndWriteMaxBrightness() throws IOException {
        Path dir = kernelLed("red:sys", "none [heartbeat] mmc0", "255");
        SysfsLed led = new SysfsLed(dir, false);
        assertEquals("none", Files.readString(dir.resolve("trigger")));
        led.set(true);
        assertEquals("255", Files.readString(dir.resolve("brightness")));
        led.set(false);
        assertEquals("0", Files.readString(dir.resolve("brightness")));
        led.set(true);
        led.close();
        assertEquals("0", Files.readString(dir.resolve("brightness")));
        assertEquals("heartbeat", Files.readString(dir.resolve("trigger")), "the kernel's trigger is given back");
    }

    @Test
    void shouldOpenTheNanoPiR4sLedsFromSysfsAndThePi4AddOnLedsThroughPi4j() throws IOException {
        kernelLed("red:power", "[heartbeat]", "1");
        kernelLed("green:wan", "[none]", "1");
        kernelLed("green:lan", "[none]", "1");
        BoardConfig r4s = BoardCatalog.shipped().byId("nanopi-r4s").orElseThrow();
        Map<LedFunction, Led> opened = BoardLeds.open(r4s, null, leds);
        assertEquals(3, opened.size());
        assertTrue(opened.get(LedFunction.STATUS) instanceof SysfsLed);

        BoardConfig pi4 = BoardCatalog.shipped().byId("rpi4b-usb3-gbe").orElseThrow();
        kernelLed("ACT", "[mmc0]", "1");
        Context pi4j = Pi4jMock.context();
        try (BoardGpio gpio = BoardGpio.mock(pi4j)) {
            Map<LedFunction, Led> pi = BoardLeds.open(pi4, gpio, leds);
            assertTrue(pi.get(LedFunction.STATUS) instanceof SysfsLed);
            assertTrue(pi.get(LedFunction.WAN) instanceof GpioLed);
            pi.get(LedFunction.WAN).set(true);
            com.pi4j.io.gpio.digital.DigitalOutput line17 = pi4j.registry().get("led-wan-gpiochip0-17");
            assertEquals(com.pi4j.io.gpio.digital.DigitalState.HIGH, line17.state());
        } finally {
            pi4j.shutdown();
        }
    }

    @Test
    void shouldSkipAKernelLedThatDoesNotExist() {
        BoardConfig r4s = BoardCatalog.shipped().byId("nanopi-r4s").orElseThrow();
        assertEquals(Map.of(), BoardLeds.open(r4s, null, leds));
    }
}
