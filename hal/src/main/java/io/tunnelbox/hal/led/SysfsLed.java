package io.tunnelbox.hal.led;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tinylog.Logger;

/**
 * A kernel LED, {@code /sys/class/leds/NAME}: the firmware takes it over by setting its trigger
 * to "none" (so the kernel's heartbeat or mmc trigger stops blinking it) and writes brightness.
 * The kernel already applies the device tree's polarity; {@code activeLow} is for LEDs whose
 * device tree gets it wrong.
 */
public final class SysfsLed implements Led {
    private final Path dir;
    private final boolean activeLow;
    private final String max;
    /** The trigger the kernel had ("mmc0", "heartbeat"), given back on close so the board shows its usual signs. */
    private final String kernelTrigger;
    private boolean on;
    private boolean failed;

    public SysfsLed(Path dir, boolean activeLow) {
        this.dir = dir;
        this.activeLow = activeLow;
        String m = "1";
        try {
            m = Files.readString(dir.resolve("max_brightness")).strip();
        } catch (IOException e) {
            Logger.debug("LED {}: no max_brightness, using 1", dir);
        }
        this.max = m;
        String before = null;
        try {
            before = activeTrigger(Files.readString(dir.resolve("trigger")));
            Files.writeString(dir.resolve("trigger"), "none");
        } catch (IOException e) {
            Logger.warn("LED {}: cannot clear its trigger: {}", dir, e.getMessage());
        }
        this.kernelTrigger = before;
        write(false);
    }

    @Override
    public String name() {
        return dir.getFileName().toString();
    }

    @Override
    public void set(boolean on) {
        if (on != this.on) {
            write(on);
        }
    }

    private void write(boolean on) {
        this.on = on;
        try {
            Files.writeString(dir.resolve("brightness"), on != activeLow ? max : "0");
            failed = false;
        } catch (IOException e) {
            if (!failed) {
                Logger.warn("LED {}: cannot write brightness: {}", dir, e.getMessage());
                failed = true;
            }
        }
    }

    @Override
    public boolean isOn() {
        return on;
    }

    /** The selected entry of a trigger file: "none [heartbeat] mmc0" -> "heartbeat". */
    static String activeTrigger(String triggerFile) {
        int open = triggerFile.indexOf('[');
        int close = triggerFile.indexOf(']', open + 1);
        return open < 0 || close < 0 ? null : triggerFile.substring(open + 1, close);
    }

    @Override
    public void close() {
        write(false);
        if (kernelTrigger != null && !"none".equals(kernelTrigger)) {
            try {
                Files.writeString(dir.resolve("trigger"), kernelTrigger);
            } catch (IOException e) {
                Logger.debug("LED {}: cannot restore trigger {}: {}", dir, kernelTrigger, e.getMessage());
            }
        }
    }
}
