package io.tunnelbox.router;

import io.tunnelbox.engine.DropCounters;
import io.tunnelbox.packet.Reason;

/**
 * The router datapath's drop reasons (VPP's per-node error counters; "show errors"): codes below
 * {@link Reason#COUNT} are the codecs' validation reasons; the router's own follow.
 */
public final class RouterDrops extends DropCounters {
    private static final int BASE = Reason.COUNT;
    /** No route covers the destination. */
    public static final int NO_ROUTE = BASE;
    /** The route points to a tunnel whose keepalives say it is down. */
    public static final int TUNNEL_DOWN = BASE + 1;
    /** TTL or hop limit would reach zero. */
    public static final int TTL_EXPIRED = BASE + 2;
    /** Too big for the tunnel with DF set (IPv4) or IPv6: answered with ICMP, not forwarded. */
    public static final int TOO_BIG = BASE + 3;
    /** Delivery packet is neither GRE nor ICMP. */
    public static final int NOT_GRE = BASE + 4;
    /** GRE carrying Ethernet (0x6558): the switch datapath's business, not an error. */
    public static final int NOT_ROUTER = BASE + 5;
    /** Delivery packet is a fragment: we do not reassemble (see TunnelToLan). */
    public static final int OUTER_FRAGMENT = BASE + 6;
    /** No tunnel has this remote (and local) address: spoofed or unconfigured source. */
    public static final int UNKNOWN_REMOTE = BASE + 7;
    /** The tunnel needs a key and the packet has another one. */
    public static final int KEY_MISMATCH = BASE + 8;
    /** The tunnel needs a key and the packet has none. */
    public static final int KEY_MISSING = BASE + 9;
    /** The tunnel has no input key and the packet carries one. */
    public static final int KEY_UNEXPECTED = BASE + 10;
    /** The tunnel requires checksums and the packet has none. */
    public static final int CHECKSUM_MISSING = BASE + 11;
    /** The tunnel requires sequence numbers and the packet has none. */
    public static final int SEQUENCE_MISSING = BASE + 12;
    /** Sequence number not newer than the last one (duplicate, replay, reordering). */
    public static final int SEQUENCE_OLD = BASE + 13;
    /** Sequence number too far ahead of the window. */
    public static final int SEQUENCE_JUMP = BASE + 14;
    /** GRE protocol type other than IPv4, IPv6, Ethernet or keepalive. */
    public static final int GRE_PROTOCOL = BASE + 15;
    /** Decapsulated packet larger than the LAN port carries. */
    public static final int LAN_TOO_BIG = BASE + 16;
    /** Not enough headroom in the buffer to prepend the outer headers (a port broke the contract). */
    public static final int NO_HEADROOM = BASE + 17;
    /** A packet that needs fragmenting would need more fragments than a batch holds. */
    public static final int TOO_MANY_FRAGMENTS = BASE + 18;
    /** IPv6 too big but no IPv6 LAN address to send packet-too-big from. */
    public static final int TOO_BIG_SILENT = BASE + 19;
    /** An ICMP error we would have sent, held back by the rate limit (RFC 1812 4.3.2.8). */
    public static final int ICMP_RATE_LIMITED = BASE + 20;
    /** A port refused to send (its own counters say why). */
    public static final int TX_FAILED = BASE + 21;
    /** An underlay ICMP error quoting a packet that is none of our tunnels'. */
    public static final int ICMP_UNRELATED = BASE + 22;
    /** Underlay ICMP other than fragmentation-needed (the router answers no pings on its WAN). */
    public static final int ICMP_IGNORED = BASE + 23;

    public static final int COUNT = BASE + 24;

    private static final String[] OWN_NAMES = {
        "no-route", "tunnel-down", "ttl-expired", "too-big", "not-gre", "not-router", "outer-fragment",
        "unknown-remote", "key-mismatch", "key-missing", "key-unexpected", "checksum-missing",
        "sequence-missing", "sequence-old", "sequence-jump", "gre-protocol", "lan-too-big", "no-headroom",
        "too-many-fragments", "too-big-silent", "icmp-rate-limited", "tx-failed", "icmp-unrelated",
        "icmp-ignored",
    };

    public RouterDrops() {
        super(OWN_NAMES);
    }

    /** A packet from the LAN for tunnel {@code t} dropped: counted here and as the tunnel's tx drop. */
    void tx(Tunnel t, int reason) {
        count(reason);
        t.counters.drop(reason, TunnelCounters.TX_DROPS);
    }

    /** A packet received through tunnel {@code t} dropped: counted here and as the tunnel's rx drop. */
    void rx(Tunnel t, int reason) {
        count(reason);
        t.counters.drop(reason, TunnelCounters.RX_DROPS);
    }

    /** The name of a reason code (codec reasons and the router's own). */
    public static String name(int reason) {
        if (reason >= BASE && reason < COUNT) {
            return OWN_NAMES[reason - BASE];
        }
        return Reason.name(reason);
    }
}
