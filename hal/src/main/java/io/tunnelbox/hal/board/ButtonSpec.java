package io.tunnelbox.hal.board;

/**
 * A push button: either a GPIO line read through Pi4J ({@code gpio}, {@code activeLow}, {@code pull}
 * "up", "down" or "none"), or a kernel input device ({@code inputDevice}, e.g. a gpio-keys button
 * the device tree already declares) sending {@code keyCode}.
 */
public record ButtonSpec(GpioLine gpio, boolean activeLow, String pull, String inputDevice, int keyCode) {
    public boolean isInput() {
        return inputDevice != null;
    }
}
