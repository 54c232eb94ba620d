package io.tunnelbox.hal.led;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.hal.board.BoardCatalog;
import io.tunnelbox.hal.board.BoardConfig;
import io.tunnelbox.hal.board.BoardGpio;
import io.tunnelbox.hal.board.LedFunction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real gpiod provider on a machine whose GPIO chip is missing (this build machine, or a Pi
 * whose kernel numbers its chips differently): the GPIO LEDs stay dark, the kernel LED still works.
 */
class GpiodWithoutHardwareTest {
    @TempDir
    Path leds;

    @Test
    void shouldSkipGpioLedsThatCannotBeOpenedAndKeepTheOthers() throws IOException {
        Path act = Files.createDirectories(leds.resolve("ACT"));
        Files.writeString(act.resolve("trigger"), "[mmc0]");
        BoardConfig pi5 = BoardCatalog.shipped().byId("rpi5-usb-nic").orElseThrow();
        try (BoardGpio gpio = BoardGpio.gpiod()) {
            Map<LedFunction, Led> opened = BoardLeds.open(pi5, gpio, leds);
            assertTrue(opened.containsKey(LedFunction.STATUS));
            if (!Files.exists(Path.of("/dev/gpiochip0"))) {
                assertEquals(1, opened.size(), "wan, tunnels, activity on the missing gpiochip0 are skipped");
            }
            opened.get(LedFunction.STATUS).set(true);
            assertEquals("1", Files.readString(act.resolve("brightness")));
        }
    }
}
