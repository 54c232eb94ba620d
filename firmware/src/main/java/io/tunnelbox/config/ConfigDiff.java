package io.tunnelbox.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What changed between two configurations, item by item (tunnels and segments by name, routes by
 * prefix), so an applier reconfigures only those and leaves the rest running.
 */
public record ConfigDiff(
        boolean systemChanged,
        boolean interfacesChanged,
        Changes<TunnelConfig> tunnels,
        Changes<SegmentConfig> segments,
        Changes<RouteConfig> routes,
        boolean webChanged,
        boolean consoleChanged,
        boolean firewallChanged) {

    /** Items added, removed, and changed (same key, different content) in list order. */
    public record Changes<T>(List<T> added, List<T> removed, List<Change<T>> changed) {
        public Changes {
            added = List.copyOf(added);
            removed = List.copyOf(removed);
            changed = List.copyOf(changed);
        }

        public boolean isEmpty() {
            return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
        }
    }

    public record Change<T>(T before, T after) {
    }

    public static ConfigDiff between(Config before, Config after) {
        return new ConfigDiff(
                !before.system().equals(after.system()),
                !before.interfaces().equals(after.interfaces()),
                changes(before.tunnels(), after.tunnels(), TunnelConfig::name),
                changes(before.segments(), after.segments(), SegmentConfig::name),
                changes(before.routes(), after.routes(), RouteConfig::prefix),
                !before.web().equals(after.web()),
                !before.console().equals(after.console()),
                !before.firewall().equals(after.firewall()));
    }

    private static <T, K> Changes<T> changes(List<T> before, List<T> after, Function<T, K> key) {
        Map<K, T> old = new LinkedHashMap<>();
        before.forEach(t -> old.put(key.apply(t), t));
        List<T> added = new ArrayList<>();
        List<Change<T>> changed = new ArrayList<>();
        for (T t : after) {
            T was = old.remove(key.apply(t));
            if (was == null) {
                added.add(t);
            } else if (!Objects.equals(was, t)) {
                changed.add(new Change<>(was, t));
            }
        }
        return new Changes<>(added, List.copyOf(old.values()), changed);
    }

    public boolean isEmpty() {
        return !systemChanged && !interfacesChanged && tunnels.isEmpty() && segments.isEmpty() && routes.isEmpty()
                && !webChanged && !consoleChanged && !firewallChanged;
    }

    /** One line for people: {@code tunnels +to-rc ~to-rb; routes +192.168.3.0/24}, or "no changes". */
    public String summary() {
        List<String> parts = new ArrayList<>();
        if (systemChanged) {
            parts.add("system");
        }
        if (interfacesChanged) {
            parts.add("interfaces");
        }
        items("tunnels", tunnels, TunnelConfig::name, parts);
        items("segments", segments, SegmentConfig::name, parts);
        items("routes", routes, r -> r.prefix().toString(), parts);
        if (webChanged) {
            parts.add("web");
        }
        if (consoleChanged) {
            parts.add("console");
        }
        if (firewallChanged) {
            parts.add("firewall");
        }
        return parts.isEmpty() ? "no changes" : String.join("; ", parts);
    }

    private static <T> void items(String what, Changes<T> c, Function<T, String> name, List<String> parts) {
        if (c.isEmpty()) {
            return;
        }
        List<String> words = new ArrayList<>();
        c.added().forEach(t -> words.add("+" + name.apply(t)));
        c.removed().forEach(t -> words.add("-" + name.apply(t)));
        c.changed().forEach(t -> words.add("~" + name.apply(t.after())));
        parts.add(what + " " + String.join(" ", words));
    }
}
