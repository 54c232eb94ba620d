package io.tunnelbox.hal.linux;

/**
 * A Linux port whose descriptors {@link PortPoller} can wait on together with other ports'.
 * Sealed to this package's ports: the gate and descriptors are internals.
 */
sealed interface Pollable permits TunTapPort, UnderlayPort {
    /** The port's close gate: the poller stays inside it while polling the port's descriptors. */
    PortGate gate();

    /**
     * Writes the port's descriptors from {@code into[at]} on: first its close wake-up eventfd,
     * then the descriptors it receives on; returns how many. A snapshot: if the descriptors change
     * meanwhile, a wait may return early (spuriously), never read the wrong descriptor.
     */
    int pollFds(int[] into, int at);
}
