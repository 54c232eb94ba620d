package io.tunnelbox.engine;

import io.tunnelbox.hal.time.Clock;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import org.tinylog.Logger;

/**
 * Drives one {@link Datapath} on its own thread on a real box: polls while there is work; when a
 * poll finds nothing, it spins a few polls and then sleeps on its {@link IdleWait} (on Linux a
 * poll(2) over the datapath's ports) until a packet arrives, {@link #wakeup()} is called or the
 * next timer tick is due. Timers run every {@link #TICK_NANOS}, so an idle box wakes about ten
 * times a second instead of thousands. The progress counter lets the watchdog tell a live engine
 * from a hung one.
 */
public final class DatapathRunner implements AutoCloseable {
    /** Timer resolution: keepalives and ageing work in seconds, so a tenth is plenty. */
    public static final long TICK_NANOS = 100_000_000L;
    /**
     * Empty polls before the thread sleeps: a burst often has a gap of a few microseconds, and a
     * poll costs less than falling asleep and being woken.
     */
    static final int SPINS = 8;
    /**
     * Consecutive waits that return at once without bringing work (a closed port keeps its poll
     * readable) before the runner parks instead, so a dead port cannot make it spin.
     */
    static final int MAX_EMPTY_WAKEUPS = 64;
    static final long FALLBACK_PARK_NANOS = 200_000L;

    private final Datapath datapath;
    private final Clock clock;
    private final IdleWait idleWait;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long loops;
    private volatile long sleeps;
    private long failures;
    private long lastFailureLog = Long.MIN_VALUE;

    /** A runner that parks briefly when idle (ports that cannot be polled: tests, simulation). */
    public DatapathRunner(Datapath datapath, Clock clock) {
        this(datapath, clock, IdleWait.parking());
    }

    /** A runner that sleeps on {@code idleWait} when idle; it closes the wait when it stops. */
    public DatapathRunner(Datapath datapath, Clock clock, IdleWait idleWait) {
        this.datapath = Objects.requireNonNull(datapath, "datapath");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.idleWait = Objects.requireNonNull(idleWait, "idle wait");
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

    /** How often the thread went to sleep on its idle wait (for tests and diagnostics). */
    public long sleeps() {
        return sleeps;
    }

    public String name() {
        return thread.getName();
    }

    public boolean isAlive() {
        return thread.isAlive();
    }

    /**
     * Ends a sleep now: a caller that queued work for the datapath (a configuration change, a
     * query) calls this so the work does not wait for the next tick. Any thread.
     */
    public void wakeup() {
        idleWait.wakeup();
    }

    private void loop() {
        try {
            run();
        } finally {
            idleWait.close();
        }
    }

    private void run() {
        long nextTick = clock.nanoTime() + TICK_NANOS;
        int idle = 0;
        int emptyWakeups = 0;
        while (running) {
            try {
                int work = datapath.poll();
                long now = clock.nanoTime();
                if (now - nextTick >= 0) {
                    datapath.tick();
                    nextTick = now + TICK_NANOS;
                }
                if (work > 0) {
                    idle = 0;
                    emptyWakeups = 0;
                } else if (++idle <= SPINS) {
                    Thread.onSpinWait();
                } else if (emptyWakeups >= MAX_EMPTY_WAKEUPS) {
                    LockSupport.parkNanos(FALLBACK_PARK_NANOS);
                    emptyWakeups = MAX_EMPTY_WAKEUPS - 1; // try the wait once more, park again if it still fails
                    idle = SPINS;
                } else {
                    long timeout = Math.max(1, nextTick - now);
                    long before = System.nanoTime();
                    idleWait.await(timeout);
                    sleeps++;
                    // A wait that came back at once, twice in a row without work, is suspicious.
                    emptyWakeups = System.nanoTime() - before < timeout / 16 ? emptyWakeups + 1 : 0;
                    idle = SPINS; // poll once more, then sleep again if it is still empty
                }
            } catch (InterruptedException e) {
                // close() interrupts nothing; an interrupt from elsewhere must not stop forwarding.
                Thread.interrupted();
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
            }
            loops++;
        }
    }

    /** Stops the loop and waits for the thread to end. */
    @Override
    public void close() {
        running = false;
        idleWait.wakeup();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
