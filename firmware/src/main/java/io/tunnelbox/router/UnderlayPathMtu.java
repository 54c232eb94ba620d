package io.tunnelbox.router;

import io.tunnelbox.hal.time.Clock;
import io.tunnelbox.packet.Icmp4;
import io.tunnelbox.packet.IpProtocol;
import io.tunnelbox.packet.Ipv4;
import io.tunnelbox.packet.Reason;
import java.lang.foreign.MemorySegment;
import java.time.Duration;

/**
 * Path MTU discovery for the underlay (RFC 1191): a router between us and the peer that cannot
 * carry a delivery packet with DF set says so with fragmentation-needed, quoting our delivery
 * header. We lower that tunnel's MTU, so the next oversize inner packet is answered with ICMP to
 * its sender instead of vanishing, and restore it after {@link #AGE} (RFC 1191 section 6.3 suggests
 * ten minutes). The quote must name one of our tunnels; reports below {@link #MIN_MTU} are raised
 * to it, as Linux does, so a forged ICMP cannot shrink a tunnel to nothing.
 */
final class UnderlayPathMtu {
    /** How long a path MTU learned from the underlay holds. */
    static final Duration AGE = Duration.ofMinutes(10);
    private static final long AGE_NANOS = AGE.toNanos();
    /** Smallest underlay path MTU believed (Linux's min_pmtu). */
    static final int MIN_MTU = 552;

    private final Clock clock;
    private final RouterDrops drops;

    UnderlayPathMtu(Clock clock, RouterDrops drops) {
        this.clock = clock;
        this.drops = drops;
    }

    /** An ICMP delivery packet of {@code len} bytes at {@code off} (IPv4 header valid) from the WAN. */
    void received(Forwarding f, MemorySegment m, int off, int len) {
        int ihl = Ipv4.headerLength(m, off);
        int icmpOff = off + ihl;
        int icmpLen = len - ihl;
        int r = Icmp4.validate(m, icmpOff, icmpLen);
        if (r != Reason.OK) {
            drops.count(r);
            return;
        }
        if (Icmp4.type(m, icmpOff) != Icmp4.DEST_UNREACHABLE || Icmp4.code(m, icmpOff) != Icmp4.CODE_FRAG_NEEDED) {
            drops.count(RouterDrops.ICMP_IGNORED);
            return;
        }
        int quoted = icmpOff + Icmp4.HEADER;
        if (icmpLen < Icmp4.HEADER + Ipv4.HEADER || Ipv4.version(m, quoted) != 4) {
            drops.count(Reason.TRUNCATED);
            return;
        }
        int src = Ipv4.src(m, quoted);
        int dst = Ipv4.dst(m, quoted);
        Tunnel[] all = f.tunnels;
        for (int k = 0; k < all.length; k++) {
            Tunnel t = all[k];
            if (t.local == src && t.remote == dst && Ipv4.protocol(m, quoted) == IpProtocol.GRE) {
                int reported = Math.max(MIN_MTU, Icmp4.nextHopMtu(m, icmpOff));
                int inner = Math.min(t.baseMtu, reported - Ipv4.HEADER - t.greHeaderLength);
                if (inner < t.mtu) {
                    t.mtu = inner;
                    t.counters.add(TunnelCounters.PMTU_LEARNED, 1);
                }
                t.pathMtuExpires = clock.nanoTime() + AGE_NANOS;
                return;
            }
        }
        drops.count(RouterDrops.ICMP_UNRELATED);
    }

    /** Timer: tunnels whose learned path MTU has aged out try their full size again. */
    void expire(Forwarding f, long now) {
        for (Tunnel t : f.tunnels) {
            if (t.mtu < t.baseMtu && now - t.pathMtuExpires >= 0) {
                t.mtu = t.baseMtu; // the underlay will say if it still cannot
            }
        }
    }
}
