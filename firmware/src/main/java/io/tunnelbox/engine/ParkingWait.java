package io.tunnelbox.engine;

import java.util.concurrent.locks.LockSupport;

/**
 * The idle wait for ports nobody can poll (in-memory ports in tests and the simulation): short
 * parks, so a packet waits at most one park. Costs thousands of wake-ups a second; Linux ports use
 * a poll(2) instead.
 */
final class ParkingWait implements IdleWait {
    private final long maxParkNanos;
    private volatile Thread waiter;

    ParkingWait(long maxParkNanos) {
        if (maxParkNanos <= 0) {
            throw new IllegalArgumentException("park bound " + maxParkNanos + " ns must be positive");
        }
        this.maxParkNanos = maxParkNanos;
    }

    @Override
    public void await(long timeoutNanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        waiter = Thread.currentThread();
        LockSupport.parkNanos(Math.max(1, Math.min(maxParkNanos, timeoutNanos)));
    }

    @Override
    public void wakeup() {
        Thread t = waiter;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    @Override
    public void close() {
        wakeup();
    }
}
