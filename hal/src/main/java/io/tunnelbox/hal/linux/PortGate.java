package io.tunnelbox.hal.linux;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.tinylog.Logger;

/**
 * Lets {@code close()} release a port's file descriptors only once no thread is inside a call that
 * uses them. Closing an fd under a thread blocked in {@code poll} does not wake it on Linux, and
 * the number may be reused at once by another open; so close marks the port closed, wakes waiters
 * and waits for the calls in flight to leave before the descriptors go.
 *
 * <p>Per call this costs two atomic increments and no allocation.
 */
final class PortGate {
    private static final long DRAIN_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final AtomicInteger inside = new AtomicInteger();
    private volatile boolean closed;

    /** Returns false once the port is closed; after true, call {@link #exit()} in a finally. */
    boolean enter() {
        inside.incrementAndGet();
        if (closed) {
            inside.decrementAndGet();
            return false;
        }
        return true;
    }

    void exit() {
        inside.decrementAndGet();
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Marks the port closed, runs {@code wake} (which must make blocked calls return) and waits
     * for the calls in flight. Returns false if this port was already closed, or if a call is
     * still inside after five seconds: then the caller must leak its descriptors rather than close
     * them under that call.
     */
    boolean close(String portName, Runnable wake) {
        if (closed) {
            return false;
        }
        closed = true;
        wake.run();
        long deadline = System.nanoTime() + DRAIN_LIMIT_NANOS;
        while (inside.get() > 0) {
            if (System.nanoTime() - deadline > 0) {
                Logger.warn("port {}: a call is still running 5 s after close; leaving its descriptors open", portName);
                return false;
            }
            LockSupport.parkNanos(200_000);
        }
        return true;
    }
}
