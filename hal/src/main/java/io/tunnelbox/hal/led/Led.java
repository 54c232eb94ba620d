package io.tunnelbox.hal.led;

/**
 * One on/off LED, whatever drives it (a GPIO line through Pi4J, a kernel LED in sysfs, memory).
 * {@code on} means lit: polarity (active low) is the implementation's business.
 */
public interface Led extends AutoCloseable {
    String name();

    void set(boolean on);

    boolean isOn();

    /** Leaves the LED off and releases it. */
    @Override
    void close();
}
