package io.tunnelbox.engine;

/**
 * One box's forwarding plane as its driver sees it: a thread (or the simulation) calls
 * {@link #poll} whenever its ports may have packets and {@link #tick} for timers. Both run on the
 * datapath's own thread; configuration changes from other threads are queued and applied at the
 * start of the next poll.
 */
public interface Datapath {

    /** Short name for logs and dumps ("RA", "box1"). */
    String name();

    /**
     * Takes what is ready on the datapath's ports, forwards it and returns how many packets were
     * handled. Never blocks.
     */
    int poll();

    /** Runs timers (MAC ageing, keepalives) at the clock's current time. */
    void tick();
}
