package io.tunnelbox.router;

import io.tunnelbox.packet.IpPrefix;
import io.tunnelbox.packet.Ipv4Address;
import io.tunnelbox.packet.Ipv4Prefix;
import io.tunnelbox.packet.Ipv6Prefix;
import io.tunnelbox.route.Ipv4RouteTable;
import io.tunnelbox.route.Ipv6RouteTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tinylog.Logger;

/**
 * The router's forwarding state, derived from its configuration (tunnel specs and routes) whenever
 * that or a tunnel's state changes: the tunnels as hot-path arrays, and route tables whose targets
 * are indices into {@link #routes}. Routes through a down tunnel are left out of the forwarding
 * tables ({@link #table4}) so a less specific route (a backup tunnel) takes over, as a router
 * withdraws the routes of an interface whose line protocol went down; {@link #all4} still has them,
 * to tell "the tunnel is down" from "no route". Built on the datapath thread; never changed after.
 */
final class Forwarding {
    /** A route as other threads see it: its state at the last rebuild, its counter live. */
    record PublishedRoute(Route route, boolean active, String note) {
    }

    final Tunnel[] tunnels;
    final int[] tunnelRemote;
    final int[] tunnelLocal;
    final Route[] routes;
    final int[] routeTunnel;
    final Ipv4RouteTable table4 = new Ipv4RouteTable();
    final Ipv6RouteTable table6 = new Ipv6RouteTable();
    final Ipv4RouteTable all4 = new Ipv4RouteTable();
    final Ipv6RouteTable all6 = new Ipv6RouteTable();
    final List<Tunnel> published;
    final List<PublishedRoute> publishedRoutes;

    private Forwarding(List<Tunnel> next, Map<IpPrefix, Route> routes) {
        Map<String, Integer> index = new LinkedHashMap<>();
        tunnels = next.toArray(new Tunnel[0]);
        tunnelRemote = new int[tunnels.length];
        tunnelLocal = new int[tunnels.length];
        for (int i = 0; i < tunnels.length; i++) {
            index.put(tunnels[i].name(), i);
            tunnelRemote[i] = tunnels[i].remote;
            tunnelLocal[i] = tunnels[i].local;
        }
        List<Route> usable = new ArrayList<>();
        List<Integer> usableTunnel = new ArrayList<>();
        List<PublishedRoute> shown = new ArrayList<>();
        routes.forEach((prefix, route) -> {
            Integer i = index.get(route.tunnel);
            if (i != null) {
                boolean up = tunnels[i].keepalive.up();
                switch (prefix) {
                    case Ipv4Prefix p -> {
                        all4.put(p, usable.size());
                        if (up) {
                            table4.put(p, usable.size());
                        }
                    }
                    case Ipv6Prefix p -> {
                        all6.put(p, usable.size());
                        if (up) {
                            table6.put(p, usable.size());
                        }
                    }
                }
                usable.add(route);
                usableTunnel.add(i);
            }
            shown.add(published(route, i == null ? null : tunnels[i]));
        });
        this.routes = usable.toArray(new Route[0]);
        routeTunnel = usableTunnel.stream().mapToInt(Integer::intValue).toArray();
        published = List.copyOf(next);
        publishedRoutes = List.copyOf(shown);
    }

    /**
     * Derives the forwarding state. {@code changed} names the one tunnel whose spec is new (it gets
     * fresh state); the others keep theirs from {@code old}, rebased if the underlay MTU moved.
     */
    static Forwarding build(String router, Map<String, GreTunnelSpec> specs, Map<String, TunnelCounters> counters,
                            Map<IpPrefix, Route> routes, Tunnel[] old,
                            String changed, int underlayMtu, long nowNanos, long nowMillis) {
        Map<String, Tunnel> running = new LinkedHashMap<>();
        for (Tunnel t : old) {
            running.put(t.name(), t);
        }
        List<Tunnel> next = new ArrayList<>(specs.size());
        for (GreTunnelSpec spec : specs.values()) {
            Tunnel t = running.get(spec.name());
            if (t == null || spec.name().equals(changed)) {
                TunnelCounters c = counters.computeIfAbsent(spec.name(), n -> new TunnelCounters());
                t = new Tunnel(spec, underlayMtu, c, nowNanos, nowMillis);
                Logger.info("{}: tunnel {} {} -> {}, mtu {}", router, spec.name(),
                        Ipv4Address.format(spec.local()), Ipv4Address.format(spec.remote()), t.mtu);
            }
            if (t.baseMtu != spec.effectiveMtu(underlayMtu)) {
                t.rebase(underlayMtu);
            }
            next.add(t);
        }
        return new Forwarding(next, routes);
    }

    private static PublishedRoute published(Route route, Tunnel t) {
        if (t == null) {
            return new PublishedRoute(route, false, "no such tunnel");
        }
        return t.keepalive.up() ? new PublishedRoute(route, true, "") : new PublishedRoute(route, false, "tunnel down");
    }
}
