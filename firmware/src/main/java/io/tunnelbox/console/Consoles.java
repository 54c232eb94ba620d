package io.tunnelbox.console;

import io.tunnelbox.config.ConsoleConfig;
import io.tunnelbox.hal.board.ConsoleSpec;
import io.tunnelbox.hal.serial.JSerialCommLine;

/** Starts the console a box should have, from its board file and its configuration. */
public final class Consoles {
    /** The board files' name for the process's own terminal (sim and lab boards). */
    public static final String STDIO = "stdio";

    private Consoles() {
    }

    /** Where the console runs: a device path (or {@link #STDIO}) and the line speed. */
    public record Line(String device, int baud) {
    }

    /**
     * The configuration's {@code console.device} with its {@code console.speed} when one is set;
     * otherwise the board's console device at the board's speed, since that UART's speed is the
     * one the boot loader and kernel already use on it (1500000 on Rockchip boards).
     */
    public static Line choose(ConsoleSpec board, ConsoleConfig config) {
        if (!config.usesBoardDevice()) {
            return new Line(config.device(), config.speed());
        }
        return new Line(board.device(), board.baud() > 0 ? board.baud() : config.speed());
    }

    /** Starts it on its own thread; closing the result stops it. */
    public static AutoCloseable start(ConsoleSpec board, ConsoleConfig config, ConsoleContext ctx) {
        Line line = choose(board, config);
        if (STDIO.equals(line.device())) {
            return StreamConsole.onProcessStreams(ctx).start();
        }
        return new SerialConsole(new JSerialCommLine(line.device(), line.baud()), ctx).start();
    }
}
