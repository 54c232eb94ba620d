package io.tunnelbox.config;

import io.tunnelbox.config.Flood.Mode;
import io.tunnelbox.config.SegmentConfig.Transport;
import io.tunnelbox.packet.IpPrefix;
import io.tunnelbox.packet.Ipv4Address;
import io.tunnelbox.packet.Ipv4Prefix;
import io.tunnelbox.packet.Ipv6Prefix;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cross-checks between the parts of a {@link Config} that each look fine alone: duplicate names,
 * ids and VLANs, tunnel addresses against the WAN, MTUs against the WAN, routes into missing tunnels.
 */
public final class ConfigValidator {
    private ConfigValidator() {
    }

    public static List<ConfigError> validate(Config c) {
        List<ConfigError> errors = new ArrayList<>();
        admins(c, errors);
        interfaces(c, errors);
        tunnels(c, errors);
        segments(c, errors);
        routes(c, errors);
        encryption(c, errors);
        return errors;
    }

    /** One user of a peer's IPsec: a tunnel or a segment, the protocol its packets use, its settings. */
    private record PeerUse(String at, String protocol, java.util.Optional<EncryptionConfig> encryption) {
    }

    /**
     * A peer has one IKE SA (one key or CA for everything to it), and one kernel policy per protocol
     * covers all of this box's GRE or VXLAN to it: a tunnel and an Ethernet-over-GRE segment to the
     * same peer are encrypted both or neither. Errors name the fields, never the key.
     */
    private static void encryption(Config c, List<ConfigError> errors) {
        Map<Integer, List<PeerUse>> byPeer = new java.util.LinkedHashMap<>();
        for (int i = 0; i < c.tunnels().size(); i++) {
            TunnelConfig t = c.tunnels().get(i);
            if (t.remote() != 0) {
                byPeer.computeIfAbsent(t.remote(), k -> new ArrayList<>())
                        .add(new PeerUse("tunnels[" + i + "]", "GRE", t.encryption()));
            }
        }
        for (int i = 0; i < c.segments().size(); i++) {
            SegmentConfig s = c.segments().get(i);
            for (int peer : s.flood().peers()) {
                if (peer != 0) {
                    byPeer.computeIfAbsent(peer, k -> new ArrayList<>()).add(new PeerUse("segments[" + i + "]",
                            s.transport() == Transport.GRE ? "GRE" : "VXLAN", s.encryption()));
                }
            }
        }
        byPeer.forEach((peer, uses) -> {
            PeerUse keyed = null;
            Map<String, PeerUse> byProtocol = new HashMap<>();
            for (PeerUse u : uses) {
                if (u.encryption().isPresent()) {
                    if (keyed == null) {
                        keyed = u;
                    } else if (!keyed.encryption().equals(u.encryption()) && !keyed.at().equals(u.at())) {
                        errors.add(new ConfigError(u.at() + ".encryption", "differs from " + keyed.at()
                                + ".encryption, also to " + Ipv4Address.format(peer) + ": a peer has one IKE SA, so"
                                + " everything to it uses the same key or CA"));
                    }
                }
                PeerUse same = byProtocol.putIfAbsent(u.protocol(), u);
                if (same != null && same.encryption().isPresent() != u.encryption().isPresent()) {
                    PeerUse clear = u.encryption().isPresent() ? same : u;
                    errors.add(new ConfigError(clear.at() + ".encryption", "missing: " + (clear == u ? same : u).at()
                            + " encrypts " + u.protocol() + " to " + Ipv4Address.format(peer) + ", and one IPsec policy"
                            + " covers all " + u.protocol() + " to a peer (encrypt both or neither)"));
                }
            }
        });
    }

    private static void admins(Config c, List<ConfigError> errors) {
        Map<String, Integer> seen = new HashMap<>();
        List<AdminAccount> admins = c.system().admins();
        for (int i = 0; i < admins.size(); i++) {
            Integer first = seen.putIfAbsent(admins.get(i).name(), i);
            if (first != null) {
                errors.add(new ConfigError("system.admins[" + i + "].name",
                        "\"" + admins.get(i).name() + "\" is already system.admins[" + first + "]"));
            }
        }
    }

    private static void interfaces(Config c, List<ConfigError> errors) {
        InterfaceConfig wan = c.interfaces().wan();
        InterfaceConfig lan = c.interfaces().lan();
        if (wan.nic().equals(lan.nic())) {
            errors.add(new ConfigError("interfaces.lan.nic", "\"" + lan.nic() + "\" is the WAN's NIC too"));
        }
        gateway("interfaces.wan", wan, errors);
        // The box is the LAN's router: its LAN address is fixed and the LAN needs no gateway. Both
        // would be accepted and then ignored, so they are refused.
        if (lan.dhcp()) {
            errors.add(new ConfigError("interfaces.lan.dhcp", "the LAN needs a static address (the box is the LAN's"
                    + " router and the source of its ICMP errors)"));
        }
        if (lan.gateway() != 0) {
            errors.add(new ConfigError("interfaces.lan.gateway", "the LAN has no gateway: the box is the LAN's"
                    + " router (routes into tunnels go under \"routes\")"));
        }
        if (wan.address() != null && lan.address() != null) {
            Ipv4Prefix w = wan.address();
            Ipv4Prefix l = lan.address();
            if (w.contains(l.address()) || l.contains(w.address())) {
                errors.add(new ConfigError("interfaces.lan.address",
                        l + " overlaps the WAN's subnet " + w.network()));
            }
        }
    }

