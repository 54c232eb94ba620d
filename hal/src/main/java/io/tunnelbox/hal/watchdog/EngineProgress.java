package io.tunnelbox.hal.watchdog;

import io.tunnelbox.hal.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** The engine threads the watchdog vouches for: each registers a {@link Heartbeat} and beats it. */
public final class EngineProgress {
    private final Clock clock;
    private final List<Heartbeat> beats = new CopyOnWriteArrayList<>();

    public EngineProgress(Clock clock) {
        this.clock = clock;
    }

    /** @param maxSilence how long the thread may go without a beat before it counts as hung */
    public Heartbeat register(String threadName, Duration maxSilence) {
        Heartbeat h = new Heartbeat(threadName, maxSilence, clock, this);
        beats.add(h);
        return h;
    }

    void unregister(Heartbeat h) {
        beats.remove(h);
    }

    /** The first thread that has been silent too long at {@code now}; empty when all progress. */
    public Optional<Heartbeat> stalled(long now) {
        for (Heartbeat h : beats) {
            if (h.overdueNanos(now) > 0) {
                return Optional.of(h);
            }
        }
        return Optional.empty();
    }

    public int registered() {
        return beats.size();
    }
}
