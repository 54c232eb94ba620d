package io.tunnelbox.hal.status;

import io.tunnelbox.hal.time.Clock;
import io.tunnelbox.hal.time.Sleeper;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.function.LongUnaryOperator;
import org.tinylog.Logger;

/**
 * One thread that ticks the HAL's slow agents (link monitor, LEDs, reset button, watchdog) on the
 * injected clock. Each agent may say when it next has work ({@code nextDue}: an LED's next level
 * change, the next watchdog kick); the thread sleeps until the earliest of those, at least
 * {@code period} and at most {@link #MAX_SLEEP}, and {@link #wake()} (an event: a status change,
 * a link event) cuts a sleep short. An idle box with steady LEDs thus wakes about once a second
 * instead of 40 times (each wake-up cost a little CPU, together most of an idle box's). Tests and
 * the sim call {@link #runOnce()} on virtual time instead of starting the thread. It is not an
 * engine thread, so a hung engine cannot stop it from noticing (the watchdog relies on that).
 */
public final class TickLoop {
    public static final Duration DEFAULT_PERIOD = Duration.ofMillis(25);
    /** The longest sleep, whatever the agents say: a bound on how late a missed wake-up is noticed. */
    public static final Duration MAX_SLEEP = Duration.ofSeconds(1);

    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration period;
    private final List<Agent> agents = new CopyOnWriteArrayList<>();
    private volatile boolean running;
    private volatile boolean woken;
    private volatile Thread thread;

    private static final class Agent {
        final String name;
        final LongConsumer tick;
        final LongUnaryOperator nextDue;
        boolean failing;

        Agent(String name, LongConsumer tick, LongUnaryOperator nextDue) {
            this.name = name;
            this.tick = tick;
            this.nextDue = nextDue;
        }
    }

    public TickLoop(Clock clock, Sleeper sleeper, Duration period) {
        this.clock = clock;
        this.sleeper = sleeper;
        this.period = period;
    }

    /** An agent ticked every {@code period}. */
    public TickLoop add(String name, LongConsumer tick) {
        long p = period.toNanos();
        return add(name, tick, now -> now + p);
    }

    /**
     * An agent that says, after each tick, when it next needs one ({@code nextDue(now)}: an
     * absolute time on the clock; {@link Long#MAX_VALUE} for "only on an event").
     */
    public TickLoop add(String name, LongConsumer tick, LongUnaryOperator nextDue) {
        agents.add(new Agent(name, tick, nextDue));
        return this;
    }

    /** Ticks every agent once at the clock's time; one failing agent does not stop the others. */
    public void runOnce() {
        long now = clock.nanoTime();
        for (Agent a : agents) {
            try {
                a.tick.accept(now);
                a.failing = false;
            } catch (RuntimeException e) {
                if (!a.failing) {
                    Logger.error(e, "HAL agent {} failed", a.name);
                    a.failing = true;
                }
            }
        }
    }

    /**
     * How long to sleep after a tick at {@code now}: until the earliest agent's next tick, within
     * [period, {@link #MAX_SLEEP}]. A failing agent is ticked every period.
     */
    public long sleepNanos(long now) {
        long due = now + MAX_SLEEP.toNanos();
        for (Agent a : agents) {
            long next;
            try {
                next = a.failing ? now : a.nextDue.applyAsLong(now);
            } catch (RuntimeException e) {
                next = now;
            }
            due = Math.min(due, next);
        }
        return Math.max(period.toNanos(), due - now);
    }

    /** Ends the current sleep now (something changed that an agent should show). Any thread. */
    public void wake() {
        woken = true;
        Thread t = thread;
        if (t != null && sleeper == Sleeper.SYSTEM) {
            LockSupport.unpark(t);
        }
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().daemon().name("hal-tick").start(() -> {
            while (running) {
                woken = false;
                runOnce();
                long sleep = sleepNanos(clock.nanoTime());
                try {
                    if (sleeper == Sleeper.SYSTEM) {
                        // Parked so that wake() can end it early; woken guards a wake-up between the tick and the park.
                        long until = System.nanoTime() + sleep;
                        while (running && !woken && System.nanoTime() - until < 0) {
                            LockSupport.parkNanos(until - System.nanoTime());
                        }
                        if (Thread.interrupted()) {
                            return;
                        }
                    } else {
                        sleeper.sleep(Duration.ofNanos(sleep));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });
    }

    public synchronized void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }
}
