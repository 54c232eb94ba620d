package io.tunnelbox.hal.led;

import java.util.Arrays;

/**
 * A repeating on/off sequence: phase durations in milliseconds, the first one lit. Steady
 * patterns have no phases. Chosen so that each is told apart at a glance: a heartbeat's double
 * flash, a fast 5 Hz flicker, a slow 1 Hz blink, and blink codes (count the flashes between pauses).
 */
public record LedPattern(String name, boolean steady, long[] phasesMillis) {
    public static final LedPattern OFF = new LedPattern("off", false, new long[0]);
    public static final LedPattern ON = new LedPattern("on", true, new long[0]);
    /** Two short flashes a second, like a pulse. */
    public static final LedPattern HEARTBEAT = new LedPattern("heartbeat", false, new long[] {100, 150, 100, 650});
    public static final LedPattern FAST_BLINK = new LedPattern("fast blink", false, new long[] {100, 100});
    public static final LedPattern SLOW_BLINK = new LedPattern("slow blink", false, new long[] {500, 500});

    static final long CODE_ON = 250;
    static final long CODE_GAP = 250;
    static final long CODE_PAUSE = 1500;

    /** {@code n} flashes of 250 ms, 250 ms apart, then 1.5 s dark. */
    public static LedPattern blinkCode(int n) {
        long[] phases = new long[2 * n];
        for (int i = 0; i < n; i++) {
            phases[2 * i] = CODE_ON;
            phases[2 * i + 1] = i == n - 1 ? CODE_PAUSE : CODE_GAP;
        }
        return new LedPattern("blink code " + n, false, phases);
    }

    public long cycleMillis() {
        return Arrays.stream(phasesMillis).sum();
    }

    /** Lit or not, {@code elapsedNanos} after the pattern started. */
    public boolean levelAt(long elapsedNanos) {
        if (phasesMillis.length == 0) {
            return steady;
        }
        long t = Math.floorMod(elapsedNanos / 1_000_000L, cycleMillis());
        for (int i = 0; i < phasesMillis.length; i++) {
            if (t < phasesMillis[i]) {
                return i % 2 == 0;
            }
            t -= phasesMillis[i];
        }
        return false;
    }

    /**
     * Nanoseconds from {@code elapsedNanos} after the start to the next change of level, at least
     * one millisecond; {@link Long#MAX_VALUE} for a steady pattern (it never changes by itself).
     */
    public long nanosToNextChange(long elapsedNanos) {
        if (phasesMillis.length == 0) {
            return Long.MAX_VALUE;
        }
        long t = Math.floorMod(elapsedNanos / 1_000_000L, cycleMillis());
        long boundary = 0;
        for (long phase : phasesMillis) {
            boundary += phase;
            if (t < boundary) {
                break;
            }
        }
        return Math.max(1, boundary - t) * 1_000_000L;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LedPattern p && p.steady == steady && Arrays.equals(p.phasesMillis, phasesMillis);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(phasesMillis) * 31 + (steady ? 1 : 0);
    }

    @Override
    public String toString() {
        return name;
    }
}
