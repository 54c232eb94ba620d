package io.tunnelbox.config;

/**
 * The serial maintenance console.
 *
 * @param device serial device path; empty means the board's console device (from its board file)
 * @param speed  line speed in baud
 */
public record ConsoleConfig(String device, int speed) {
    public static final ConsoleConfig DEFAULT = new ConsoleConfig("", 115200);

    public boolean usesBoardDevice() {
        return device.isEmpty();
    }
}
