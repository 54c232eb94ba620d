package io.tunnelbox.router;

import io.tunnelbox.hal.port.PacketBatch;
import io.tunnelbox.hal.time.Clock;
import io.tunnelbox.packet.Icmp4;
import io.tunnelbox.packet.Icmp6;
import io.tunnelbox.packet.IpProtocol;
import io.tunnelbox.packet.Ipv4;
import io.tunnelbox.packet.Ipv6;
import io.tunnelbox.packet.Ipv6Prefix;
import java.lang.foreign.MemorySegment;

/**
 * The ICMP errors the router sends to LAN hosts (time exceeded, fragmentation needed, IPv6 packet
 * too big): whether one may be sent (RFC 1812 4.3.2.7, RFC 4443 2.4, and a token-bucket rate limit
 * as RFC 1812 4.3.2.8 asks), and the error itself, written in place over the packet that caused it.
 * Datapath thread only, except the LAN address the management side reads.
 */
final class IcmpErrors {
    /** Burst and refill of the rate limit: 50 at once, 100 per second. */
    static final int BURST = 50;
    static final long TOKEN_NANOS = 10_000_000L;
    /** TOS of locally generated ICMP and keepalives: internetwork control (RFC 1812 4.3.2.5). */
    static final int CONTROL_TOS = 0xC0;
    private static final int IPV4_ICMP_HEADERS = Ipv4.HEADER + Icmp4.HEADER;
    private static final int IPV6_ICMP_HEADERS = Ipv6.HEADER + Icmp6.HEADER;

    private final Clock clock;
    private final RouterDrops drops;
    private int tokens = BURST;
    private long refilledAt;
    private volatile int lanAddress4;
    private boolean hasLanAddress6;
    private long lanAddress6Hi;
    private long lanAddress6Lo;

    IcmpErrors(Clock clock, RouterDrops drops) {
        this.clock = clock;
        this.drops = drops;
        this.refilledAt = clock.nanoTime();
    }

    /** The source of IPv4 errors; 0: the tunnel's local address. */
    void lanAddress(int ipv4) {
        lanAddress4 = ipv4;
    }

    int lanAddress() {
        return lanAddress4;
    }

    void lanAddress6(Ipv6Prefix address) {
        lanAddress6Hi = address.hi();
        lanAddress6Lo = address.lo();
        hasLanAddress6 = true;
    }

    /** IPv6 errors need a source address of ours on the LAN. */
    boolean canSend6() {
        return hasLanAddress6;
    }

    /** Once per received batch. */
    void refill() {
        long now = clock.nanoTime();
        long add = (now - refilledAt) / TOKEN_NANOS;
        if (add > 0) {
            tokens = (int) Math.min(BURST, tokens + add);
            refilledAt += add * TOKEN_NANOS;
        }
    }

    /** RFC 1812 4.3.2.7: no errors about errors, non-first fragments, or non-unicast sources. */
    boolean mayAnswer4(MemorySegment m, int off, int len) {
        int src = Ipv4.src(m, off);
        int top = src >>> 24;
        if (src == 0 || src == -1 || top == 127 || (top & 0xF0) >= 0xE0 || Ipv4.fragmentOffset(m, off) != 0) {
            return false;
        }
        int ihl = Ipv4.headerLength(m, off);
        if (Ipv4.protocol(m, off) == IpProtocol.ICMP && len > ihl) {
            int type = Icmp4.type(m, off + ihl);
            if (type != Icmp4.ECHO_REQUEST && type != Icmp4.ECHO_REPLY && type != 13 && type != 14) {
                return false;
            }
        }
        return takeToken();
    }

    /** RFC 4443 2.4: no errors about ICMPv6 errors or from unspecified/multicast sources. */
    boolean mayAnswer6(MemorySegment m, int off, int len) {
        long srcHi = Ipv6.srcHigh(m, off);
        if ((srcHi == 0 && Ipv6.srcLow(m, off) == 0) || (srcHi >>> 56) == 0xFF) {
            return false;
        }
        long upper = Ipv6.upperLayer(m, off, len);
        if (upper >= 0 && Ipv6.protocol(upper) == IpProtocol.ICMPV6 && Ipv6.offset(upper) < len
                && Icmp6.type(m, off + Ipv6.offset(upper)) < 128) {
            return false;
        }
        return takeToken();
    }

    private boolean takeToken() {
        if (tokens == 0) {
            drops.count(RouterDrops.ICMP_RATE_LIMITED);
            return false;
        }
        tokens--;
        return true;
    }

    /**
     * Turns slot {@code i} into an ICMP error to the packet's sender, in place: the new IPv4 and
     * ICMP headers go into the headroom and the quoted original stays where it is. False (and
     * counted) when the slot has no room in front.
     */
    boolean error4(PacketBatch b, MemorySegment m, int i, int off, int len, Tunnel t, int type, int code, int rest) {
        int start = off - IPV4_ICMP_HEADERS;
        if (start < PacketBatch.slotBase(i)) {
            drops.count(RouterDrops.NO_HEADROOM);
            return false;
        }
        int sender = Ipv4.src(m, off);
        int icmpLen = Icmp4.writeError(m, start + Ipv4.HEADER, type, code, rest, m, off, len);
        int source = lanAddress4 != 0 ? lanAddress4 : t.local;
        Ipv4.write(m, start, CONTROL_TOS, Ipv4.HEADER + icmpLen, t.ipId++ & 0xFFFF, 0, 64, IpProtocol.ICMP,
                source, sender);
        b.set(i, start, Ipv4.HEADER + icmpLen);
        return true;
    }

    /** Slot {@code i} becomes an ICMPv6 packet too big carrying the tunnel's MTU (needs {@link #canSend6}). */
    boolean packetTooBig(PacketBatch b, MemorySegment m, int i, int off, int len, Tunnel t) {
        int start = off - IPV6_ICMP_HEADERS;
        if (start < PacketBatch.slotBase(i)) {
            drops.count(RouterDrops.NO_HEADROOM);
            return false;
        }
        int icmpLen = Icmp6.errorLength(len);
        Ipv6.write(m, start, 0, 0, icmpLen, IpProtocol.ICMPV6, 64, lanAddress6Hi, lanAddress6Lo,
                Ipv6.srcHigh(m, off), Ipv6.srcLow(m, off));
        Icmp6.writePacketTooBig(m, start, start + Ipv6.HEADER, t.mtu, m, off, len);
        b.set(i, start, Ipv6.HEADER + icmpLen);
        return true;
    }
}
