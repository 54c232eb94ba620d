package io.tunnelbox.router;

import io.tunnelbox.hal.port.PacketBatch;
import io.tunnelbox.packet.EtherType;
import io.tunnelbox.packet.Icmp4;
import io.tunnelbox.packet.Ipv4;
import io.tunnelbox.packet.Ipv6;
import io.tunnelbox.packet.Reason;
import io.tunnelbox.packet.Wire;
import java.lang.foreign.MemorySegment;

/**
 * The LAN -> WAN direction: an inner IPv4 or IPv6 packet from the LAN is looked up in the route
 * table, checked against its tunnel (up, TTL, MTU), MSS-clamped and encapsulated in place; what
 * cannot go is answered with an ICMP error to its sender (time exceeded, fragmentation needed,
 * packet too big), fragmented ({@link InnerFragmenter}) or counted as a drop.
 */
final class LanToTunnel {
    private final RouterConfiguration config;
    private final RouterOutput out;
    private final GreEncapsulator gre;
    private final InnerFragmenter fragmenter;
    private final IcmpErrors icmp;
    private final RouterDrops drops;

    LanToTunnel(RouterConfiguration config, RouterOutput out, GreEncapsulator gre, InnerFragmenter fragmenter,
                IcmpErrors icmp, RouterDrops drops) {
        this.config = config;
        this.out = out;
        this.gre = gre;
        this.fragmenter = fragmenter;
        this.icmp = icmp;
        this.drops = drops;
    }

    /** The {@code n} packets received from the LAN into {@code b}. */
    void handle(PacketBatch b, int n) {
        Forwarding f = config.forwarding();
        icmp.refill();
        MemorySegment m = b.memory();
        for (int i = 0; i < n; i++) {
            int off = b.offset(i);
            int len = b.length(i);
            int version = len > 0 ? Wire.u8(m, off) >>> 4 : 0;
            if (version == 4) {
                ipv4(f, b, m, i, off, len);
            } else if (version == 6) {
                ipv6(f, b, m, i, off, len);
            } else {
                drops.count(len > 0 ? Reason.IP_VERSION : Reason.TRUNCATED);
            }
        }
        out.flush(b);
    }

    private void ipv4(Forwarding f, PacketBatch b, MemorySegment m, int i, int off, int rawLen) {
        int r = Ipv4.validate(m, off, rawLen);
        if (r != Reason.OK) {
            drops.count(r);
            return;
        }
        int len = Ipv4.totalLength(m, off);
        int route = f.table4.lookup(Ipv4.dst(m, off));
        if (route < 0) {
            noRoute(f, f.all4.lookup(Ipv4.dst(m, off)));
            return;
        }
        f.routes[route].count();
        Tunnel t = f.tunnels[f.routeTunnel[route]];
        if (!t.keepalive.up()) {
            drops.tx(t, RouterDrops.TUNNEL_DOWN);
            return;
        }
        int ttl = Ipv4.ttl(m, off);
        if (ttl <= 1) {
            drops.tx(t, RouterDrops.TTL_EXPIRED);
            if (icmp.mayAnswer4(m, off, len) && icmp.error4(b, m, i, off, len, t, Icmp4.TIME_EXCEEDED, 0, 0)) {
                out.toLan(i);
            }
            return;
        }
        int ihl = Ipv4.headerLength(m, off);
        MssClamp.ipv4(m, off, len, ihl, t);
        if (len > t.mtu) {
            if (Ipv4.dontFragment(m, off)) {
                // RFC 1191: tell the sender the MTU that fits; the quote is the packet as it came in
                drops.tx(t, RouterDrops.TOO_BIG);
                if (icmp.mayAnswer4(m, off, len)) {
                    t.counters.add(TunnelCounters.TOO_BIG, 1);
                    if (icmp.error4(b, m, i, off, len, t, Icmp4.DEST_UNREACHABLE, Icmp4.CODE_FRAG_NEEDED, t.mtu)) {
                        out.toLan(i);
                    }
                }
                return;
            }
            Ipv4.decTtl(m, off);
            fragmenter.fragment(b, m, i, off, len, ihl, t);
            return;
        }
        Ipv4.decTtl(m, off);
        if (gre.encapsulate(b, m, i, off, len, t, EtherType.IPV4, Ipv4.tos(m, off), ttl - 1,
                Ipv4.dontFragment(m, off))) {
            t.counters.add(TunnelCounters.TX_PACKETS, 1);
            t.counters.add(TunnelCounters.TX_BYTES, len);
            out.toWan(i);
        }
    }

    private void ipv6(Forwarding f, PacketBatch b, MemorySegment m, int i, int off, int rawLen) {
        int r = Ipv6.validate(m, off, rawLen);
        if (r != Reason.OK) {
            drops.count(r);
            return;
        }
        int len = Ipv6.HEADER + Ipv6.payloadLength(m, off);
        int route = f.table6.lookup(Ipv6.dstHigh(m, off), Ipv6.dstLow(m, off));
        if (route < 0) {
            noRoute(f, f.all6.lookup(Ipv6.dstHigh(m, off), Ipv6.dstLow(m, off)));
            return;
        }
        f.routes[route].count();
        Tunnel t = f.tunnels[f.routeTunnel[route]];
        if (!t.keepalive.up()) {
            drops.tx(t, RouterDrops.TUNNEL_DOWN);
            return;
        }
        int hops = Ipv6.hopLimit(m, off);
        if (hops <= 1) {
            drops.tx(t, RouterDrops.TTL_EXPIRED);
            return;
        }
        MssClamp.ipv6(m, off, len, t);
        if (len > t.mtu) {
            // IPv6 routers never fragment (RFC 8200 section 5): the sender must, told by packet-too-big
            if (icmp.canSend6() && icmp.mayAnswer6(m, off, len)) {
                drops.tx(t, RouterDrops.TOO_BIG);
                t.counters.add(TunnelCounters.TOO_BIG, 1);
                if (icmp.packetTooBig(b, m, i, off, len, t)) {
                    out.toLan(i);
                }
            } else {
                drops.tx(t, RouterDrops.TOO_BIG_SILENT);
            }
            return;
        }
        Ipv6.setHopLimit(m, off, hops - 1);
        // IPv6 is never fragmented on the path, so under DfMode.INHERIT the delivery packet says DF too
        if (gre.encapsulate(b, m, i, off, len, t, EtherType.IPV6, Ipv6.trafficClass(m, off), hops - 1, true)) {
            t.counters.add(TunnelCounters.TX_PACKETS, 1);
            t.counters.add(TunnelCounters.TX_BYTES, len);
            out.toWan(i);
        }
    }

    /** No usable route: {@code anyRoute} is the route through a down tunnel that matched, or none. */
    private void noRoute(Forwarding f, int anyRoute) {
        if (anyRoute >= 0) {
            drops.tx(f.tunnels[f.routeTunnel[anyRoute]], RouterDrops.TUNNEL_DOWN);
        } else {
            drops.count(RouterDrops.NO_ROUTE);
        }
    }
}
