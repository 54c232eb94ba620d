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

    /**
     * Installs a firmware bundle (a file on the box) into the inactive slot and restarts into it;
     * returns what to print ("error: ..." lines when refused). Boxes without A/B slots say so.
     */
    default String update(String bundleFile) {
        return "error: this box cannot install firmware bundles";
    }
}
