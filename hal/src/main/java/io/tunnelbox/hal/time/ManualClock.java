package io.tunnelbox.hal.time;

import java.time.Duration;

/** A clock that moves only when told to: virtual time for tests and the in-memory simulation. */
public final class ManualClock implements Clock {
    private volatile long nanos;
    private final long epochMillisAtZero;

    public ManualClock() {
        this(1_700_000_000_000L);
    }

    public ManualClock(long epochMillisAtZero) {
        this.epochMillisAtZero = epochMillisAtZero;
    }

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public long epochMillis() {
        return epochMillisAtZero + nanos / 1_000_000L;
    }

    public void advance(Duration d) {
        nanos += d.toNanos();
    }

    public void advanceNanos(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("time does not go backwards: " + n);
        }
        nanos += n;
    }
}
