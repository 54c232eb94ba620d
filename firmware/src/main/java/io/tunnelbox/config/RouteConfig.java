package io.tunnelbox.config;

import io.tunnelbox.packet.IpPrefix;

/** A static route: packets to {@code prefix} (IPv4 or IPv6) go into the GRE tunnel named {@code tunnel}. */
public record RouteConfig(IpPrefix prefix, String tunnel) {
}
