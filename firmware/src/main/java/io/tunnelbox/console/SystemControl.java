package io.tunnelbox.console;

/**
 * What the console may do to the box itself. The application implements it (restart through
 * systemd, wipe the stored configuration); tests record the calls.
 */
public interface SystemControl {
    /** Restarts the box; may return before it happens. */
    void reboot();

    /** Erases the stored configuration and history, then restarts the box with factory defaults. */
    void factoryReset();
}
