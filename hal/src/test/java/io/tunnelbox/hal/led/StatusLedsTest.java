package io.tunnelbox.hal.led;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import io.tunnelbox.hal.board.BoardCatalog;
import io.tunnelbox.hal.board.BoardConfig;
import io.tunnelbox.hal.board.BoardGpio;
import io.tunnelbox.hal.board.GpioLine;
import io.tunnelbox.hal.board.LedFunction;
import io.tunnelbox.hal.nic.LinkMonitor;
import io.tunnelbox.hal.nic.NicRoles;
import io.tunnelbox.hal.sim.SimNics;
import io.tunnelbox.hal.status.StatusBus;
import io.tunnelbox.hal.status.StatusEvent;
import io.tunnelbox.hal.status.StatusLeds;
import io.tunnelbox.hal.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each scenario publishes state events, runs the LED logic on virtual time (a tick every 10 ms)
 * and asserts the on/off sequence read back from Pi4J's mock GPIO outputs, as run lengths:
 * "on 100, off 150" = lit 100 ms, then dark 150 ms.
 */
class StatusLedsTest {
    static final long STEP_MS = 10;

    private Context pi4j;
    private BoardGpio gpio;
    private final Map<LedFunction, DigitalOutput> lines = new EnumMap<>(LedFunction.class);
    private StatusLeds leds;
    private final StatusBus bus = new StatusBus();
    private final ManualClock clock = new ManualClock();

    @BeforeEach
    void setUp() {
        pi4j = Pi4jMock.context();
        gpio = BoardGpio.mock(pi4j);
        Map<LedFunction, Led> map = new EnumMap<>(LedFunction.class);
        int line = 5;
        for (LedFunction f : LedFunction.values()) {
            boolean activeLow = f == LedFunction.TUNNELS; // one LED wired to 3.3 V: lit when the line is low
            DigitalOutput out = gpio.output(new GpioLine("gpiochip0", line++), "led-" + f.key(),
                    GpioLed.offLevel(activeLow));
            lines.put(f, out);
            map.put(f, new GpioLed(f.key(), out, activeLow));
        }
        leds = new StatusLeds(map);
        bus.subscribe(leds);
    }

    @AfterEach
    void tearDown() {
        leds.close();
        gpio.close();
        pi4j.shutdown();
    }

    private boolean lit(LedFunction f) {
        boolean high = lines.get(f).state() == DigitalState.HIGH;
        return f == LedFunction.TUNNELS ? !high : high;
    }

    /** Runs {@code millis} of virtual time, running {@code beforeTick} before each tick, and returns the LED's run lengths. */
    private String trace(LedFunction f, long millis, Runnable beforeTick) {
        List<String> runs = new ArrayList<>();
        Boolean current = null;
        long length = 0;
        for (long t = 0; t < millis; t += STEP_MS) {
            beforeTick.run();
            leds.tick(clock.nanoTime());
            boolean on = lit(f);
            if (current != null && on != current) {
                runs.add((current ? "on " : "off ") + length);
                length = 0;
            }
            current = on;
            length += STEP_MS;
            clock.advance(Duration.ofMillis(STEP_MS));
        }
        runs.add((current ? "on " : "off ") + length);
        return String.join(", ", runs);
    }

    private String trace(LedFunction f, long millis) {
        return trace(f, millis, () -> { });
    }

    @Test
    void shouldKeepEverythingDarkBeforeTheEngineRuns() {
        for (LedFunction f : LedFunction.values()) {
            assertEquals("off 1000", trace(f, 1000), f.key());
        }
        assertEquals(DigitalState.HIGH, lines.get(LedFunction.TUNNELS).state(), "active-low LED off = line high");
    }

    @Test
    void shouldShowSteadyWhileRunningAndAHeartbeatWhenHealthy() {
        bus.publish(new StatusEvent.Running(true));
        assertEquals("on 500", trace(LedFunction.STATUS, 500));
        bus.publish(new StatusEvent.Healthy(true));
        assertEquals("on 100, off 150, on 100, off 650, on 100, off 150, on 100, off 650",
                trace(LedFunction.STATUS, 2000));
    }

    @Test
    void shouldFastBlinkOnErrorAndReturnToTheHeartbeatWhenItClears() {
        bus.publish(new StatusEvent.Running(true));
        bus.publish(new StatusEvent.Healthy(true));
        bus.publish(new StatusEvent.Error(true, "apply failed"));
        assertEquals("on 100, off 100, on 100, off 100, on 100, off 100", trace(LedFunction.STATUS, 600));
        bus.publish(new StatusEvent.Error(false, ""));
        assertEquals("on 100, off 150, on 100, off 650", trace(LedFunction.STATUS, 1000));
    }

