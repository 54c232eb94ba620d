package io.tunnelbox.hal.status;

import io.tunnelbox.hal.board.LedFunction;
import io.tunnelbox.hal.led.Led;
import io.tunnelbox.hal.led.LedPattern;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Drives the status LEDs from {@link StatusEvent}s. Events may come from any thread and only
 * record facts; {@link #tick(long)}, called every few tens of milliseconds by one thread on the
 * injected clock, turns the facts into patterns and the patterns into on/off. A pattern restarts
 * from its first phase when it changes, so a blink code is always seen from its first flash.
 *
 * <p>Status LED, highest priority first: update in progress (blink code 4), error (fast blink),
 * config fell back to last good (blink code 2), no WAN address (blink code 3), healthy
 * (heartbeat), running (steady), not running (off).
 */
public final class StatusLeds implements Consumer<StatusEvent>, AutoCloseable {
    public static final int CODE_CONFIG_FELL_BACK = 2;
    public static final int CODE_NO_WAN_ADDRESS = 3;
    public static final int CODE_UPDATE = 4;
    /** An activity flash lasts 50 ms and starts at most every 100 ms: at most 10 flashes a second, whatever the traffic. */
    static final long ACTIVITY_ON_NANOS = 50_000_000L;
    static final long ACTIVITY_PERIOD_NANOS = 100_000_000L;
    private static final LedPattern CONFIG_FELL_BACK = LedPattern.blinkCode(CODE_CONFIG_FELL_BACK);
    private static final LedPattern NO_WAN_ADDRESS = LedPattern.blinkCode(CODE_NO_WAN_ADDRESS);
    private static final LedPattern UPDATE = LedPattern.blinkCode(CODE_UPDATE);

    private final Map<LedFunction, Led> leds;

    private volatile boolean running;
    private volatile boolean healthy;
    private volatile boolean error;
    private volatile boolean configFellBack;
    private volatile boolean wanAddress = true;
    private volatile boolean updating;
    private volatile boolean wanLink;
    private volatile StatusEvent.Tunnels tunnels = new StatusEvent.Tunnels(0, 0);
    private volatile long trafficPackets;

    // Owned by the tick thread.
    private final Map<LedFunction, LedPattern> shown = new EnumMap<>(LedFunction.class);
    private final Map<LedFunction, Long> since = new EnumMap<>(LedFunction.class);
    private long trafficShown;
    private long flashStart;
    private boolean flashed;

    public StatusLeds(Map<LedFunction, Led> leds) {
        this.leds = new EnumMap<>(LedFunction.class);
        this.leds.putAll(leds);
    }

    @Override
    public void accept(StatusEvent event) {
        switch (event) {
            case StatusEvent.Running r -> running = r.running();
            case StatusEvent.Healthy h -> healthy = h.healthy();
            case StatusEvent.Error e -> error = e.active();
            case StatusEvent.ConfigFellBack c -> configFellBack = c.fellBack();
            case StatusEvent.WanAddress w -> wanAddress = w.present();
            case StatusEvent.UpdateInProgress u -> updating = u.active();
            case StatusEvent.WanLink l -> wanLink = l.up();
            case StatusEvent.Tunnels t -> tunnels = t;
            case StatusEvent.Traffic t -> trafficPackets = t.packets();
        }
    }

    public LedPattern statusPattern() {
        if (updating) {
            return UPDATE;
        }
        if (error) {
            return LedPattern.FAST_BLINK;
        }
        if (!running) {
            return LedPattern.OFF;
        }
        if (configFellBack) {
            return CONFIG_FELL_BACK;
        }
        if (!wanAddress) {
            return NO_WAN_ADDRESS;
        }
        return healthy ? LedPattern.HEARTBEAT : LedPattern.ON;
    }

    public LedPattern wanPattern() {
        return wanLink ? LedPattern.ON : LedPattern.OFF;
    }

    public LedPattern tunnelsPattern() {
        StatusEvent.Tunnels t = tunnels;
        if (t.configured() == 0) {
            return LedPattern.OFF;
        }
        return t.up() >= t.configured() ? LedPattern.ON : LedPattern.SLOW_BLINK;
    }

    public void tick(long nowNanos) {
        show(LedFunction.STATUS, statusPattern(), nowNanos);
        show(LedFunction.WAN, wanPattern(), nowNanos);
        show(LedFunction.TUNNELS, tunnelsPattern(), nowNanos);
        Led activity = leds.get(LedFunction.ACTIVITY);
        if (activity != null) {
            long packets = trafficPackets;
            if (packets != trafficShown && (!flashed || nowNanos - flashStart >= ACTIVITY_PERIOD_NANOS)) {
                trafficShown = packets; // everything since the last flash folds into this one
                flashStart = nowNanos;
                flashed = true;
            }
            activity.set(flashed && nowNanos - flashStart < ACTIVITY_ON_NANOS);
        }
    }

    /**
     * When the LEDs next need a {@link #tick}: the next level change of a blinking pattern or the
     * end of an activity flash (absolute, on the tick clock); far in the future when every LED is
     * steady. Patterns chosen after an event start at the tick the event causes (the owner wakes
     * its loop on events). Tick thread only.
     */
    public long nextTickNanos(long nowNanos) {
        long next = Long.MAX_VALUE;
        for (Map.Entry<LedFunction, LedPattern> e : shown.entrySet()) {
            if (leds.containsKey(e.getKey())) {
                long wait = e.getValue().nanosToNextChange(nowNanos - since.get(e.getKey()));
                if (wait != Long.MAX_VALUE) {
                    next = Math.min(next, nowNanos + wait);
                }
            }
        }
        if (leds.containsKey(LedFunction.ACTIVITY) && flashed) {
            if (nowNanos - flashStart < ACTIVITY_ON_NANOS) {
                next = Math.min(next, flashStart + ACTIVITY_ON_NANOS);
            }
            if (trafficPackets != trafficShown) {
                next = Math.min(next, Math.max(nowNanos, flashStart + ACTIVITY_PERIOD_NANOS));
            }
        }
        return next;
    }

    private void show(LedFunction f, LedPattern pattern, long now) {
        Led led = leds.get(f);
        if (led == null) {
            return;
        }
        if (!pattern.equals(shown.get(f))) {
            shown.put(f, pattern);
            since.put(f, now);
        }
        led.set(pattern.levelAt(now - since.get(f)));
    }

    /** Everything dark, LEDs released. */
    @Override
    public void close() {
        for (Led led : leds.values()) {
            led.close();
        }
    }
}
