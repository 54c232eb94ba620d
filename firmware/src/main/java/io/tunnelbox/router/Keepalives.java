package io.tunnelbox.router;

import io.tunnelbox.hal.port.PacketBatch;
import io.tunnelbox.packet.EtherType;
import io.tunnelbox.packet.Gre;
import io.tunnelbox.packet.IpProtocol;
import io.tunnelbox.packet.Ipv4;
import java.lang.foreign.MemorySegment;

/**
 * Sends each tunnel's keepalives when due (timer side; {@link TunnelToLan} takes the replies) and
 * marks a tunnel whose replies stopped as down. A Cisco-style keepalive is a GRE packet to the peer
 * whose inner packet is itself a delivery packet from the peer back to us (GRE protocol 0, our input
 * key, our checksum choice). The peer decapsulates it and, seeing an IPv4 packet for our address,
 * sends it back; when it arrives we know the path works both ways. No sequence number in the inner
 * header: the peer numbers nothing it merely forwards, and we accept the reply before the sequence
 * check.
 */
final class Keepalives {
    /** Cisco keepalives carry GRE protocol type 0 in the header the peer sends back to us. */
    static final int PROTOCOL = 0;

    private final RouterConfiguration config;
    private final RouterOutput out;
    private final GreEncapsulator gre;

    Keepalives(RouterConfiguration config, RouterOutput out, GreEncapsulator gre) {
        this.config = config;
        this.out = out;
        this.gre = gre;
    }

    /** Timer: sends the keepalives that are due, in one batch. */
    void tick(Forwarding f, long now, long nowMillis) {
        PacketBatch made = out.startMade();
        int n = 0;
        for (Tunnel t : f.tunnels) {
            boolean wasUp = t.keepalive.up();
            if (t.keepalive.due(now, nowMillis)) {
                if (wasUp && !t.keepalive.up()) {
                    config.stateChanged(t);
                }
                int j = build(made, t);
                if (j >= 0) {
                    out.made(n++, j);
                    t.counters.add(TunnelCounters.KEEPALIVES_SENT, 1);
                }
            }
        }
        if (n > 0) {
            out.sendMade(n);
        }
    }

    private int build(PacketBatch made, Tunnel t) {
        int innerFlags = (t.hasInputKey ? Gre.K : 0) | (t.requireChecksum ? Gre.C : 0);
        int innerGre = Gre.headerLength(innerFlags);
        int innerLen = Ipv4.HEADER + innerGre;
        int j = made.add(innerLen);
        MemorySegment m = made.memory();
        int off = made.offset(j);
        Ipv4.write(m, off, IcmpErrors.CONTROL_TOS, innerLen, 0, 0, 255, IpProtocol.GRE, t.remote, t.local);
        Gre.write(m, off + Ipv4.HEADER, innerFlags, PROTOCOL, t.inputKey, 0);
        if ((innerFlags & Gre.C) != 0) {
            Gre.fillChecksum(m, off + Ipv4.HEADER, innerGre);
        }
        return gre.encapsulate(made, m, j, off, innerLen, t, EtherType.IPV4, IcmpErrors.CONTROL_TOS, 255, false)
                ? j : -1;
    }
}
