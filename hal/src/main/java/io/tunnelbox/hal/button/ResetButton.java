package io.tunnelbox.hal.button;

import java.time.Duration;
import org.tinylog.Logger;

/**
 * The reset button, polled on the injected clock (every tick of the HAL loop, some tens of ms):
 * held {@link #HOLD} without a break, it restores the factory configuration once; released
 * sooner, nothing destructive happens (the press is logged with how long it was). A bounce or a
 * release restarts the count, which errs on the safe side. After a reset the button must be
 * released before it can act again.
 */
public final class ResetButton {
    public static final Duration HOLD = Duration.ofSeconds(10);

    private final ButtonInput input;
    private final FactoryReset reset;
    private final long holdNanos;
    private boolean down;
    private long downSince;
    private boolean fired;
    private int resets;

    public ResetButton(ButtonInput input, FactoryReset reset) {
        this(input, reset, HOLD);
    }

    public ResetButton(ButtonInput input, FactoryReset reset, Duration hold) {
        this.input = input;
        this.reset = reset;
        this.holdNanos = hold.toNanos();
    }

    public void tick(long nowNanos) {
        boolean pressed = input.pressed();
        if (pressed && !down) {
            down = true;
            downSince = nowNanos;
            Logger.info("Reset button pressed: hold {} s to restore the factory configuration", holdNanos / 1_000_000_000L);
        } else if (!pressed && down) {
            down = false;
            if (!fired) {
                Logger.info("Reset button released after {} ms: nothing changed", (nowNanos - downSince) / 1_000_000L);
            }
            fired = false;
        }
        if (down && !fired && nowNanos - downSince >= holdNanos) {
            fired = true;
            resets++;
            Logger.warn("Reset button held {} s: restoring the factory configuration (the current one is kept as a backup)",
                    holdNanos / 1_000_000_000L);
            try {
                reset.restoreFactoryConfiguration();
            } catch (RuntimeException e) {
                Logger.error(e, "Factory reset failed");
            }
        }
    }

    /** How often an untouched button is looked at: a press shows within this, the hold is 10 s. */
    public static final long IDLE_POLL_NANOS = 200_000_000L;

    /** When to look again: soon while held (the hold is timed), otherwise within {@link #IDLE_POLL_NANOS}. */
    public long nextTickNanos(long nowNanos) {
        return down && !fired ? Math.min(nowNanos + IDLE_POLL_NANOS, downSince + holdNanos) : nowNanos + IDLE_POLL_NANOS;
    }

    /** Whether it is held now (for an LED hint while counting). */
    public boolean held() {
        return down;
    }

    public int resets() {
        return resets;
    }
}