    private static void gateway(String at, InterfaceConfig i, List<ConfigError> errors) {
        if (i.address() == null || i.gateway() == 0) {
            return;
        }
        if (i.gateway() == i.address().address()) {
            errors.add(new ConfigError(at + ".gateway", Ipv4Address.format(i.gateway()) + " is this box's own address"));
        } else if (!i.address().contains(i.gateway())) {
            errors.add(new ConfigError(at + ".gateway",
                    Ipv4Address.format(i.gateway()) + " is not in the interface's subnet " + i.address().network()));
        }
    }

    private static void tunnels(Config c, List<ConfigError> errors) {
        InterfaceConfig wan = c.interfaces().wan();
        InterfaceConfig lan = c.interfaces().lan();
        Map<String, Integer> names = new HashMap<>();
        Map<String, Integer> demux = new HashMap<>();
        List<TunnelConfig> tunnels = c.tunnels();
        for (int i = 0; i < tunnels.size(); i++) {
            TunnelConfig t = tunnels.get(i);
            String at = "tunnels[" + i + "]";
            Integer first = names.putIfAbsent(t.name(), i);
            if (first != null && !t.name().isEmpty()) {
                errors.add(new ConfigError(at + ".name", "\"" + t.name() + "\" is already tunnels[" + first + "]"));
            }
            if (t.local() != 0) {
                if (wan.dhcp()) {
                    errors.add(new ConfigError(at + ".local", Ipv4Address.format(t.local())
                            + " is not on the WAN: the WAN uses DHCP, leave \"local\" out to follow its address"));
                } else if (wan.address() != null && !wan.hasAddress(t.local())) { // null: reported by the parser
                    errors.add(new ConfigError(at + ".local", Ipv4Address.format(t.local())
                            + " is not on the WAN (the WAN's address is " + Ipv4Address.format(wan.address().address()) + ")"));
                }
            }
            if (t.remote() != 0) {
                if (wan.hasAddress(t.remote())) {
                    errors.add(new ConfigError(at + ".remote", Ipv4Address.format(t.remote()) + " is this box's own WAN address"));
                } else if (lan.address() != null && lan.address().contains(t.remote())) {
                    errors.add(new ConfigError(at + ".remote", Ipv4Address.format(t.remote())
                            + " is inside the LAN " + lan.address().network() + "; a tunnel's remote end is reached over the WAN"));
                }
                // Received packets are matched to a tunnel by outer source address and key (RFC 2890).
                String key = Ipv4Address.format(t.remote()) + "/" + (t.ikey().isPresent() ? t.ikey().getAsLong() : "none");
                Integer other = demux.putIfAbsent(key, i);
                if (other != null) {
                    errors.add(new ConfigError(at + (t.ikey().isPresent() ? ".ikey" : ".remote"),
                            "same remote " + Ipv4Address.format(t.remote()) + " and "
                                    + (t.ikey().isPresent() ? "key " + t.ikey().getAsLong() : "no key")
                                    + " as tunnels[" + other + "]; received packets could not be told apart (give each a different key)"));
                }
            }
            int max = t.maxMtu(wan.mtu());
            if (t.mtu() != TunnelConfig.MTU_AUTO && t.mtu() > max) {
                errors.add(new ConfigError(at + ".mtu", t.mtu() + " is out of range: the WAN's MTU " + wan.mtu()
                        + " carries at most " + max + " (" + (wan.mtu() - max) + " bytes of outer headers)"));
            }
            if (t.mssClamp() > 0 && t.mssClamp() > t.effectiveMtu(wan.mtu()) - 40) {
                errors.add(new ConfigError(at + ".mssClamp", t.mssClamp() + " is larger than the tunnel MTU allows ("
                        + (t.effectiveMtu(wan.mtu()) - 40) + " = MTU - 40)"));
            }
        }
    }

