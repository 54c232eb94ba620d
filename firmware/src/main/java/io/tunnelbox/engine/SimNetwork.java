package io.tunnelbox.engine;

import io.tunnelbox.hal.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs several datapaths in one thread on virtual time: the in-memory network of tests and the
 * {@code sim} board. Packets move only when {@link #settle} polls, and time moves only when
 * {@link #advance} says so, so every run is repeatable.
 */
public final class SimNetwork {
    /** Rounds after which {@link #settle} gives up: a forwarding loop must not hang a test. */
    public static final int MAX_ROUNDS = 10_000;

    private final ManualClock clock;
    private final List<Datapath> datapaths = new ArrayList<>();

    public SimNetwork(ManualClock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public ManualClock clock() {
        return clock;
    }

    public SimNetwork add(Datapath datapath) {
        datapaths.add(Objects.requireNonNull(datapath, "datapath"));
        return this;
    }

    public List<Datapath> datapaths() {
        return List.copyOf(datapaths);
    }

    /**
     * Polls every datapath, round after round, until a whole round handles no packet; returns the
     * packets handled.
     *
     * @throws IllegalStateException if traffic is still moving after {@link #MAX_ROUNDS} rounds,
     *     which means packets loop
     */
    public long settle() {
        long total = 0;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            long moved = 0;
            for (Datapath d : datapaths) {
                moved += d.poll();
            }
            if (moved == 0) {
                return total;
            }
            total += moved;
        }
        throw new IllegalStateException("traffic still moving after " + MAX_ROUNDS
                + " rounds (" + total + " packets): a forwarding loop?");
    }

    /**
     * Moves virtual time forward by {@code total} in steps of {@code step}; after each step every
     * datapath's timers run and the network settles. Returns the packets handled.
     */
    public long advance(Duration total, Duration step) {
        long stepNanos = step.toNanos();
        if (stepNanos <= 0) {
            throw new IllegalArgumentException("step must be positive: " + step);
        }
        long handled = settle();
        for (long done = 0; done < total.toNanos(); done += stepNanos) {
            clock.advanceNanos(Math.min(stepNanos, total.toNanos() - done));
            for (Datapath d : datapaths) {
                d.tick();
            }
            handled += settle();
        }
        return handled;
    }
}
