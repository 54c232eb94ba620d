package io.tunnelbox.hal.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.hal.board.LedFunction;
import io.tunnelbox.hal.led.Led;
import io.tunnelbox.hal.led.MemoryLed;
import io.tunnelbox.hal.time.ManualClock;
import io.tunnelbox.hal.time.Sleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The tick loop sleeps until the earliest agent's next tick, within [period, 1 s], and the LEDs,
 * ticked only when they say they need it, still show their patterns on time.
 */
class TickLoopTest {
    private static final long MS = 1_000_000L;
    private final ManualClock clock = new ManualClock();

    @Test
    void shouldSleepTheLongestWhenEveryAgentIsSteady() {
        TickLoop loop = new TickLoop(clock, Sleeper.SYSTEM, Duration.ofMillis(25))
                .add("steady", now -> { }, now -> Long.MAX_VALUE);
        assertEquals(TickLoop.MAX_SLEEP.toNanos(), loop.sleepNanos(clock.nanoTime()));
    }

    @Test
    void shouldSleepUntilTheEarliestAgentButNeverLessThanThePeriod() {
        long now = clock.nanoTime();
        TickLoop loop = new TickLoop(clock, Sleeper.SYSTEM, Duration.ofMillis(25))
                .add("in 300 ms", t -> { }, t -> t + 300 * MS)
                .add("in 120 ms", t -> { }, t -> t + 120 * MS);
        assertEquals(120 * MS, loop.sleepNanos(now));
        loop.add("overdue", t -> { }, t -> t - 5 * MS);
        assertEquals(25 * MS, loop.sleepNanos(now));
    }

    @Test
    void shouldTickAPlainAgentEveryPeriod() {
        TickLoop loop = new TickLoop(clock, Sleeper.SYSTEM, Duration.ofMillis(25)).add("plain", t -> { });
        assertEquals(25 * MS, loop.sleepNanos(clock.nanoTime()));
    }

    @Test
    void shouldTickAFailingAgentEveryPeriod() {
        TickLoop loop = new TickLoop(clock, Sleeper.SYSTEM, Duration.ofMillis(25))
                .add("broken", t -> { throw new IllegalStateException("test"); }, t -> Long.MAX_VALUE);
        loop.runOnce();
        assertEquals(25 * MS, loop.sleepNanos(clock.nanoTime()));
    }

    @Test
    void shouldShowAHeartbeatOnTimeWithTicksOnlyWhenDue() {
        MemoryLed status = new MemoryLed("status");
        Map<LedFunction, Led> map = new EnumMap<>(LedFunction.class);
        map.put(LedFunction.STATUS, status);
        map.put(LedFunction.WAN, new MemoryLed("wan"));
        StatusLeds leds = new StatusLeds(map);
        leds.accept(new StatusEvent.Running(true));
        leds.accept(new StatusEvent.Healthy(true));
        leds.accept(new StatusEvent.WanLink(true));
        TickLoop loop = new TickLoop(clock, Sleeper.SYSTEM, Duration.ofMillis(25))
                .add("status LEDs", leds::tick, leds::nextTickNanos);
        long start = clock.nanoTime();
        List<String> changes = new ArrayList<>();
        boolean lit = false;
        int ticks = 0;
        while (clock.nanoTime() - start < 2000 * MS) {
            loop.runOnce();
            ticks++;
            if (status.isOn() != lit || ticks == 1) {
                lit = status.isOn();
                changes.add((lit ? "on " : "off ") + (clock.nanoTime() - start) / MS);
            }
            clock.advanceNanos(loop.sleepNanos(clock.nanoTime()));
        }
        // The heartbeat: on 100, off 150, on 100, off 650, twice.
        assertEquals(List.of("on 0", "off 100", "on 250", "off 350", "on 1000", "off 1100", "on 1250", "off 1350"), changes);
        assertTrue(ticks <= 10, "ticked " + ticks + " times in 2 s (every 25 ms would be 80)");
    }

    @Test
    void shouldWakeRarelyWithSteadyLeds() {
        MemoryLed status = new MemoryLed("status");
        StatusLeds leds = new StatusLeds(Map.of(LedFunction.STATUS, status));
        leds.accept(new StatusEvent.Running(true)); // running, not yet healthy: steady on
        TickLoop loop = new TickLoop(clock, Sleeper.SYSTEM, Duration.ofMillis(25))
                .add("status LEDs", leds::tick, leds::nextTickNanos);
        loop.runOnce();
        assertTrue(status.isOn());
        assertEquals(TickLoop.MAX_SLEEP.toNanos(), loop.sleepNanos(clock.nanoTime()));
    }
}
