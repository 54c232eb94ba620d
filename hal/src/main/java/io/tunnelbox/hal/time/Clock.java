package io.tunnelbox.hal.time;

/**
 * Monotonic time, passed into every agent and timer instead of being read deep inside, so tests
 * run ageing, keepalives and confirm timeouts on virtual time ({@link ManualClock}).
 */
public interface Clock {
    /** Monotonic nanoseconds; only differences mean anything. */
    long nanoTime();

    /** Wall-clock milliseconds since the epoch, for timestamps shown to people. */
    long epochMillis();

    Clock SYSTEM = new Clock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long epochMillis() {
            return System.currentTimeMillis();
        }
    };
}
