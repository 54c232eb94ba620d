package io.tunnelbox.l2switch;

/**
 * A tunnel "port" of the switch in the OpenFlow sense (the seed's {@code gre-...} ports on br-tun):
 * one per (transport, remote VTEP) that some segment names as a peer, plus one flow-based port per
 * transport ({@code remote_ip=flow}) for multicast segments, whose remotes are only known from the
 * packets. Port 1 is the LAN; tunnel ports are numbered from 2 in the order they were created.
 */
final class TunnelPort {
    final int number;
    final Transport transport;
    /** Remote VTEP address, or 0 for the flow-based port. */
    final int remote;
    final String name;
    /** Table 0: {@code in_port=N actions=resubmit(,2)}. */
    final Flow classify;
    /** Segments that use this port. */
    int users;

    TunnelPort(int number, Transport transport, int remote, long now) {
        this.number = number;
        this.transport = transport;
        this.remote = remote;
        this.name = transport.label() + "-" + (remote == 0 ? "flow" : String.format("%08x", remote));
        this.classify = new Flow(now);
    }
}
