package io.tunnelbox.app;

import io.tunnelbox.hal.offload.Offloads;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.tinylog.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true, description = {
        "Run the box: load the stored configuration (importing --config on first start), open the",
        "devices its tunnels and segments need, and forward until stopped (SIGTERM or Ctrl-C)."})
final class RunCommand implements Callable<Integer> {
    /** The line the lab (and systemd-less scripts) wait for. */
    static final String READY = "tunnelbox ready";

    @Option(names = "--config", description = "Initial configuration, stored as version 1 on first start.")
    Path config;

    @Option(names = "--state-dir",
            description = "Stored configuration, history and the control socket (default: /var/lib/tunnelbox;"
                    + " on the sim board a tunnelbox-sim directory in the temporary directory).")
    Path stateDir;

    @Option(names = "--board", defaultValue = "lab", description = "Board id from board-configs/ (default: ${DEFAULT-VALUE});"
            + " sim runs the box on in-memory ports with a simulated peer site, without root.")
    String board;

    @Option(names = "--console", defaultValue = "auto",
            description = "Console device: auto (the configuration's, else the board's), a device such as /dev/ttyS2, stdio, or none (default: ${DEFAULT-VALUE}).")
    String console;

    @Option(names = "--offloads",
            description = {"Offloads: all, none, or a list of tso (take TCP super-frames from the TUN/TAP device and",
                    "segment them), gro (coalesce TCP segments written to it), uso (send runs of VXLAN datagrams",
                    "of one flow with UDP_SEGMENT) and uro (receive such runs in one read with UDP_GRO). Overrides the",
                    "configuration's interfaces.offloads (default: all); the environment's TUNNELBOX_OFFLOADS does the",
                    "same when the option is not given. A kernel that refuses one is logged once and it stays off."})
    String offloads;

    @Override
    public Integer call() throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        Path state = stateDir != null ? stateDir : BoxRuntime.SIM_BOARD.equals(board)
                ? Path.of(System.getProperty("java.io.tmpdir"), "tunnelbox-sim-" + System.getProperty("user.name"))
                : Path.of("/var/lib/tunnelbox");
        java.nio.file.Files.createDirectories(state);
        String forced = offloads != null ? offloads : System.getenv("TUNNELBOX_OFFLOADS");
        BoxRuntime box = BoxRuntime.start(config, state, board, console,
                forced == null || forced.isBlank() ? null : Offloads.parse(forced));
        Thread hook = Thread.ofPlatform().unstarted(() -> {
            Logger.info("stopping");
            box.close();
            stop.countDown();
        });
        Runtime.getRuntime().addShutdownHook(hook);
        System.out.println(READY + ": " + box.config().running().system().hostname());
        System.out.flush();
        stop.await();
        return 0;
    }
}
