package io.tunnelbox.hal.watchdog;

import io.tunnelbox.hal.time.Clock;
import java.time.Duration;

/**
 * One engine thread's proof of progress. The thread calls {@link #beat()} once per loop
 * iteration, idle or not (a volatile write of the clock: no allocation, fine on the hot path).
 * A thread that stops cleanly calls {@link #close()} so that its silence is not taken for a hang.
 */
public final class Heartbeat implements AutoCloseable {
    private final String name;
    private final long maxSilenceNanos;
    private final Clock clock;
    private final EngineProgress owner;
    private volatile long last;

    Heartbeat(String name, Duration maxSilence, Clock clock, EngineProgress owner) {
        this.name = name;
        this.maxSilenceNanos = maxSilence.toNanos();
        this.clock = clock;
        this.owner = owner;
        this.last = clock.nanoTime();
    }

    public void beat() {
        last = clock.nanoTime();
    }

    public String name() {
        return name;
    }

    /** Nanoseconds of silence beyond the allowed maximum at {@code now}, or 0 if the thread is on time. */
    long overdueNanos(long now) {
        return Math.max(0, now - last - maxSilenceNanos);
    }

    long silentNanos(long now) {
        return now - last;
    }

    /** For a log line: "datapath silent for 4000 ms". */
    public String describe(long now) {
        return name + " silent for " + silentNanos(now) / 1_000_000L + " ms";
    }

    @Override
    public void close() {
        owner.unregister(this);
    }
}
