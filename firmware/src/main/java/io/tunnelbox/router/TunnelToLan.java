package io.tunnelbox.router;

import io.tunnelbox.hal.port.PacketBatch;
import io.tunnelbox.hal.port.PacketPort;
import io.tunnelbox.hal.time.Clock;
import io.tunnelbox.packet.EtherType;
import io.tunnelbox.packet.Gre;
import io.tunnelbox.packet.IpProtocol;
import io.tunnelbox.packet.Ipv4;
import io.tunnelbox.packet.Ipv6;
import io.tunnelbox.packet.Reason;
import java.lang.foreign.MemorySegment;

/**
 * The WAN -> LAN direction: a delivery packet from the WAN is checked (IPv4, GRE, not a fragment),
 * matched to its tunnel by addresses and key, checked against the tunnel's checksum and sequence
 * rules, and its inner packet delivered to the LAN (TTL lowered, MSS clamped). Along the way: our
 * keepalive coming back (the tunnel is up), the peer's keepalive (reflected to it), and underlay
 * ICMP ({@link UnderlayPathMtu}).
 */
final class TunnelToLan {
    private final PacketPort lan;
    private final Clock clock;
    private final RouterConfiguration config;
    private final RouterOutput out;
    private final UnderlayPathMtu pathMtu;
    private final RouterDrops drops;

    TunnelToLan(PacketPort lan, Clock clock, RouterConfiguration config, RouterOutput out, UnderlayPathMtu pathMtu,
                RouterDrops drops) {
        this.lan = lan;
        this.clock = clock;
        this.config = config;
        this.out = out;
        this.pathMtu = pathMtu;
        this.drops = drops;
    }

    /** The {@code n} packets received from the WAN into {@code b}. */
    void handle(PacketBatch b, int n) {
        Forwarding f = config.forwarding();
        MemorySegment m = b.memory();
        for (int i = 0; i < n; i++) {
            delivery(f, b, m, i, b.offset(i), b.length(i));
        }
        out.flush(b);
    }

    private void delivery(Forwarding f, PacketBatch b, MemorySegment m, int i, int off, int rawLen) {
        int r = Ipv4.validate(m, off, rawLen);
        if (r != Reason.OK) {
            drops.count(r);
            return;
        }
        int len = Ipv4.totalLength(m, off);
        int outerProtocol = Ipv4.protocol(m, off);
        if (outerProtocol != IpProtocol.GRE) {
            if (outerProtocol == IpProtocol.ICMP) {
                pathMtu.received(f, m, off, len);
            } else {
                drops.count(RouterDrops.NOT_GRE);
            }
            return;
        }
        if (Ipv4.isFragment(m, off)) {
            // We send delivery packets that fit (InnerFragmenter). On Linux the raw GRE socket hands
            // over datagrams the kernel has already reassembled, so a fragment reaches us only from
            // a port without reassembly; holding fragments here would cost memory per flow that
            // forged fragments could exhaust.
            drops.count(RouterDrops.OUTER_FRAGMENT);
            return;
        }
        int ihl = Ipv4.headerLength(m, off);
        int greOff = off + ihl;
        int greLen = len - ihl;
        r = Gre.validate(m, greOff, greLen);
        if (r != Reason.OK) {
            // A bad checksum or header from a configured remote is that tunnel's drop: its
            // counters must show why the peer's packets vanish.
            Tunnel from = byAddresses(f, Ipv4.src(m, off), Ipv4.dst(m, off));
            if (from != null) {
                drops.rx(from, r);
            } else {
                drops.count(r);
            }
            return;
        }
        int flags = Gre.flags(m, greOff);
        int protocol = Gre.protocol(m, greOff);
        if (protocol == EtherType.TEB) {
            drops.count(RouterDrops.NOT_ROUTER);
            return;
        }
        Tunnel t = tunnel(f, Ipv4.src(m, off), Ipv4.dst(m, off), (flags & Gre.K) != 0,
                (flags & Gre.K) != 0 ? Gre.key(m, greOff) : 0);
        if (t == null) {
            return;
        }
        if (t.requireChecksum && (flags & Gre.C) == 0) {
            drops.rx(t, RouterDrops.CHECKSUM_MISSING);
            return;
        }
        if (protocol == Keepalives.PROTOCOL) {
            // our own keepalive, reflected by the peer: proof that the path works both ways
            boolean wasDown = !t.keepalive.up();
            t.keepalive.replied(clock.nanoTime(), clock.epochMillis());
            if (wasDown) {
                t.window.reset(); // the peer may have restarted its numbering while we were apart
                config.stateChanged(t);
            }
            t.counters.add(TunnelCounters.KEEPALIVE_REPLIES, 1);
            return;
        }
        if (t.requireSequence) {
            if ((flags & Gre.S) == 0) {
                drops.rx(t, RouterDrops.SEQUENCE_MISSING);
                return;
            }
            int verdict = t.window.check(Gre.sequence(m, greOff));
            if (verdict != SequenceWindow.ACCEPT) {
                drops.rx(t, verdict == SequenceWindow.OLD ? RouterDrops.SEQUENCE_OLD : RouterDrops.SEQUENCE_JUMP);
                return;
            }
        }
        int greHeader = Gre.headerLength(flags);
        int innerOff = greOff + greHeader;
        int innerLen = greLen - greHeader;
        if (protocol == EtherType.IPV4) {
            ipv4(b, m, i, innerOff, innerLen, t);
        } else if (protocol == EtherType.IPV6) {
            ipv6(b, m, i, innerOff, innerLen, t);
        } else {
            drops.rx(t, RouterDrops.GRE_PROTOCOL);
        }
    }

