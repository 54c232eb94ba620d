package io.tunnelbox.config;

import io.tunnelbox.packet.IpPrefix;
import io.tunnelbox.packet.Ipv4Prefix;
import java.util.List;

/**
 * The box's own packet filter (nftables), beyond what it opens by itself: GRE and VXLAN from the
 * configured peers, ICMP errors, and management from the LAN.
 *
 * @param lanPrefixes sources besides the LAN's own subnet that may be routed into a tunnel (networks
 *                    behind a LAN router, the LAN's IPv6 prefix)
 * @param open        what else the WAN may reach on the box itself
 */
public record FirewallConfig(List<IpPrefix> lanPrefixes, List<Opening> open) {
    public static final FirewallConfig DEFAULT = new FirewallConfig(List.of(), List.of());

    public FirewallConfig {
        lanPrefixes = List.copyOf(lanPrefixes);
        open = List.copyOf(open);
    }

    /**
     * One thing the WAN may reach on the box.
     *
     * @param protocol "tcp", "udp" or "icmp" (ICMP echo: ping)
     * @param port     destination port for tcp and udp, 0 for icmp
     * @param from     the sources allowed ({@code 0.0.0.0/0}: anyone)
     */
    public record Opening(String protocol, int port, Ipv4Prefix from) {
    }
}
