package io.tunnelbox.router;

import io.tunnelbox.engine.ChangeQueue;
import io.tunnelbox.engine.Datapath;
import io.tunnelbox.hal.port.PacketBatch;
import io.tunnelbox.hal.port.PacketPort;
import io.tunnelbox.hal.time.Clock;
import io.tunnelbox.packet.IpPrefix;
import io.tunnelbox.packet.Ipv4;
import io.tunnelbox.packet.Ipv6Prefix;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The GRE site-to-site router of the seed (the RA/RB roles): inner IPv4 and IPv6 packets from the
 * LAN port (an IP-layer port, like a TUN device) that a route sends into a tunnel are encapsulated
 * (RFC 2784, RFC 2890) and sent as complete IPv4 delivery packets on the WAN port; GRE received on
 * the WAN port from a configured remote, with the right key, checksum and sequence number, is
 * decapsulated and the inner packet delivered to the LAN.
 *
 * <p>This class wires the parts and drives them: {@link LanToTunnel} and {@link TunnelToLan} are
 * the two directions, {@link Keepalives} and {@link UnderlayPathMtu} the timers, and
 * {@link RouterConfiguration} the tables both read. Packets are handled a batch at a time
 * (VPP-style) and never copied on the way through: outer headers are written into the batch's
 * headroom in front of the inner packet, and decapsulation only moves the packet's offset. Nothing
 * on the packet path allocates, logs or throws; every packet that is not forwarded is counted under
 * a reason ({@link #drops()}).
 *
 * <p>Configuration calls ({@link #addTunnel}, {@link #addRoute}, ...) may come from any thread;
 * they are queued and applied by the datapath thread at the start of the next {@link #poll}, so
 * tunnels that a change does not touch keep forwarding without a gap.
 */
public final class RouterDatapath implements Datapath {
    /** How long a path MTU learned from the underlay holds. */
    public static final Duration PATH_MTU_AGE = UnderlayPathMtu.AGE;

    private final String name;
    private final PacketPort lan;
    private final PacketPort wan;
    private final Clock clock;
    private final PacketBatch lanRx = PacketBatch.allocate();
    private final PacketBatch wanRx = PacketBatch.allocate();

    private final RouterDrops drops = new RouterDrops();
    private final ChangeQueue changes;
    private final RouterConfiguration config;
    private final IcmpErrors icmp;
    private final UnderlayPathMtu pathMtu;
    private final Keepalives keepalives;
    private final LanToTunnel lanToTunnel;
    private final TunnelToLan tunnelToLan;

    public RouterDatapath(String name, PacketPort lan, PacketPort wan, Clock clock) {
        this.name = Objects.requireNonNull(name, "name");
        this.lan = Objects.requireNonNull(lan, "lan");
        this.wan = Objects.requireNonNull(wan, "wan");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (lan.layer() != PacketPort.Layer.IP || wan.layer() != PacketPort.Layer.IP) {
            throw new IllegalArgumentException("router ports must be IP-layer ports: lan " + lan.layer()
                    + ", wan " + wan.layer());
        }
        this.changes = new ChangeQueue(name);
        this.config = new RouterConfiguration(name, clock, wan.mtu());
        this.icmp = new IcmpErrors(clock, drops);
        this.pathMtu = new UnderlayPathMtu(clock, drops);
        RouterOutput out = new RouterOutput(lan, wan, drops);
        GreEncapsulator gre = new GreEncapsulator(drops);
        this.keepalives = new Keepalives(config, out, gre);
        this.lanToTunnel = new LanToTunnel(config, out, gre, new InnerFragmenter(out, gre, drops), icmp, drops);
        this.tunnelToLan = new TunnelToLan(lan, clock, config, out, pathMtu, drops);
    }

    @Override
    public String name() {
        return name;
    }

    // ------------------------------------------------------------------ configuration (any thread)

    /** Adds a tunnel, or replaces the one with the same name (its counters are kept). */
    public CompletableFuture<Void> addTunnel(GreTunnelSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return changes.submit(() -> config.addTunnel(spec));
    }

    /** Removes a tunnel; routes naming it stay configured but inactive until it comes back. */
    public CompletableFuture<Void> removeTunnel(String tunnelName) {
        return changes.submit(() -> config.removeTunnel(tunnelName));
    }

    /** Routes {@code prefix} (IPv4 or IPv6) into the named tunnel, replacing any route for the same prefix. */
    public CompletableFuture<Void> addRoute(IpPrefix prefix, String tunnelName) {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(tunnelName, "tunnelName");
        if (!prefix.isNetwork()) {
            throw new IllegalArgumentException("route " + prefix + " has host bits set");
        }
        return changes.submit(() -> config.addRoute(prefix, tunnelName));
    }

    public CompletableFuture<Void> removeRoute(IpPrefix prefix) {
        return changes.submit(() -> config.removeRoute(prefix));
    }

    /**
     * The router's own LAN address, the source of the ICMP errors it sends to LAN hosts
     * (fragmentation needed, time exceeded). Without one the tunnel's local address is used.
     */
    public CompletableFuture<Void> setLanAddress(int ipv4) {
        return changes.submit(() -> icmp.lanAddress(ipv4));
    }

    /** The WAN MTU changed: every tunnel's automatic MTU follows (their state and counters stay). */
    public CompletableFuture<Void> setUnderlayMtu(int mtu) {
        if (mtu < GreTunnelSpec.MIN_MTU + Ipv4.HEADER + 16) {
            throw new IllegalArgumentException("underlay MTU " + mtu + " too small for a GRE tunnel");
        }
        return changes.submit(() -> config.underlayMtu(mtu));
    }

    /** The LAN address ICMP errors come from, 0 for none (as last applied). */
    public int lanAddress() {
        return icmp.lanAddress();
    }

    /** The router's IPv6 LAN address; without one, IPv6 packets too big are dropped silently. */
    public CompletableFuture<Void> setLanAddress6(Ipv6Prefix address) {
        if (address.length() != 128) {
            throw new IllegalArgumentException("an address, not a prefix: " + address);
        }
        return changes.submit(() -> icmp.lanAddress6(address));
    }

    /** Zeroes the drop counters, every tunnel's counters and every route's. */
    public CompletableFuture<Void> clearCounters() {
        return changes.submit(() -> {
            drops.clear();
            config.clearCounters();
        });
    }

    // ------------------------------------------------------------------ views (any thread)

    public RouterDrops drops() {
        return drops;
    }

    /** The tunnels as last configured (applied), in configuration order. */
    public List<Tunnel> tunnels() {
        return config.tunnels();
    }

    public Optional<Tunnel> tunnel(String tunnelName) {
        for (Tunnel t : config.tunnels()) {
            if (t.name().equals(tunnelName)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The configured routes in the order configured, with their counters. */
    public List<RouteStatus> routeTable() {
        return config.routeTable();
    }

    /** The routes as one line each ("prefix via tunnel", noting inactive ones): logs and tests. */
    public List<String> routes() {
        return routeTable().stream()
                .map(r -> r.prefix() + " via " + r.tunnel() + (r.active() ? "" : " (inactive: " + r.note() + ")"))
                .toList();
    }

    // ------------------------------------------------------------------ the datapath thread

    @Override
    public int poll() {
        changes.apply();
        int handled = 0;
        int n = receive(lan, lanRx);
        if (n > 0) {
            lanToTunnel.handle(lanRx, n);
            handled += n;
        }
        n = receive(wan, wanRx);
        if (n > 0) {
            tunnelToLan.handle(wanRx, n);
            handled += n;
        }
        config.rebuildIfStale();
        return handled;
    }

    @Override
    public void tick() {
        changes.apply();
        long now = clock.nanoTime();
        Forwarding f = config.forwarding();
        pathMtu.expire(f, now);
        keepalives.tick(f, now, clock.epochMillis());
        config.rebuildIfStale();
    }

    private static int receive(PacketPort port, PacketBatch b) {
        b.clear();
        return port.receive(b);
    }
}
