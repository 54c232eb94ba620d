package io.tunnelbox.hal.watchdog;

/** A hardware watchdog: reboots the box unless kicked in time. */
public interface WatchdogDevice {
    void kick();

    /** Clean stop: disarm (magic close) so that stopping the firmware does not reboot the box. */
    void disarm();
}
