package io.tunnelbox.hal.board;

/** The serial console: device path and line speed (8N1). */
public record ConsoleSpec(String device, int baud) {
}
