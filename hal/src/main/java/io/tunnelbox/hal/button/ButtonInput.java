package io.tunnelbox.hal.button;

import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;

/** Whether a button is held now. */
@FunctionalInterface
public interface ButtonInput {
    boolean pressed();

    /** A Pi4J input; {@code activeLow}: pressed pulls the line low (button to ground, pull-up). */
    static ButtonInput of(DigitalInput input, boolean activeLow) {
        DigitalState pressedLevel = activeLow ? DigitalState.LOW : DigitalState.HIGH;
        return () -> input.state() == pressedLevel;
    }
}
