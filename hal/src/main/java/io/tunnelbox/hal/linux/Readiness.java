package io.tunnelbox.hal.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Waits with poll(2) until one of a port's descriptors is readable, or until the port is closed:
 * an eventfd sits beside the port's descriptors in every poll, and {@link #wakeForever()} makes it
 * readable for good, so a reader blocked at the moment of close returns at once and every later
 * wait does too. One waiting thread at a time.
 */
final class Readiness implements AutoCloseable {
    /** struct pollfd { int fd; short events; short revents; } */
    private static final long POLLFD_SIZE = 8;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment pollfds;
    private final MemorySegment one = arena.allocateFrom(JAVA_LONG, 1L);
    private final int capacity;
    private final int wakeFd;

    /** Room for up to {@code maxFds} port descriptors (plus the wake-up one). */
    Readiness(int maxFds, String portName) {
        this.capacity = maxFds;
        this.pollfds = arena.allocate(POLLFD_SIZE * (maxFds + 1), 8);
        int fd = Libc.eventfd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
        if (fd < 0) {
            int errno = Libc.errno();
            arena.close();
            throw new LinuxIoException("eventfd", portName, errno);
        }
        this.wakeFd = fd;
    }

    /**
     * Polls {@code fds[0..n)} for input; returns true if one of them is readable (or in error:
     * the next receive reports it), false on timeout, on close, or on EINTR (a spurious return).
     */
    boolean await(int[] fds, int n, long timeoutNanos) {
        if (n > capacity) {
            throw new IllegalArgumentException(n + " descriptors, room for " + capacity);
        }
        put(0, wakeFd);
        for (int k = 0; k < n; k++) {
            put(k + 1, fds[k]);
        }
        long millis = timeoutNanos <= 0 ? 0 : Math.min(Integer.MAX_VALUE, (timeoutNanos + 999_999) / 1_000_000);
        int ready = Libc.poll(pollfds, n + 1, (int) millis);
        if (ready <= 0 || revents(0) != 0) {
            return false;
        }
        for (int k = 1; k <= n; k++) {
            if (revents(k) != 0) {
                return true;
            }
        }
        return false;
    }

    /** Convenience for a single descriptor. */
    boolean await(int fd, long timeoutNanos, int[] scratch) {
        scratch[0] = fd;
        return await(scratch, 1, timeoutNanos);
    }

    private void put(int index, int fd) {
        long at = index * POLLFD_SIZE;
        pollfds.set(JAVA_INT, at, fd);
        pollfds.set(JAVA_SHORT, at + 4, Libc.POLLIN);
        pollfds.set(JAVA_SHORT, at + 6, (short) 0);
    }

    private short revents(int index) {
        return pollfds.get(JAVA_SHORT, index * POLLFD_SIZE + 6);
    }

    /** The eventfd that becomes readable when the port closes (for {@link PortPoller}). */
    int wakeFd() {
        return wakeFd;
    }

    /** Makes every present and future {@link #await} return at once (never drained). */
    void wakeForever() {
        Libc.write(wakeFd, one.address(), 8);
    }

    @Override
    public void close() {
        Libc.close(wakeFd);
        arena.close();
    }
}
