package io.tunnelbox.l2switch;

import io.tunnelbox.packet.Ipv4Address;
import io.tunnelbox.packet.Ipv4Prefix;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * One L2 segment stretched over the underlay (the seed's "network" with its segment id).
 *
 * @param transport VXLAN or Ethernet-over-GRE
 * @param id the VNI (24 bits) or the GRE key (32 bits, shown as the seed's {@code tun_id})
 * @param vlan the segment's local VLAN on the LAN port, 1..4094 (the seed's {@code mod_vlan_vid})
 * @param untagged true if untagged LAN frames belong to this segment (at most one per box); its
 *     frames leave the LAN port untagged too
 * @param flood head-end replication to {@code peers}, or one copy to {@code group}
 * @param peers remote VTEP addresses (IPv4 as int). In head-end mode: where floods go. In
 *     multicast mode: members of the group. In both modes they are accepted
 * @param group the multicast group (224.0.0.0/4) in multicast mode, 0 otherwise
 * @param ageing hard timeout of learned MACs (the seed's {@code hard_timeout=300})
 * @param macLimit most MAC entries of this segment (static and learned)
 * @param allow remote VTEPs accepted besides {@code peers} (addresses as /32, or prefixes). The
 *     allow-list of a segment is {@code peers} plus {@code allow}: a frame from any other remote is
 *     dropped and counted, in every mode. A multicast segment with neither accepts nobody;
 *     {@code 0.0.0.0/0} opens it to any remote, as a kernel VXLAN device on a group is
 * @param macMove whether a tunnel frame may move a MAC learned on the LAN (see {@link MacMove})
 * @param fragmentOuter split a delivery packet larger than the WAN MTU into IPv4 fragments (as
 *     Linux's VXLAN device does; the peer must reassemble) instead of dropping it (RFC 7348
 *     section 4.3: a VTEP must not fragment; the default)
 */
public record SegmentSpec(Transport transport, int id, int vlan, boolean untagged, FloodMode flood,
                          List<Integer> peers, int group, Duration ageing, int macLimit,
                          List<Ipv4Prefix> allow, MacMove macMove, boolean fragmentOuter) {

    public static final Duration DEFAULT_AGEING = Duration.ofSeconds(300);
    public static final int DEFAULT_MAC_LIMIT = 4096;

    public SegmentSpec {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(flood, "flood mode");
        Objects.requireNonNull(ageing, "ageing");
        peers = List.copyOf(Objects.requireNonNull(peers, "peers"));
        allow = List.copyOf(Objects.requireNonNull(allow, "allow"));
        Objects.requireNonNull(macMove, "MAC move policy");
        String what = transport.label() + " segment " + (id & 0xFFFF_FFFFL);
        if (transport == Transport.VXLAN && (id < 0 || id > 0xFF_FFFF)) {
            throw new IllegalArgumentException(what + ": a VNI is 24 bits (0..16777215)");
        }
        if (vlan < 1 || vlan > 4094) {
            throw new IllegalArgumentException(what + ": local VLAN " + vlan + " outside 1..4094");
        }
        if (ageing.isNegative() || ageing.isZero() || ageing.toSeconds() > 1_000_000) {
            throw new IllegalArgumentException(what + ": MAC ageing " + ageing + " outside 1 s..1000000 s");
        }
        if (macLimit < 1) {
            throw new IllegalArgumentException(what + ": MAC limit " + macLimit + " must be at least 1");
        }
        if (new LinkedHashSet<>(peers).size() != peers.size()) {
            throw new IllegalArgumentException(what + ": a peer is listed twice");
        }
        for (int p : peers) {
            if (p == 0 || Ipv4Address.isMulticast(p) || p == -1) {
                throw new IllegalArgumentException(what + ": peer " + Ipv4Address.format(p) + " is not a unicast address");
            }
        }
        if (flood == FloodMode.MULTICAST && !Ipv4Address.isMulticast(group)) {
            throw new IllegalArgumentException(what + ": multicast flooding needs a group in 224.0.0.0/4, not "
                    + Ipv4Address.format(group));
        }
        if (flood == FloodMode.HEAD_END && group != 0) {
            throw new IllegalArgumentException(what + ": a group is only used with multicast flooding");
        }
    }

    /** A segment that accepts only its peers and keeps LAN MACs on the LAN ({@link MacMove#DENY}). */
    public SegmentSpec(Transport transport, int id, int vlan, boolean untagged, FloodMode flood,
                       List<Integer> peers, int group, Duration ageing, int macLimit) {
        this(transport, id, vlan, untagged, flood, peers, group, ageing, macLimit, List.of(), MacMove.DENY, false);
    }

    /** A segment with an allow-list and MAC move policy that does not fragment delivery packets. */
    public SegmentSpec(Transport transport, int id, int vlan, boolean untagged, FloodMode flood,
                       List<Integer> peers, int group, Duration ageing, int macLimit, List<Ipv4Prefix> allow,
                       MacMove macMove) {
        this(transport, id, vlan, untagged, flood, peers, group, ageing, macLimit, allow, macMove, false);
    }

    /** A head-end replication segment with the defaults (ageing 300 s, limit 4096). */
    public static SegmentSpec headEnd(Transport transport, int id, int vlan, List<Integer> peers) {
        return new SegmentSpec(transport, id, vlan, false, FloodMode.HEAD_END, peers, 0, DEFAULT_AGEING,
                DEFAULT_MAC_LIMIT);
    }

    /**
     * A multicast-group segment with the defaults. It accepts no remote until given members
     * ({@link #withPeers}) or an allow-list ({@link #withAllow}).
     */
    public static SegmentSpec multicast(Transport transport, int id, int vlan, int group) {
        return new SegmentSpec(transport, id, vlan, false, FloodMode.MULTICAST, List.of(), group,
                DEFAULT_AGEING, DEFAULT_MAC_LIMIT);
    }

    public SegmentSpec withUntagged(boolean value) {
        return new SegmentSpec(transport, id, vlan, value, flood, peers, group, ageing, macLimit, allow, macMove, fragmentOuter);
    }

    public SegmentSpec withAgeing(Duration value) {
        return new SegmentSpec(transport, id, vlan, untagged, flood, peers, group, value, macLimit, allow, macMove, fragmentOuter);
    }

    public SegmentSpec withMacLimit(int value) {
        return new SegmentSpec(transport, id, vlan, untagged, flood, peers, group, ageing, value, allow, macMove, fragmentOuter);
    }

    public SegmentSpec withPeers(List<Integer> value) {
        return new SegmentSpec(transport, id, vlan, untagged, flood, value, group, ageing, macLimit, allow, macMove, fragmentOuter);
    }

    public SegmentSpec withAllow(List<Ipv4Prefix> value) {
        return new SegmentSpec(transport, id, vlan, untagged, flood, peers, group, ageing, macLimit, value, macMove, fragmentOuter);
    }

    public SegmentSpec withMacMove(MacMove value) {
        return new SegmentSpec(transport, id, vlan, untagged, flood, peers, group, ageing, macLimit, allow, value, fragmentOuter);
    }

    public SegmentSpec withFragmentOuter(boolean value) {
        return new SegmentSpec(transport, id, vlan, untagged, flood, peers, group, ageing, macLimit, allow, macMove,
                value);
    }

    /** True if a frame from {@code remote} is on this segment's allow-list. */
    public boolean accepts(int remote) {
        if (peers.contains(remote)) {
            return true;
        }
        for (Ipv4Prefix p : allow) {
            if ((remote & Ipv4Prefix.mask(p.length())) == p.address()) {
                return true;
            }
        }
        return false;
    }

    /** True if remotes without a tunnel port of their own may be accepted (on the flow-based port). */
    boolean needsFlowPort() {
        return flood == FloodMode.MULTICAST || !allow.isEmpty();
    }

    /** "vxlan 5000" / "gre 0x1388": how dumps and errors name the segment. */
    public String label() {
        return transport == Transport.VXLAN ? "vxlan " + id : "gre 0x" + Long.toHexString(id & 0xFFFF_FFFFL);
    }

}
