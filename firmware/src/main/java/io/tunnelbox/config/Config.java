package io.tunnelbox.config;

import java.util.List;
import java.util.Optional;

/**
 * Everything a box is told, as one immutable value. Built only by {@link ConfigParser} (which fills
 * defaults) or {@link #defaults()}; two configs are equal when they would configure a box the same way.
 */
public record Config(
        SystemConfig system,
        InterfacesConfig interfaces,
        List<TunnelConfig> tunnels,
        List<SegmentConfig> segments,
        List<RouteConfig> routes,
        WebConfig web,
        ConsoleConfig console,
        FirewallConfig firewall) {

    public Config {
        tunnels = List.copyOf(tunnels);
        segments = List.copyOf(segments);
        routes = List.copyOf(routes);
    }

    /** A configuration with the default firewall. */
    public Config(SystemConfig system, InterfacesConfig interfaces, List<TunnelConfig> tunnels,
                  List<SegmentConfig> segments, List<RouteConfig> routes, WebConfig web, ConsoleConfig console) {
        this(system, interfaces, tunnels, segments, routes, web, console, FirewallConfig.DEFAULT);
    }

    /** The factory configuration: WAN by DHCP, LAN 192.168.1.1/24, no tunnels, no admin yet. */
    public static Config defaults() {
        return new Config(SystemConfig.DEFAULT, InterfacesConfig.DEFAULT, List.of(), List.of(), List.of(),
                WebConfig.DEFAULT, ConsoleConfig.DEFAULT);
    }

    public Optional<TunnelConfig> tunnel(String name) {
        return tunnels.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    public Optional<SegmentConfig> segment(String name) {
        return segments.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public Config withSystem(SystemConfig newSystem) {
        return new Config(newSystem, interfaces, tunnels, segments, routes, web, console, firewall);
    }

    public Config withWeb(WebConfig newWeb) {
        return new Config(system, interfaces, tunnels, segments, routes, newWeb, console, firewall);
    }

    public Config withTunnels(List<TunnelConfig> newTunnels) {
        return new Config(system, interfaces, newTunnels, segments, routes, web, console, firewall);
    }

    public Config withSegments(List<SegmentConfig> newSegments) {
        return new Config(system, interfaces, tunnels, newSegments, routes, web, console, firewall);
    }

    public Config withRoutes(List<RouteConfig> newRoutes) {
        return new Config(system, interfaces, tunnels, segments, newRoutes, web, console, firewall);
    }
}
