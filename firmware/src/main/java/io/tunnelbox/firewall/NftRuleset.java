package io.tunnelbox.firewall;

import io.tunnelbox.config.Config;
import io.tunnelbox.config.FirewallConfig;
import io.tunnelbox.config.SegmentConfig;
import io.tunnelbox.config.TunnelConfig;
import io.tunnelbox.packet.IpPrefix;
import io.tunnelbox.packet.Ipv4Address;
import io.tunnelbox.packet.Ipv4Prefix;
import io.tunnelbox.packet.Ipv6Prefix;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The nftables ruleset of a configuration: one table, {@code inet tunnelbox}, replaced as a whole in
 * one transaction (so the box is never unfiltered between two versions), with three zones:
 * <ul>
 *   <li>WAN: GRE from the tunnels' remotes and the GRE segments' allow-lists, VXLAN from the VXLAN
 *       segments' allow-lists, ICMP errors, IGMP (group membership), DHCP replies on a DHCP WAN,
 *       and what {@code firewall.open} lists; everything else is counted and dropped. Nothing that
 *       comes in on the WAN is forwarded.</li>
 *   <li>LAN: the box's management (web page, SSH) and everything else; forwarded into a tunnel
 *       only from a LAN-side prefix (the LAN's subnet and {@code firewall.lanPrefixes}).</li>
 *   <li>Tunnels: forwarded to the LAN; the box itself answers only ICMP.</li>
 * </ul>
 * Drop rules carry counters and a comment naming what they drop, which {@code show firewall}
 * prints. Only this table is ever touched.
 */
public final class NftRuleset {
    public static final String FAMILY = "inet";
    public static final String TABLE = "tunnelbox";
    /** SSH: not served yet, but management, so kept to the LAN from the start. */
    static final int SSH_PORT = 22;

    private NftRuleset() {
    }

    /** The text for {@code nft -f -}: creates or replaces the table. */
    public static String of(Config c, Zones z) {
        Set<String> grePeers = new LinkedHashSet<>();
        Set<String> vxlanPeers = new LinkedHashSet<>();
        Set<Integer> vxlanPorts = new TreeSet<>();
        for (TunnelConfig t : c.tunnels()) {
            grePeers.add(Ipv4Address.format(t.remote()));
        }
        for (SegmentConfig s : c.segments()) {
            Set<String> peers = s.transport() == SegmentConfig.Transport.GRE ? grePeers : vxlanPeers;
            s.flood().peers().forEach(p -> peers.add(Ipv4Address.format(p)));
            s.allow().forEach(p -> peers.add(p.length() == 32 ? Ipv4Address.format(p.address()) : p.toString()));
            if (s.transport() == SegmentConfig.Transport.VXLAN) {
                vxlanPorts.add(s.udpPort());
            }
        }
        if (vxlanPorts.isEmpty()) {
            vxlanPorts.add(SegmentConfig.VXLAN_PORT);
        }
        List<String> lan4 = new ArrayList<>();
        List<String> lan6 = new ArrayList<>();
        Ipv4Prefix lanSubnet = c.interfaces().lan().address();
        if (lanSubnet != null) {
            lan4.add(lanSubnet.network().toString());
        }
        for (IpPrefix p : c.firewall().lanPrefixes()) {
            (p instanceof Ipv6Prefix ? lan6 : lan4).add(p.toString());
        }

        String wan = quote(z.wan());
        String lan = names(z.lan());
        String tunnels = names(z.tunnels());
        String ports = "{ " + vxlanPorts.stream().map(String::valueOf).collect(Collectors.joining(", ")) + " }";
        StringBuilder o = new StringBuilder();
        o.append("# TunnelBox firewall, written by the box from its configuration: do not edit.\n");
        // Create-then-delete makes the delete succeed on a first start; all three lines are one
        // transaction, so the old rules stay until the new ones are in.
        o.append("table ").append(FAMILY).append(' ').append(TABLE).append('\n');
        o.append("delete table ").append(FAMILY).append(' ').append(TABLE).append('\n');
        o.append("table ").append(FAMILY).append(' ').append(TABLE).append(" {\n");
        set(o, "gre_peers", "ipv4_addr", grePeers);
        set(o, "vxlan_peers", "ipv4_addr", vxlanPeers);
        set(o, "lan4", "ipv4_addr", lan4);
        // Issue 15: IKE and ESP from the peers this box encrypts to (strongSwan, kernel xfrm).
        Set<String> ipsecPeers = new LinkedHashSet<>();
        io.tunnelbox.ipsec.PeerPlan.of(c).forEach(p -> ipsecPeers.add(p.remoteText()));
        set(o, "ipsec_peers", "ipv4_addr", ipsecPeers);
        set(o, "lan6", "ipv6_addr", lan6);

        o.append("""
                    chain input {
                        type filter hook input priority filter; policy drop;
                        iif "lo" accept
                        ct state established,related accept
                        iifname %1$s jump lan_in
                        iifname %2$s jump tunnel_in
                        iifname %3$s jump wan_in
                        counter drop comment "in: from no zone"
                    }
                """.formatted(lan, tunnels, wan));
        o.append("""
                    chain lan_in {
                        tcp dport { %1$d, %2$d } counter accept comment "management (web page, SSH) from the LAN"
                        accept
                    }
                """.formatted(c.web().port(), SSH_PORT));
        o.append("""
                    chain tunnel_in {
                        meta l4proto { icmp, ipv6-icmp } counter accept comment "tunnels: ICMP"
                        counter drop comment "tunnels: the box's services are for the LAN"
                    }
                """);
        o.append("    chain wan_in {\n");
        o.append("        udp dport { 500, 4500 } ip saddr @ipsec_peers counter accept comment \"IKE from encrypted peers\"\n");
        o.append("        ip protocol esp ip saddr @ipsec_peers counter accept comment \"ESP from encrypted peers\"\n");
        o.append("        ip protocol gre ip saddr @gre_peers counter accept comment \"GRE from peers\"\n");
        o.append("        udp dport ").append(ports)
                .append(" ip saddr @vxlan_peers counter accept comment \"VXLAN from peers\"\n");
        o.append("        icmp type { destination-unreachable, time-exceeded, parameter-problem } counter accept"
                + " comment \"ICMP errors\"\n");
        o.append("        icmpv6 type { destination-unreachable, packet-too-big, time-exceeded, parameter-problem }"
                + " counter accept comment \"ICMPv6 errors\"\n");
        o.append("        icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert } ip6 hoplimit 255"
                + " accept comment \"IPv6 neighbour discovery\"\n");
        o.append("        ip protocol igmp accept comment \"multicast group membership\"\n");
        if (c.interfaces().wan().dhcp()) {
            o.append("        udp sport 67 udp dport 68 counter accept comment \"DHCP replies\"\n");
        }
        List<FirewallConfig.Opening> open = c.firewall().open();
        for (int i = 0; i < open.size(); i++) {
            FirewallConfig.Opening op = open.get(i);
            o.append("        ");
            if (op.from().length() > 0) {
                o.append("ip saddr ").append(op.from().network()).append(' ');
            }
            if (op.protocol().equals("icmp")) {
                o.append("icmp type echo-request");
            } else {
                o.append(op.protocol()).append(" dport ").append(op.port());
            }
            o.append(" counter accept comment \"firewall.open[").append(i).append("]\"\n");
        }
        o.append("        ip protocol gre counter drop comment \"wan: GRE from a stranger\"\n");
        o.append("        udp dport ").append(ports).append(" counter drop comment \"wan: VXLAN from a stranger\"\n");
        o.append("        counter drop comment \"wan: not opened\"\n");
        o.append("    }\n");

        o.append("""
                    chain forward {
                        type filter hook forward priority filter; policy drop;
                        iifname %1$s counter drop comment "forward: from the WAN"
                        iifname %2$s oifname %3$s ip saddr @lan4 counter accept comment "LAN to tunnels"
                        iifname %2$s oifname %3$s ip6 saddr @lan6 counter accept comment "LAN to tunnels (IPv6)"
                        oifname %3$s counter drop comment "forward: into a tunnel from no LAN-side prefix"
                        iifname %3$s oifname %2$s accept
                        iifname %2$s oifname { %4$s } accept
                        counter drop comment "forward: between other zones"
                    }
                }
                """.formatted(wan, lan, tunnels, join(z.lan(), z.wan())));
        return o.toString();
    }

    private static void set(StringBuilder o, String name, String type, java.util.Collection<String> elements) {
        o.append("    set ").append(name).append(" {\n        type ").append(type)
                .append("; flags interval; auto-merge\n");
        if (!elements.isEmpty()) {
            o.append("        elements = { ").append(String.join(", ", elements)).append(" }\n");
        }
        o.append("    }\n");
    }

    private static String quote(String name) {
        return "\"" + name + "\"";
    }

    /** A set of interface names ({@code { "lan", "tb-lan" }}). */
    private static String names(List<String> names) {
        return "{ " + names.stream().map(NftRuleset::quote).collect(Collectors.joining(", ")) + " }";
    }

    private static String join(List<String> first, String last) {
        List<String> all = new ArrayList<>(first);
        all.add(last);
        return all.stream().map(NftRuleset::quote).collect(Collectors.joining(", "));
    }
}
