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

    @Option(names = "--state-dir", defaultValue = "/var/lib/tunnelbox",
            description = "Stored configuration, history and the control socket (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--board", defaultValue = "lab", description = "Board id from board-configs/ (default: ${DEFAULT-VALUE}).")
    String board;

    @Option(names = "--console", defaultValue = "auto",
            description = "Console device: auto (the configuration's, else the board's), a device such as /dev/ttyS2, stdio, or none (default: ${DEFAULT-VALUE}).")
    String console;

    @Option(names = "--offloads", defaultValue = "${env:TUNNELBOX_OFFLOADS:-all}",
            description = {"Offloads: all, none, or a list of tso (take TCP super-frames from the TUN/TAP device and",
                    "segment them), gro (coalesce TCP segments written to it) and uso (send runs of VXLAN datagrams",
                    "of one flow with UDP_SEGMENT); default: ${DEFAULT-VALUE} (environment TUNNELBOX_OFFLOADS).",
                    "A kernel that refuses one is logged once and it stays off."})
    String offloads;

    @Override
    public Integer call() throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        BoxRuntime box = BoxRuntime.start(config, stateDir, board, console, Offloads.parse(offloads));
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
