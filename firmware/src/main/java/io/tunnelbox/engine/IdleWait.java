package io.tunnelbox.engine;

/**
 * What a {@link DatapathRunner} sleeps on when its datapath has nothing to do. On a box this is a
 * poll(2) over the datapath's ports (the thread sleeps until a packet arrives); in memory it is a
 * short park ({@link #parking()}).
 */
public interface IdleWait extends AutoCloseable {

    /**
     * Returns when a port may have packets, {@link #wakeup()} was called, or {@code timeoutNanos}
     * passed; spurious returns are allowed. Nothing is allocated.
     */
    void await(long timeoutNanos) throws InterruptedException;

    /** Makes the current or the next {@link #await} return soon; any thread. */
    void wakeup();

    /** Releases what the wait holds (not the ports). */
    @Override
    void close();

    /** For ports that cannot be polled (in memory): parks for at most {@code maxParkNanos} at a time. */
    static IdleWait parking(long maxParkNanos) {
        return new ParkingWait(maxParkNanos);
    }

    /** {@link #parking(long)} with the bound the runner always had: 200 µs. */
    static IdleWait parking() {
        return parking(200_000L);
    }
}
