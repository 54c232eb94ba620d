package io.tunnelbox.hal.port;

/**
 * A packet device as the forwarding engine sees it (Open vSwitch's netdev, reduced): receive a
 * batch, send a batch, a name, an MTU and counters. Linux devices (TAP, TUN, raw and UDP sockets)
 * and in-memory ports implement the same interface, so the engine never knows which it drives.
 *
 * <p>Packets are whole frames for {@link Layer#ETHERNET} ports and whole IP packets (starting at the
 * IP header) for {@link Layer#IP} ports. The GRE underlay is an IP port: it hands over and takes
 * complete delivery packets, outer IPv4 header included. The VXLAN underlay is a
 * {@link Layer#UDP_PAYLOAD} port: it hands over what its UDP socket delivered (the VXLAN header and
 * the inner frame) with the sender as metadata, and nothing is forged.
 *
 * <p>One thread drives a port's receive side and one its send side; they may be the same.
 */
public interface PacketPort extends AutoCloseable {

    enum Layer {
        /** Whole Ethernet frames both ways. */
        ETHERNET,
        /** Whole IP packets both ways. */
        IP,
        /**
         * A UDP underlay (VXLAN): receive hands over each datagram's payload as the socket
         * delivered it, with the sender's address and port in the batch's {@code peer} and
         * {@code peerPort}; send takes complete IPv4 delivery packets, as an {@link #IP} port does,
         * so the engine keeps choosing the outer header (per-flow source port, TTL, TOS, DF).
         */
        UDP_PAYLOAD
    }

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
