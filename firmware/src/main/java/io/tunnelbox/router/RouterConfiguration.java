package io.tunnelbox.router;

import io.tunnelbox.hal.time.Clock;
import io.tunnelbox.packet.IpPrefix;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tinylog.Logger;

/**
 * The router's configuration as given (tunnel specs, routes, the underlay MTU) and the
 * {@link Forwarding} state derived from it, rebuilt on the datapath thread whenever either changes
 * or a tunnel goes up or down; and what other threads read of it (tunnels and routes with their
 * counters), replaced, never mutated, at each rebuild.
 */
final class RouterConfiguration {
    private final String name;
    private final Clock clock;
    private final Map<String, GreTunnelSpec> specs = new LinkedHashMap<>();
    private final Map<String, TunnelCounters> countersByName = new LinkedHashMap<>();
    private final Map<IpPrefix, Route> configuredRoutes = new LinkedHashMap<>();
    /** The WAN MTU tunnels size themselves from: the port's, until configuration says otherwise. */
    private int underlayMtu;
    /** What the packet path reads (datapath thread only). */
    private Forwarding forwarding;
    /** A tunnel went up or down: the forwarding tables are rebuilt at the end of this poll or tick. */
    private boolean stale;

    /** What other threads read. */
    private volatile List<Tunnel> published = List.of();
    private volatile List<Forwarding.PublishedRoute> publishedRoutes = List.of();

    RouterConfiguration(String name, Clock clock, int underlayMtu) {
        this.name = name;
        this.clock = clock;
        this.underlayMtu = underlayMtu;
        rebuild(null);
    }

    /** The forwarding state in force; the same object until the next rebuild. */
    Forwarding forwarding() {
        return forwarding;
    }

    void addTunnel(GreTunnelSpec spec) {
        if (spec.equals(specs.get(spec.name()))) {
            return; // re-applying an unchanged config must not reset its state
        }
        specs.put(spec.name(), spec);
        rebuild(spec.name());
    }

    void removeTunnel(String tunnelName) {
        if (specs.remove(tunnelName) != null) {
            countersByName.remove(tunnelName);
            rebuild(null);
        }
    }

    void addRoute(IpPrefix prefix, String tunnelName) {
        Route old = configuredRoutes.get(prefix);
        if (old == null || !old.tunnel.equals(tunnelName)) {
            configuredRoutes.put(prefix, new Route(prefix, tunnelName));
            rebuild(null);
        }
    }

    void removeRoute(IpPrefix prefix) {
        if (configuredRoutes.remove(prefix) != null) {
            rebuild(null);
        }
    }

    void underlayMtu(int mtu) {
        if (mtu != underlayMtu) {
            underlayMtu = mtu;
            rebuild(null);
        }
    }

    /** Zeroes every tunnel's counters and every route's. */
    void clearCounters() {
        for (TunnelCounters c : countersByName.values()) {
            c.clear();
        }
        configuredRoutes.values().forEach(Route::clear);
    }

    /** Tunnel {@code t}'s keepalive state flipped: its routes move at {@link #rebuildIfStale}. */
    void stateChanged(Tunnel t) {
        stale = true;
        Logger.info("{}: tunnel {} is {} ({})", name, t.name(), t.state().label(), t.keepalive.reason());
    }

    /** End of a poll or tick: follows the tunnels' state changes into the forwarding tables. */
    void rebuildIfStale() {
        if (stale) {
            rebuild(null);
        }
    }

    /**
     * Derives the forwarding state from the configuration. {@code changed} names the one tunnel
     * whose spec is new (it gets fresh state); all others keep theirs.
     */
    private void rebuild(String changed) {
        Tunnel[] old = forwarding == null ? new Tunnel[0] : forwarding.tunnels;
        forwarding = Forwarding.build(name, specs, countersByName, configuredRoutes, old, changed, underlayMtu,
                clock.nanoTime(), clock.epochMillis());
        stale = false;
        published = forwarding.published;
        publishedRoutes = forwarding.publishedRoutes;
    }

    /** The tunnels as last configured (applied), in configuration order; any thread. */
    List<Tunnel> tunnels() {
        return published;
    }

    /** The configured routes in the order configured, with their counters; any thread. */
    List<RouteStatus> routeTable() {
        List<RouteStatus> out = new ArrayList<>(publishedRoutes.size());
        for (Forwarding.PublishedRoute p : publishedRoutes) {
            out.add(new RouteStatus(p.route().prefix.toString(), p.route().tunnel, p.active(), p.note(),
                    p.route().packets()));
        }
        return out;
    }
}
