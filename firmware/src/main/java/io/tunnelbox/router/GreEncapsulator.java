package io.tunnelbox.router;

import io.tunnelbox.hal.port.PacketBatch;
import io.tunnelbox.packet.Encapsulation;
import io.tunnelbox.packet.Gre;
import io.tunnelbox.packet.Ipv4;
import java.lang.foreign.MemorySegment;

/**
 * Puts a tunnel's GRE and delivery IPv4 headers in front of an inner packet: written into the
 * headroom of its slot (the inner packet stays where it is), with the tunnel's next sequence number
 * and IP identification, and TOS, TTL and DF as configured or inherited from the inner packet.
 */
final class GreEncapsulator {
    private final RouterDrops drops;

    GreEncapsulator(RouterDrops drops) {
        this.drops = drops;
    }

    /** Points slot {@code i} at the delivery packet; false (counted) when the slot has no headroom. */
    boolean encapsulate(PacketBatch b, MemorySegment m, int i, int off, int len, Tunnel t,
                        int protocol, int innerTos, int innerTtl, boolean innerDf) {
        int greLen = t.greHeaderLength;
        int start = off - Ipv4.HEADER - greLen;
        if (start < PacketBatch.slotBase(i)) {
            drops.count(RouterDrops.NO_HEADROOM);
            return false;
        }
        int seq = 0;
        if ((t.sendFlags & Gre.S) != 0) {
            seq = t.txSequence++; // RFC 2890 section 2.2: the first packet carries 0
        }
        int tos = t.tos == GreTunnelSpec.TOS_INHERIT ? innerTos : t.tos;
        int ttl = t.ttl == GreTunnelSpec.TTL_INHERIT ? innerTtl : t.ttl;
        boolean df = switch (t.df) {
            case SET -> true;
            case CLEAR -> false;
            case INHERIT -> innerDf;
        };
        Encapsulation.greIpv4(m, off, len, t.sendFlags, protocol, t.outputKey, seq, t.local, t.remote, tos, ttl,
                t.ipId++ & 0xFFFF, df ? Ipv4.DF : 0);
        b.set(i, start, Ipv4.HEADER + greLen + len);
        return true;
    }
}
