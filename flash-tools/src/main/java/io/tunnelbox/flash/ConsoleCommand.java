package io.tunnelbox.flash;

import com.fazecast.jSerialComm.SerialPort;
import io.tunnelbox.hal.board.BoardCatalog;
import io.tunnelbox.hal.board.BoardConfig;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "console", mixinStandardHelpOptions = true, description = {
        "A serial terminal to a box's console, for when the network is down: 8N1, the board file's",
        "speed (--board) or --speed, 115200 when neither. Ctrl-] quits."})
final class ConsoleCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DEV", description = "The USB serial adapter, e.g. /dev/ttyUSB0.")
    String device;

    @Option(names = "--board", paramLabel = "NAME", description = "Take the speed from this board file (e.g. nanopi-r4s: 1500000).")
    String board;

    @Option(names = "--speed", paramLabel = "BAUD")
    Integer speed;

    @Override
    public Integer call() throws Exception {
        int baud = speed != null ? speed : boardSpeed();
        SerialPort port = SerialBridge.open(device, baud);
        System.err.println("connected to " + device + " at " + baud + " 8N1; press Enter for the login prompt, Ctrl-] to quit");
        boolean raw = terminalMode("raw", "-echo");
        try {
            String why = SerialBridge.run(port, System.in, System.out);
            System.err.println("\r\ndisconnected: " + why);
        } finally {
            if (raw) {
                terminalMode("sane");
            }
        }
        return 0;
    }

    private int boardSpeed() {
        if (board == null) {
            return 115200;
        }
        BoardConfig b = BoardCatalog.shipped().byId(board).orElseThrow(() -> new FlashException("unknown board '" + board + "'"));
        return b.console() != null && b.console().baud() > 0 ? b.console().baud() : 115200;
    }

    /** Keys go to the box one by one, unechoed (the box echoes): stty on the controlling terminal, if there is one. */
    private static boolean terminalMode(String... args) {
        if (System.console() == null) {
            return false;
        }
        try {
            List<String> cmd = new java.util.ArrayList<>(List.of("sh", "-c", "stty " + String.join(" ", args) + " < /dev/tty"));
            return new ProcessBuilder(cmd).inheritIO().start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
