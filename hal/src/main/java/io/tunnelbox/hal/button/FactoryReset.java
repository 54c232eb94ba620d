package io.tunnelbox.hal.button;

/**
 * What a long press of the reset button does. The implementation (the firmware's configuration
 * service) keeps the current configuration as a backup before restoring the factory one, so a
 * press by mistake can be undone from the console.
 */
@FunctionalInterface
public interface FactoryReset {
    void restoreFactoryConfiguration();
}
