package io.tunnelbox.engine;

import io.tunnelbox.hal.time.Clock;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import org.tinylog.Logger;

/**
 * Drives one {@link Datapath} on its own thread on a real box: polls while there is work, backs
 * off (spin, yield, then short parks) when there is none, and runs its timers every
 * {@link #TICK_NANOS}. The progress counter lets the watchdog tell a live engine from a hung one.
 */
public final class DatapathRunner implements AutoCloseable {
    /** Timer resolution: keepalives and ageing work in seconds, so a tenth is plenty. */
    public static final long TICK_NANOS = 100_000_000L;
    /** Longest idle sleep: bounds the latency a packet sees on an idle box. */
    static final long MAX_PARK_NANOS = 200_000L;

    private final Datapath datapath;
    private final Clock clock;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long loops;
    private long failures;
    private long lastFailureLog = Long.MIN_VALUE;

    public DatapathRunner(Datapath datapath, Clock clock) {
        this.datapath = Objects.requireNonNull(datapath, "datapath");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.thread = Thread.ofPlatform().name("datapath-" + datapath.name()).daemon(false)
                .unstarted(this::loop);
    }

    public DatapathRunner start() {
        thread.start();
        return this;
    }

    /** Grows while the loop runs; a value that stops changing means the datapath is stuck. */
    public long progress() {
        return loops;
    }

    public String name() {
        return thread.getName();
    }

    public boolean isAlive() {
        return thread.isAlive();
    }

    private void loop() {
        long nextTick = clock.nanoTime() + TICK_NANOS;
        int idle = 0;
        while (running) {
            int work;
            try {
                work = datapath.poll();
                long now = clock.nanoTime();
                if (now - nextTick >= 0) {
                    datapath.tick();
                    nextTick = now + TICK_NANOS;
                }
            } catch (RuntimeException e) {
                // A bug must not take the box off the network: count it, log it at most once a
                // second, and keep forwarding.
                failures++;
                long now = clock.nanoTime();
                if (lastFailureLog == Long.MIN_VALUE || now - lastFailureLog >= 1_000_000_000L) {
                    lastFailureLog = now;
                    Logger.error(e, "datapath {} failed in a poll ({} failures so far); continuing",
                            datapath.name(), failures);
                }
                work = 0;
            }
            loops++;
            if (work > 0) {
                idle = 0;
            } else {
                idle(++idle);
            }
        }
    }

    private static void idle(int count) {
        if (count < 50) {
            Thread.onSpinWait();
        } else if (count < 100) {
            Thread.yield();
        } else {
            LockSupport.parkNanos(Math.min(MAX_PARK_NANOS, 1_000L << Math.min(count - 100, 8)));
        }
    }

    /** Stops the loop and waits for the thread to end. */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
