package io.tunnelbox.hal.status;

/**
 * What the engine and the HAL tell the indicators (status LEDs, and anything else that listens).
 * Each event carries the new value of one fact; publishing the same value again is harmless.
 */
public sealed interface StatusEvent {
    /** The firmware's engine threads have started (true) or stopped (false). */
    record Running(boolean running) implements StatusEvent {
    }

    /** The periodic self-check passed (all engine threads progressing, config applied). */
    record Healthy(boolean healthy) implements StatusEvent {
    }

    /** Something needs a person: a failed apply, a crashed thread, a full disk. */
    record Error(boolean active, String reason) implements StatusEvent {
    }

    /** The stored configuration did not load and the box runs the last good one. */
    record ConfigFellBack(boolean fellBack) implements StatusEvent {
    }

    /** The WAN interface has (true) or lacks (false) an IPv4 address. */
    record WanAddress(boolean present) implements StatusEvent {
    }

    /** A firmware update is being written: do not unplug. */
    record UpdateInProgress(boolean active) implements StatusEvent {
    }

    /** Link (carrier) on the WAN port. */
    record WanLink(boolean up) implements StatusEvent {
    }

    /** Tunnels configured and, of those, up. */
    record Tunnels(int configured, int up) implements StatusEvent {
    }

    /**
     * Total packets forwarded so far (a counter: only increases matter). Publish it from a periodic
     * reader of the datapath counters (every 50 ms or so), never per packet.
     */
    record Traffic(long packets) implements StatusEvent {
    }
}
