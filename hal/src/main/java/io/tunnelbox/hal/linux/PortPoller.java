package io.tunnelbox.hal.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import io.tunnelbox.hal.port.PacketPort;

/**
 * Lets one datapath thread sleep until any of its Linux ports has packets (one poll(2) over all
 * their descriptors), until {@link #wakeup()} is called from another thread (a configuration
 * change queued for the datapath), until one of the ports is closed, or until the timeout. The
 * usual loop:
 *
 * <pre>{@code
 * try (PortPoller poller = new PortPoller(List.of(tun, gre))) {
 *     while (running) {
 *         if (datapath.poll() == 0) {
 *             poller.await(timeToNextTimer);
 *         }
 *         datapath.tick();
 *     }
 * }
 * }</pre>
 *
 * <p>{@link #await} is for the thread that drives the ports' receive side; {@link #wakeup()} for
 * any thread. Closing a port wakes a waiting poller; closed ports are skipped afterwards. Nothing
 * is allocated per wait.
 */
public final class PortPoller implements AutoCloseable {
    private static final long POLLFD = 8;
    /** Most descriptors one port polls: its wake-up eventfd and its receive sockets. */
    private static final int PER_PORT = UnderlayPort.MAX_RECEIVE_SOCKETS + 1;

    private final Pollable[] ports;
    private final boolean[] entered;
    private final int[] fds;
    /** For each polled descriptor: true if it signals packets, false if a port's close wake-up. */
    private final boolean[] data;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment pollfds;
    private final MemorySegment drained = arena.allocate(JAVA_LONG);
    private final MemorySegment one = arena.allocateFrom(JAVA_LONG, 1L);
    private final int wakeFd;
    private final PortGate gate = new PortGate();

    /** A poller over {@code ports}, which must all be Linux ports of this package. */
    public PortPoller(List<? extends PacketPort> ports) {
        this.ports = new Pollable[ports.size()];
        for (int k = 0; k < ports.size(); k++) {
            if (!(ports.get(k) instanceof Pollable p)) {
                throw new IllegalArgumentException("port " + ports.get(k).name() + " is not a Linux port; cannot poll it");
            }
            this.ports[k] = p;
        }
        this.entered = new boolean[ports.size()];
        int maxFds = ports.size() * PER_PORT;
        this.fds = new int[maxFds];
        this.data = new boolean[maxFds];
        this.pollfds = arena.allocate(POLLFD * (maxFds + 1), 8);
        int fd = Libc.eventfd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
        if (fd < 0) {
            int errno = Libc.errno();
            arena.close();
            throw new LinuxIoException("eventfd", "port poller", errno);
        }
        wakeFd = fd;
    }

    /**
     * Waits as described above; returns true if a port has packets or {@link #wakeup()} was called,
     * false on timeout, on a closed port or when interrupted by a signal (spurious).
     */
    public boolean await(long timeoutNanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (!gate.enter()) {
            return false;
        }
        try {
            int n = 0;
            for (int k = 0; k < ports.length; k++) {
                entered[k] = ports[k].gate().enter();
                if (entered[k]) {
                    int added = ports[k].pollFds(fds, n);
                    data[n] = false;
                    for (int j = n + 1; j < n + added; j++) {
                        data[j] = true;
                    }
                    n += added;
                }
            }
            put(0, wakeFd);
            for (int j = 0; j < n; j++) {
                put(j + 1, fds[j]);
            }
            long millis = timeoutNanos <= 0 ? 0 : Math.min(Integer.MAX_VALUE, (timeoutNanos + 999_999) / 1_000_000);
            int ready = Libc.poll(pollfds, n + 1, (int) millis);
            if (ready <= 0) {
                return false;
            }
            boolean result = false;
            if (revents(0) != 0) {
                Libc.read(wakeFd, drained.address(), 8); // drain: one wake-up per wakeup() burst
                result = true;
            }
            for (int j = 0; j < n; j++) {
                if (data[j] && revents(j + 1) != 0) {
                    result = true;
                }
            }
            return result;
        } finally {
            for (int k = 0; k < ports.length; k++) {
                if (entered[k]) {
                    ports[k].gate().exit();
                    entered[k] = false;
                }
            }
            gate.exit();
        }
    }

    /** Makes the current or next {@link #await} return true; any thread. */
    public void wakeup() {
        if (!gate.enter()) {
            return;
        }
        try {
            Libc.write(wakeFd, one.address(), 8);
        } finally {
            gate.exit();
        }
    }

    private void put(int index, int fd) {
        long at = index * POLLFD;
        pollfds.set(JAVA_INT, at, fd);
        pollfds.set(JAVA_SHORT, at + 4, Libc.POLLIN);
        pollfds.set(JAVA_SHORT, at + 6, (short) 0);
    }

    private short revents(int index) {
        return pollfds.get(JAVA_SHORT, index * POLLFD + 6);
    }

    /** Closes the poller (not its ports). */
    @Override
    public void close() {
        if (gate.close("port poller", () -> Libc.write(wakeFd, one.address(), 8))) {
            Libc.close(wakeFd);
            arena.close();
        }
    }
}
