package io.tunnelbox.console;

import io.tunnelbox.hal.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Logs out a console session nobody types into. Keystrokes {@link #touch()} it; {@link #check()},
 * called about once a second, fires {@code onIdle} once when a logged-in session has been quiet
 * for the timeout. Time comes from the injected {@link Clock}, so tests move it virtually.
 */
final class IdleGuard {
    private final Clock clock;
    private final long timeoutNanos;
    private final BooleanSupplier loggedIn;
    private final Runnable onIdle;
    private volatile long lastActivity;
    private volatile boolean fired;

    IdleGuard(Clock clock, Duration timeout, BooleanSupplier loggedIn, Runnable onIdle) {
        this.clock = clock;
        this.timeoutNanos = timeout.toNanos();
        this.loggedIn = loggedIn;
        this.onIdle = onIdle;
        this.lastActivity = clock.nanoTime();
    }

    void touch() {
        lastActivity = clock.nanoTime();
    }

    /** True when it fired (now or before). */
    boolean check() {
        if (fired) {
            return true;
        }
        if (!loggedIn.getAsBoolean()) {
            // The timeout counts from the login, not from a login prompt left waiting for days.
            touch();
            return false;
        }
        if (clock.nanoTime() - lastActivity < timeoutNanos) {
            return false;
        }
        fired = true;
        onIdle.run();
        return true;
    }
}
