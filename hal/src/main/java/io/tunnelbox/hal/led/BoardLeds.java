package io.tunnelbox.hal.led;

import io.tunnelbox.hal.board.BoardConfig;
import io.tunnelbox.hal.board.BoardGpio;
import io.tunnelbox.hal.board.LedFunction;
import io.tunnelbox.hal.board.LedSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.tinylog.Logger;

/** Opens the LEDs a board file describes. A missing kernel LED is logged and skipped: a box without LEDs still routes. */
public final class BoardLeds {
    public static final Path SYS_CLASS_LEDS = Path.of("/sys/class/leds");

    private BoardLeds() {
    }

    public static Map<LedFunction, Led> open(BoardConfig board, BoardGpio gpio, Path sysClassLeds) {
        Map<LedFunction, Led> leds = new EnumMap<>(LedFunction.class);
        for (LedSpec spec : board.leds()) {
            String name = spec.function().key();
            if (spec.gpio() != null) {
                try {
                    leds.put(spec.function(), new GpioLed(name,
                            gpio.output(spec.gpio(), "led-" + name, GpioLed.offLevel(spec.activeLow())),
                            spec.activeLow()));
                } catch (RuntimeException | LinkageError e) {
                    // No libgpiod, no such chip, line taken by a kernel driver: routing matters more than an LED.
                    Logger.warn("{}: cannot open the GPIO line ({}); that LED stays dark", spec.describe(),
                            e.getMessage());
                }
            } else if (spec.sysfs() != null) {
                Path dir = sysClassLeds.resolve(spec.sysfs());
                if (!Files.isDirectory(dir)) {
                    Logger.warn("{}: {} does not exist; that LED stays dark", spec.describe(), dir);
                    continue;
                }
                leds.put(spec.function(), new SysfsLed(dir, spec.activeLow()));
            } else {
                leds.put(spec.function(), new MemoryLed(spec.memory()));
            }
        }
        return leds;
    }
}
