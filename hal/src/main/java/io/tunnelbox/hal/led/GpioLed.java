package io.tunnelbox.hal.led;

import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import org.tinylog.Logger;

/** An LED on a GPIO line through Pi4J (gpiod on hardware, mock in tests). */
public final class GpioLed implements Led {
    private final String name;
    private final DigitalOutput output;
    private final boolean activeLow;
    private boolean on;
    private boolean failed;

    public GpioLed(String name, DigitalOutput output, boolean activeLow) {
        this.name = name;
        this.output = output;
        this.activeLow = activeLow;
        write(false);
    }

    /** The line level that leaves an LED of this polarity off. */
    public static DigitalState offLevel(boolean activeLow) {
        return activeLow ? DigitalState.HIGH : DigitalState.LOW;
    }

    @Override
    public String name() {
        return name;
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
            output.state(on != activeLow ? DigitalState.HIGH : DigitalState.LOW);
            failed = false;
        } catch (RuntimeException e) {
            if (!failed) { // once per failure streak, not per blink
                Logger.warn("LED {}: cannot set GPIO: {}", name, e.getMessage());
                failed = true;
            }
        }
    }

    @Override
    public boolean isOn() {
        return on;
    }

    @Override
    public void close() {
        write(false);
    }
}