    private static void segments(Config c, List<ConfigError> errors) {
        InterfaceConfig wan = c.interfaces().wan();
        Set<String> tunnelNames = new HashSet<>();
        c.tunnels().forEach(t -> tunnelNames.add(t.name()));
        Map<String, Integer> names = new HashMap<>();
        Map<String, Integer> ids = new HashMap<>();
        Map<Integer, Integer> vlans = new HashMap<>();
        Map<Integer, Integer> vxlanPort = new HashMap<>();
        List<SegmentConfig> segments = c.segments();
        for (int i = 0; i < segments.size(); i++) {
            SegmentConfig s = segments.get(i);
            String at = "segments[" + i + "]";
            Integer first = names.putIfAbsent(s.name(), i);
            if (!s.name().isEmpty()) {
                if (first != null) {
                    errors.add(new ConfigError(at + ".name", "\"" + s.name() + "\" is already segments[" + first + "]"));
                } else if (tunnelNames.contains(s.name())) {
                    errors.add(new ConfigError(at + ".name", "\"" + s.name() + "\" is already a tunnel's name"));
                }
            }
            if (s.id() != 0 || s.transport() == Transport.GRE) {
                Integer other = ids.putIfAbsent(s.transport() + "/" + s.id(), i);
                if (other != null) {
                    errors.add(new ConfigError(at + ".id", (s.transport() == Transport.VXLAN ? "VNI " : "GRE key ")
                            + s.id() + " is already segments[" + other + "]"));
                }
            }
            if (s.transport() == Transport.VXLAN) {
                Integer firstVxlan = vxlanPort.putIfAbsent(-1, i);
                SegmentConfig ref = firstVxlan == null ? s : segments.get(firstVxlan);
                if (ref.udpPort() != s.udpPort()) {
                    errors.add(new ConfigError(at + ".udpPort", "UDP port " + s.udpPort() + " differs from segments["
                            + firstVxlan + "]'s " + ref.udpPort() + "; the box has one VXLAN socket, so every VXLAN"
                            + " segment uses the same port"));
                }
            }
            Integer sameVlan = vlans.putIfAbsent(s.vlan(), i);
            if (sameVlan != null) {
                errors.add(new ConfigError(at + ".vlan", s.vlan() == SegmentConfig.UNTAGGED
                        ? "more than one untagged segment (vlan 0): segments[" + sameVlan + "] is untagged already"
                        : "VLAN " + s.vlan() + " is already segments[" + sameVlan + "]"));
            }
            Flood f = s.flood();
            if (f.mode() == Mode.GROUP && s.transport() == Transport.GRE) {
                errors.add(new ConfigError(at + ".flood.mode", "flood mode \"group\" needs transport \"vxlan\"; GRE segments flood to peers"));
            }
            Set<Integer> peers = new HashSet<>();
            for (int p = 0; p < f.peers().size(); p++) {
                int peer = f.peers().get(p);
                if (peer == 0) {
                    continue;
                }
                String pat = at + ".flood.peers[" + p + "]";
                if (!peers.add(peer)) {
                    errors.add(new ConfigError(pat, Ipv4Address.format(peer) + " is listed twice"));
                } else if (wan.hasAddress(peer)) {
                    errors.add(new ConfigError(pat, Ipv4Address.format(peer) + " is this box's own WAN address"));
                }
            }
        }
    }

    private static void routes(Config c, List<ConfigError> errors) {
        Set<String> tunnelNames = new HashSet<>();
        c.tunnels().forEach(t -> tunnelNames.add(t.name()));
        Map<IpPrefix, Integer> prefixes = new HashMap<>();
        Ipv4Prefix lan = c.interfaces().lan().address();
        List<RouteConfig> routes = c.routes();
        for (int i = 0; i < routes.size(); i++) {
            RouteConfig r = routes.get(i);
            String at = "routes[" + i + "]";
            if (!r.tunnel().isEmpty() && !tunnelNames.contains(r.tunnel())) {
                errors.add(new ConfigError(at + ".tunnel", "no tunnel named \"" + r.tunnel() + "\""
                        + (tunnelNames.isEmpty() ? "" : " (tunnels: " + String.join(", ", c.tunnels().stream().map(TunnelConfig::name).distinct().toList()) + ")")));
            }
            Integer first = prefixes.putIfAbsent(r.prefix(), i);
            if (first != null) {
                errors.add(new ConfigError(at + ".prefix", r.prefix() + " is already routes[" + first + "]"));
            }
            // A prefix inside the LAN would pull the LAN's own hosts into a tunnel; a wider one
            // (even 0.0.0.0/0) is fine, the LAN's connected route is more specific.
            if (lan != null && r.prefix() instanceof Ipv4Prefix p && p.length() >= lan.length() && lan.contains(p.address())) {
                errors.add(new ConfigError(at + ".prefix", p + " is inside the LAN " + lan.network()));
            }
            // The firewall routes into a tunnel only what comes from a LAN-side prefix; the LAN's
            // IPv6 prefix is not known unless it is listed, and a route nothing may use is a trap.
            if (r.prefix() instanceof Ipv6Prefix p6 && c.firewall().lanPrefixes().stream().noneMatch(x -> x instanceof Ipv6Prefix)) {
                errors.add(new ConfigError(at + ".prefix", p6 + ": an IPv6 route needs the LAN's IPv6 prefix in "
                        + "firewall.lanPrefixes (only packets from a LAN-side prefix may enter a tunnel)"));
            }
        }
    }
}
