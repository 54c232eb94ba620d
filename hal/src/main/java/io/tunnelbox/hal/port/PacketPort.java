package io.tunnelbox.hal.port;

/**
 * A packet device as the forwarding engine sees it (Open vSwitch's netdev, reduced): receive a
 * batch, send a batch, a name, an MTU and counters. Linux devices (TAP, TUN, raw and UDP sockets)
 * and in-memory ports implement the same interface, so the engine never knows which it drives.
 *
 * <p>Packets are whole frames for {@link Layer#ETHERNET} ports and whole IP packets (starting at the
 * IP header) for {@link Layer#IP} ports. An underlay port (GRE, VXLAN) is an IP port: it hands over
 * and takes complete delivery packets, outer IPv4 header included; a socket-backed port rebuilds
 * or strips what its socket does not carry.
 *
 * <p>One thread drives a port's receive side and one its send side; they may be the same.
 */
public interface PacketPort extends AutoCloseable {

    enum Layer { ETHERNET, IP }

    String name();

    Layer layer();

    /** Largest packet (without the Ethernet header for ETHERNET ports) the port carries. */
    int mtu();

    /**
     * Appends received packets to {@code batch} from {@code batch.count()} on, as many as are
     * ready and fit, without blocking; returns how many were added.
     */
    int receive(PacketBatch batch);

    /**
     * Waits until {@link #receive} may return packets, the timeout passes, or the port is closed;
     * returns true if packets may be ready. Spurious returns are allowed.
     */
    boolean awaitReadable(long timeoutNanos) throws InterruptedException;

    /**
     * Sends the packets of {@code batch} whose slot indices are {@code slots[0..n)}; returns how
     * many were handed to the device. Packets that cannot be sent are counted as drops, not thrown.
     */
    int send(PacketBatch batch, int[] slots, int n);

    PortCounters counters();

    /** Releases the device; later calls receive nothing and send nothing. */
    @Override
    void close();
}