    /**
     * The tunnel from {@code src} to {@code dst} whose input key matches, or null with the drop
     * counted (on the tunnel of those addresses whose key did not match, if any).
     */
    private Tunnel tunnel(Forwarding f, int src, int dst, boolean hasKey, int key) {
        int why = RouterDrops.UNKNOWN_REMOTE;
        Tunnel blamed = null;
        // linear: a branch router has a handful of tunnels, and int compares beat hashing there
        int[] remotes = f.tunnelRemote;
        int[] locals = f.tunnelLocal;
        Tunnel[] all = f.tunnels;
        for (int k = 0; k < remotes.length; k++) {
            if (remotes[k] != src || locals[k] != dst) {
                continue;
            }
            Tunnel c = all[k];
            if (c.hasInputKey) {
                if (hasKey && key == c.inputKey) {
                    return c;
                }
                why = hasKey ? RouterDrops.KEY_MISMATCH : RouterDrops.KEY_MISSING;
            } else {
                if (!hasKey) {
                    return c;
                }
                why = RouterDrops.KEY_UNEXPECTED;
            }
            blamed = c;
        }
        if (blamed != null) {
            drops.rx(blamed, why);
        } else {
            drops.count(why);
        }
        return null;
    }

    /** The first tunnel from {@code remote} to {@code local}, or null. */
    private static Tunnel byAddresses(Forwarding f, int remote, int local) {
        int[] remotes = f.tunnelRemote;
        int[] locals = f.tunnelLocal;
        for (int k = 0; k < remotes.length; k++) {
            if (remotes[k] == remote && locals[k] == local) {
                return f.tunnels[k];
            }
        }
        return null;
    }

    private void ipv4(PacketBatch b, MemorySegment m, int i, int off, int rawLen, Tunnel t) {
        int r = Ipv4.validate(m, off, rawLen);
        if (r != Reason.OK) {
            drops.rx(t, r);
            return;
        }
        int len = Ipv4.totalLength(m, off);
        int ihl = Ipv4.headerLength(m, off);
        if (Ipv4.protocol(m, off) == IpProtocol.GRE && Ipv4.src(m, off) == t.local
                && Ipv4.dst(m, off) == t.remote) {
            // The peer's keepalive: the inner packet is a complete delivery packet from us to it.
            // Sending it back is what any RFC 2784 router would do by routing it; we reflect only
            // to the configured remote, so the tunnel cannot bounce packets anywhere else.
            b.set(i, off, len);
            out.toWan(i);
            t.counters.add(TunnelCounters.KEEPALIVES_REFLECTED, 1);
            return;
        }
        int ttl = Ipv4.ttl(m, off);
        if (ttl <= 1) {
            drops.rx(t, RouterDrops.TTL_EXPIRED);
            return;
        }
        if (len > lan.mtu()) {
            drops.rx(t, RouterDrops.LAN_TOO_BIG);
            return;
        }
        MssClamp.ipv4(m, off, len, ihl, t);
        Ipv4.decTtl(m, off);
        b.set(i, off, len);
        out.toLan(i);
        t.counters.add(TunnelCounters.RX_PACKETS, 1);
        t.counters.add(TunnelCounters.RX_BYTES, len);
    }

    private void ipv6(PacketBatch b, MemorySegment m, int i, int off, int rawLen, Tunnel t) {
        int r = Ipv6.validate(m, off, rawLen);
        if (r != Reason.OK) {
            drops.rx(t, r);
            return;
        }
        int len = Ipv6.HEADER + Ipv6.payloadLength(m, off);
        int hops = Ipv6.hopLimit(m, off);
        if (hops <= 1) {
            drops.rx(t, RouterDrops.TTL_EXPIRED);
            return;
        }
        if (len > lan.mtu()) {
            drops.rx(t, RouterDrops.LAN_TOO_BIG);
            return;
        }
        MssClamp.ipv6(m, off, len, t);
        Ipv6.setHopLimit(m, off, hops - 1);
        b.set(i, off, len);
        out.toLan(i);
        t.counters.add(TunnelCounters.RX_PACKETS, 1);
        t.counters.add(TunnelCounters.RX_BYTES, len);
    }
}
