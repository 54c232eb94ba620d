package io.tunnelbox.hal.board;

/**
 * One LED of a board: driven either through a GPIO line (Pi4J), a kernel LED under
 * {@code /sys/class/leds/<sysfs>}, or an in-memory LED ({@code memory}, sim board only).
 * Exactly one of {@code gpio}, {@code sysfs}, {@code memory} is set.
 */
public record LedSpec(LedFunction function, GpioLine gpio, String sysfs, String memory, boolean activeLow,
                      boolean addOn) {
    public String describe() {
        String where = gpio != null ? "gpio " + gpio : sysfs != null ? "/sys/class/leds/" + sysfs : "memory " + memory;
        return function.key() + " LED (" + where + (activeLow ? ", active low" : "") + ")";
    }
}
