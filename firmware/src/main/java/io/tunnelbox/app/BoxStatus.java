package io.tunnelbox.app;

import io.tunnelbox.engine.DatapathRunner;
import io.tunnelbox.hal.status.BoardServices;
import io.tunnelbox.hal.status.StatusEvent;
import io.tunnelbox.hal.watchdog.Heartbeat;
import io.tunnelbox.router.LinkState;
import io.tunnelbox.router.RouterDatapath;
import io.tunnelbox.router.Tunnel;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Once a second, tells the board what the engine is doing: tunnels up, traffic for the activity
 * LED, and a heartbeat per datapath thread that moved, so the watchdog reboots a box whose engine
 * hangs and only then.
 */
final class BoxStatus {
    /** A datapath loop that has not turned for this long is hung (it turns thousands of times a second). */
    static final Duration MAX_SILENCE = Duration.ofSeconds(10);

    private final BoardServices board;
    private final DatapathApplier dataplane;
    private final io.tunnelbox.config.ConfigService config;
    private final Map<DatapathRunner, Heartbeat> beats = new HashMap<>();
    private final Map<DatapathRunner, Long> lastProgress = new HashMap<>();

    BoxStatus(BoardServices board, DatapathApplier dataplane, io.tunnelbox.config.ConfigService config) {
        this.board = board;
        this.dataplane = dataplane;
        this.config = config;
    }

    synchronized void tick() {
        // STORAGE_FAILED needs a person (the fast-blinking error code); forwarding goes on.
        var storage = config.storageProblem();
        board.bus().publish(new StatusEvent.Error(storage.isPresent(), storage.map(p -> "STORAGE_FAILED: " + p).orElse("")));
        RouterDatapath router = dataplane.router();
        long packets = 0;
        if (router != null) {
            int up = 0;
            for (Tunnel t : router.tunnels()) {
                if (t.state() == LinkState.UP) {
                    up++;
                }
                packets += t.counters().rxPackets() + t.counters().txPackets();
            }
            board.bus().publish(new StatusEvent.Tunnels(router.tunnels().size(), up));
        }
        board.bus().publish(new StatusEvent.Traffic(packets));
        for (DatapathRunner runner : dataplane.runners()) {
            Heartbeat beat = beats.computeIfAbsent(runner,
                    r -> board.progress().register(r.name(), MAX_SILENCE));
            long progress = runner.progress();
            Long before = lastProgress.put(runner, progress);
            if (runner.isAlive() && (before == null || progress != before)) {
                beat.beat();
            }
        }
    }
}
