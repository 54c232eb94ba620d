package io.tunnelbox.hal.linux;

import io.tunnelbox.hal.port.Ipv4Text;
import java.util.ArrayList;
import java.util.List;
import org.tinylog.Logger;

/**
 * The kernel routes that send a remote LAN into a tunnel's TUN device (GRE router role), installed
 * with {@code ip route replace PREFIX dev DEV proto 84} through {@link Ip} and removed again,
 * exactly those, on {@link #close()}.
 *
 * <p>Our routes carry their own protocol number (84, unused by the routing daemons listed in
 * iproute2's rt_protos), so that removing one never removes a route somebody else put in its
 * place, and so that {@link #removeStale} can clean up after a box that crashed before closing.
 *
 * <p>Thread-safe (control plane only).
 */
public final class KernelRoutes implements AutoCloseable {
    /** The rtnetlink protocol number marking TunnelBox's routes. */
    public static final String PROTOCOL = "84";

    /** A route this object installed. */
    public record Route(String prefix, String device) {
        @Override
        public String toString() {
            return prefix + " dev " + device;
        }
    }

    private final Ip ip;
    private final List<Route> installed = new ArrayList<>();

    /** Routes in the namespace {@code ip} works in ({@link Ip#host()} on a box). */
    public KernelRoutes(Ip ip) {
        this.ip = ip;
    }

    /**
     * Routes {@code prefix} (IPv4 {@code a.b.c.d/n} or IPv6 {@code x::/n}) into {@code device}.
     * A route for the same prefix put there by someone else is replaced, with a warning.
     */
    public synchronized void add(String prefix, String device) {
        String checked = checkPrefix(prefix);
        Route route = new Route(checked, device);
        if (installed.contains(route)) {
            return;
        }
        String existing = ip.run(family(checked), "route", "show", "exact", checked).strip();
        if (!existing.isEmpty() && !existing.contains("proto " + PROTOCOL)) {
            Logger.warn("route {} replaces an existing route not made by TunnelBox: {}", route, existing);
        }
        ip.run(family(checked), "route", "replace", checked, "dev", device, "proto", PROTOCOL);
        installed.add(route);
        Logger.info("route {} installed", route);
    }

    /** Removes a route this object added; returns false if it had not added it. */
    public synchronized boolean remove(String prefix, String device) {
        Route route = new Route(checkPrefix(prefix), device);
        if (!installed.remove(route)) {
            return false;
        }
        delete(route);
        return true;
    }

    /** The routes installed and not yet removed, in order. */
    public synchronized List<Route> installed() {
        return List.copyOf(installed);
    }

    /** Removes every route this object installed, newest first. Never throws. */
    @Override
    public synchronized void close() {
        for (int k = installed.size() - 1; k >= 0; k--) {
            delete(installed.get(k));
        }
        installed.clear();
    }

    private void delete(Route route) {
        Ip.Result r = ip.exec("ip", family(route.prefix()), "route", "del", route.prefix(), "dev", route.device(), "proto", PROTOCOL);
        if (r.ok()) {
            Logger.info("route {} removed", route);
        } else {
            // Gone already (device deleted with its routes, or replaced by someone else): nothing of ours is left.
            Logger.debug("route {} was already gone: {}", route, r.stderr().strip());
        }
    }

    /** Removes TunnelBox routes left by an earlier run that did not close (both families); returns how many. */
    public static int removeStale(Ip ip) {
        int removed = 0;
        for (String family : List.of("-4", "-6")) {
            String stale = ip.run(family, "route", "show", "proto", PROTOCOL).strip();
            if (!stale.isEmpty()) {
                removed += (int) stale.lines().count();
                ip.run(family, "route", "flush", "proto", PROTOCOL);
            }
        }
        if (removed > 0) {
            Logger.info("removed {} stale TunnelBox route(s)", removed);
        }
        return removed;
    }

    private static String family(String prefix) {
        return prefix.contains(":") ? "-6" : "-4";
    }

    /** Accepts a.b.c.d/0-32 or an IPv6 prefix /0-128; the kernel itself checks the host bits. */
    static String checkPrefix(String prefix) {
        int slash = prefix.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("route prefix needs a length: \"" + prefix + "\"");
        }
        String address = prefix.substring(0, slash);
        int length;
        try {
            length = Integer.parseInt(prefix.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length in \"" + prefix + "\"");
        }
        if (address.contains(":")) {
            if (!address.matches("[0-9a-fA-F:.]{2,45}") || length < 0 || length > 128) {
                throw new IllegalArgumentException("not an IPv6 prefix: \"" + prefix + "\"");
            }
        } else {
            Ipv4Text.parse(address);
            if (length < 0 || length > 32) {
                throw new IllegalArgumentException("IPv4 prefix length " + length + " outside 0..32 in \"" + prefix + "\"");
            }
        }
        return prefix;
    }
}
