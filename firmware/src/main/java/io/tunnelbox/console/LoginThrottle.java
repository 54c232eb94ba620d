package io.tunnelbox.console;

import java.time.Duration;

/**
 * Slows down password guessing on the console: after {@code freeAttempts} failures in a row each
 * further failure waits twice as long as the one before, up to {@code maxDelay}. A success resets
 * it. It outlives console sessions, so unplugging the cable does not reset the count.
 */
public final class LoginThrottle {
    private final int freeAttempts;
    private final Duration firstDelay;
    private final Duration maxDelay;
    private int failures;

    public LoginThrottle() {
        this(3, Duration.ofSeconds(1), Duration.ofSeconds(60));
    }

    public LoginThrottle(int freeAttempts, Duration firstDelay, Duration maxDelay) {
        if (freeAttempts < 0 || firstDelay.isNegative() || maxDelay.compareTo(firstDelay) < 0) {
            throw new IllegalArgumentException("bad throttle: " + freeAttempts + ", " + firstDelay + ", " + maxDelay);
        }
        this.freeAttempts = freeAttempts;
        this.firstDelay = firstDelay;
        this.maxDelay = maxDelay;
    }

    /** Counts a failed login; returns how long to wait before the next prompt. */
    public synchronized Duration failed() {
        failures++;
        int over = failures - freeAttempts;
        if (over <= 0) {
            return Duration.ZERO;
        }
        Duration d = firstDelay;
        for (int i = 1; i < over && d.compareTo(maxDelay) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maxDelay) > 0 ? maxDelay : d;
    }

    public synchronized void succeeded() {
        failures = 0;
    }

    public synchronized int failures() {
        return failures;
    }
}
