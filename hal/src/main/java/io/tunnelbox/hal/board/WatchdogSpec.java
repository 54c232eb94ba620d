package io.tunnelbox.hal.board;

/** The hardware watchdog device and the timeout the firmware asks it for. */
public record WatchdogSpec(String device, int timeoutSeconds) {
}