    @Test
    void shouldBlinkCodeTwoWhenTheConfigFellBack() {
        bus.publish(new StatusEvent.Running(true));
        bus.publish(new StatusEvent.Healthy(true));
        bus.publish(new StatusEvent.ConfigFellBack(true));
        assertEquals("on 250, off 250, on 250, off 1500, on 250, off 250, on 250, off 1500",
                trace(LedFunction.STATUS, 4500));
    }

    @Test
    void shouldBlinkCodeThreeWithoutAWanAddress() {
        bus.publish(new StatusEvent.Running(true));
        bus.publish(new StatusEvent.WanAddress(false));
        assertEquals("on 250, off 250, on 250, off 250, on 250, off 1500", trace(LedFunction.STATUS, 2750));
        bus.publish(new StatusEvent.WanAddress(true));
        assertEquals("on 300", trace(LedFunction.STATUS, 300));
    }

    @Test
    void shouldBlinkCodeFourDuringAnUpdateAboveEverythingElse() {
        bus.publish(new StatusEvent.Running(true));
        bus.publish(new StatusEvent.Error(true, "disk full"));
        bus.publish(new StatusEvent.ConfigFellBack(true));
        bus.publish(new StatusEvent.UpdateInProgress(true));
        assertEquals("on 250, off 250, on 250, off 250, on 250, off 250, on 250, off 1500",
                trace(LedFunction.STATUS, 3250));
        bus.publish(new StatusEvent.UpdateInProgress(false));
        assertEquals("on 100, off 100, on 100, off 100", trace(LedFunction.STATUS, 400), "error shows again");
    }

    @Test
    void shouldFollowTheWanLinkFromTheLinkMonitorOfTheSimBoard() {
        BoardConfig sim = BoardCatalog.shipped().byId("sim").orElseThrow();
        SimNics nics = SimNics.forBoard(sim);
        LinkMonitor monitor = new LinkMonitor(nics, NicRoles.assign(sim, nics.scan()));
        monitor.addListener(bus.wanLinkPublisher());
        Runnable poll = () -> monitor.tick(clock.nanoTime());
        assertEquals("on 500", trace(LedFunction.WAN, 500, poll));
        int[] tick = {0};
        // The cable is pulled 10 ms after a poll: the LED goes dark at the next poll, 250 ms after it.
        assertEquals("on 250, off 750", trace(LedFunction.WAN, 1000, () -> {
            if (tick[0]++ == 1) {
                nics.setLink("sim-wan", false);
            }
            poll.run();
        }));
        nics.setLink("sim-wan", true);
        assertEquals("on 500", trace(LedFunction.WAN, 500, poll), "plugged in when a poll was due: lit at once");
    }

    @Test
    void shouldShowTunnelsOnWhenAllUpSlowBlinkWhenSomeDownAndOffWhenNone() {
        assertEquals("off 1000", trace(LedFunction.TUNNELS, 1000));
        bus.publish(new StatusEvent.Tunnels(3, 3));
        assertEquals("on 1000", trace(LedFunction.TUNNELS, 1000));
        bus.publish(new StatusEvent.Tunnels(3, 2));
        assertEquals("on 500, off 500, on 500, off 500", trace(LedFunction.TUNNELS, 2000));
        bus.publish(new StatusEvent.Tunnels(3, 0));
        assertEquals("on 500, off 500", trace(LedFunction.TUNNELS, 1000), "all down is still some down");
        bus.publish(new StatusEvent.Tunnels(0, 0));
        assertEquals("off 500", trace(LedFunction.TUNNELS, 500));
    }

    @Test
    void shouldFlashOnceForOnePacket() {
        assertEquals("off 200", trace(LedFunction.ACTIVITY, 200));
        bus.publish(new StatusEvent.Traffic(1));
        assertEquals("on 50, off 950", trace(LedFunction.ACTIVITY, 1000));
    }

    @Test
    void shouldFlashAtMostTenTimesASecondUnderHeavyTraffic() {
        long[] packets = {0};
        String t = trace(LedFunction.ACTIVITY, 1000, () -> bus.publish(new StatusEvent.Traffic(packets[0] += 800)));
        assertEquals(String.join(", ", java.util.Collections.nCopies(10, "on 50, off 50")), t);
    }

    @Test
    void shouldFoldTrafficDuringAFlashIntoTheNextOne() {
        long[] packets = {0};
        long[] tick = {0};
        // A packet at 0 ms and another at 20 ms (inside the first flash): two flashes, the second at 100 ms.
        String t = trace(LedFunction.ACTIVITY, 300, () -> {
            if (tick[0] == 0 || tick[0] == 2) {
                bus.publish(new StatusEvent.Traffic(++packets[0]));
            }
            tick[0]++;
        });
        assertEquals("on 50, off 50, on 50, off 150", t);
    }
}
