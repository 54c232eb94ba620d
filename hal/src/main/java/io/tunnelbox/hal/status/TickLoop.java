package io.tunnelbox.hal.status;

import io.tunnelbox.hal.time.Clock;
import io.tunnelbox.hal.time.Sleeper;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import org.tinylog.Logger;

/**
 * One thread that ticks the HAL's slow agents (link monitor, LEDs, reset button, watchdog) on the
 * injected clock every {@code period}. Tests and the sim call {@link #runOnce()} on virtual time
 * instead of starting the thread. It is not an engine thread, so a hung engine cannot stop it
 * from noticing (the watchdog relies on that).
 */
public final class TickLoop {
    public static final Duration DEFAULT_PERIOD = Duration.ofMillis(25);

    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration period;
    private final List<Agent> agents = new CopyOnWriteArrayList<>();
    private volatile boolean running;
    private Thread thread;

    private static final class Agent {
        final String name;
        final LongConsumer tick;
        boolean failing;

        Agent(String name, LongConsumer tick) {
            this.name = name;
            this.tick = tick;
        }
    }

    public TickLoop(Clock clock, Sleeper sleeper, Duration period) {
        this.clock = clock;
        this.sleeper = sleeper;
        this.period = period;
    }

    public TickLoop add(String name, LongConsumer tick) {
        agents.add(new Agent(name, tick));
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

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().daemon().name("hal-tick").start(() -> {
            while (running) {
                runOnce();
                try {
                    sleeper.sleep(period);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });
    }

    public synchronized void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }
}
