package io.tunnelbox.hal.board;

/** A push button on a GPIO line; {@code pull} is "up", "down" or "none". */
public record ButtonSpec(GpioLine gpio, boolean activeLow, String pull) {
}
