package io.tunnelbox.router;

import io.tunnelbox.engine.ChangeQueue;
import io.tunnelbox.engine.Datapath;
import io.tunnelbox.hal.port.PacketBatch;
import io.tunnelbox.hal.port.PacketPort;
import io.tunnelbox.hal.time.Clock;
import io.tunnelbox.packet.Encapsulation;
import io.tunnelbox.packet.EtherType;
import io.tunnelbox.packet.Gre;
import io.tunnelbox.packet.Icmp4;
import io.tunnelbox.packet.IpProtocol;
import io.tunnelbox.packet.Ipv4;
import io.tunnelbox.packet.Ipv6;
import io.tunnelbox.packet.Reason;
import io.tunnelbox.packet.Tcp;
import io.tunnelbox.packet.Wire;
import io.tunnelbox.config.IpPrefix;
import io.tunnelbox.config.Ipv4Prefix;
import io.tunnelbox.route.Ipv4RouteTable;
import io.tunnelbox.config.Ipv6Prefix;
import io.tunnelbox.route.Ipv6RouteTable;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.tinylog.Logger;

/**
 * The GRE site-to-site router of the seed (the RA/RB roles): inner IPv4 and IPv6 packets from the
 * LAN port (an IP-layer port, like a TUN device) that a route sends into a tunnel are encapsulated
 * (RFC 2784, RFC 2890) and sent as complete IPv4 delivery packets on the WAN port; GRE received on
 * the WAN port from a configured remote, with the right key, checksum and sequence number, is
 * decapsulated and the inner packet delivered to the LAN.
 *
 * <p>Packets are handled a batch at a time (VPP-style) and never copied on the way through: outer
 * headers are written into the batch's headroom in front of the inner packet, and decapsulation
 * only moves the packet's offset. Nothing on the packet path allocates, logs or throws; every
 * packet that is not forwarded is counted under a reason ({@link #drops()}).
 *
 * <p>Configuration calls ({@link #addTunnel}, {@link #addRoute(Ipv4Prefix, String)}, ...) may come
 * from any thread; they are queued and applied by the datapath thread at the start of the next
 * {@link #poll}, so tunnels that a change does not touch keep forwarding without a gap.
 */
public final class RouterDatapath implements Datapath {
    /** ICMP errors: RFC 1812 section 4.3.2.8 asks routers to rate-limit them ({@link IcmpErrors}). */
    static final int ICMP_BURST = IcmpErrors.BURST;

    /** How long a path MTU learned from the underlay holds. */
    public static final java.time.Duration PATH_MTU_AGE = java.time.Duration.ofMinutes(10);
    private static final long PATH_MTU_AGE_NANOS = PATH_MTU_AGE.toNanos();
    /** Smallest underlay path MTU believed (Linux's min_pmtu). */
    public static final int MIN_PATH_MTU = 552;

    /** Cisco keepalives carry GRE protocol type 0 in the header the peer sends back to us. */
    private static final int KEEPALIVE_PROTOCOL = 0;
    private static final int CONTROL_TOS = IcmpErrors.CONTROL_TOS;

    private final String name;
    private final PacketPort lan;
    private final PacketPort wan;
    private final Clock clock;

    private final PacketBatch lanRx = PacketBatch.allocate();
    private final PacketBatch wanRx = PacketBatch.allocate();
    /** Fragments and keepalives: packets the router makes rather than receives. */
    private final PacketBatch made = PacketBatch.allocate();
    private final int[] toWan = new int[PacketBatch.CAPACITY];
    private final int[] toLan = new int[PacketBatch.CAPACITY];
    private final int[] madeSlots = new int[PacketBatch.CAPACITY];
    private int nToWan;
    private int nToLan;

    private final RouterDrops drops = new RouterDrops();
    private final ChangeQueue changes;

    // Configuration as given (datapath thread only); the tables below are derived from it.
    private final Map<String, GreTunnelSpec> specs = new LinkedHashMap<>();
    private final Map<String, TunnelCounters> countersByName = new LinkedHashMap<>();
    private final Map<IpPrefix, Route> configuredRoutes = new LinkedHashMap<>();

    // Hot-path state (datapath thread only). Route table targets are indices into routes, whose
    // tunnels routeTunnel gives (an index into tunnels).
    private Tunnel[] tunnels = new Tunnel[0];
    private Route[] routes = new Route[0];
    private int[] routeTunnel = new int[0];
    private int[] tunnelRemote = new int[0];
    private int[] tunnelLocal = new int[0];
    /** Routes through tunnels that are up: what forwarding uses. */
    private Ipv4RouteTable table4 = new Ipv4RouteTable();
    private Ipv6RouteTable table6 = new Ipv6RouteTable();
    /**
     * Every route whose tunnel exists, up or down: consulted only when {@link #table4} misses, to
     * tell "the tunnel is down" from "no route". Routes through a down tunnel are left out of the
     * forwarding tables so that a less specific route (a backup tunnel) takes over, as a router
     * withdraws the routes of an interface whose line protocol went down.
     */
    private Ipv4RouteTable all4 = new Ipv4RouteTable();
    private Ipv6RouteTable all6 = new Ipv6RouteTable();
    /** A tunnel went up or down: the forwarding tables are rebuilt at the end of this poll or tick. */
    private boolean routesStale;
    /** The WAN MTU tunnels size themselves from: the port's, until configuration says otherwise. */
    private int underlayMtu;
    private final IcmpErrors icmp;

    /** What other threads read: replaced, never mutated, whenever the tunnel set changes. */
    private volatile List<Tunnel> published = List.of();
    private volatile List<Forwarding.PublishedRoute> publishedRoutes = List.of();

    public RouterDatapath(String name, PacketPort lan, PacketPort wan, Clock clock) {
        this.name = Objects.requireNonNull(name, "name");
        this.lan = Objects.requireNonNull(lan, "lan");
        this.wan = Objects.requireNonNull(wan, "wan");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.changes = new ChangeQueue(name);
        if (lan.layer() != PacketPort.Layer.IP || wan.layer() != PacketPort.Layer.IP) {
            throw new IllegalArgumentException("router ports must be IP-layer ports: lan " + lan.layer()
                    + ", wan " + wan.layer());
        }
        this.icmp = new IcmpErrors(clock, drops);
        this.underlayMtu = wan.mtu();
    }

    @Override
    public String name() {
        return name;
    }

    // ------------------------------------------------------------------ configuration (any thread)

    /** Adds a tunnel, or replaces the one with the same name (its counters are kept). */
    public CompletableFuture<Void> addTunnel(GreTunnelSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return submit(() -> {
            if (spec.equals(specs.get(spec.name()))) {
                return; // re-applying an unchanged config must not reset its state
            }
            specs.put(spec.name(), spec);
            rebuild(spec.name());
        });
    }

    /** Removes a tunnel; routes naming it stay configured but inactive until it comes back. */
    public CompletableFuture<Void> removeTunnel(String tunnelName) {
        return submit(() -> {
            if (specs.remove(tunnelName) != null) {
                countersByName.remove(tunnelName);
                rebuild(null);
            }
        });
    }

    /** Routes {@code prefix} (IPv4 or IPv6) into the named tunnel, replacing any route for the same prefix. */
    public CompletableFuture<Void> addRoute(IpPrefix prefix, String tunnelName) {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(tunnelName, "tunnelName");
        if (!prefix.isNetwork()) {
            throw new IllegalArgumentException("route " + prefix + " has host bits set");
        }
        return submit(() -> {
            Route old = configuredRoutes.get(prefix);
            if (old == null || !old.tunnel.equals(tunnelName)) {
                configuredRoutes.put(prefix, new Route(prefix, tunnelName));
                rebuild(null);
            }
        });
    }

    public CompletableFuture<Void> removeRoute(IpPrefix prefix) {
        return submit(() -> {
            if (configuredRoutes.remove(prefix) != null) {
                rebuild(null);
            }
        });
    }

    /**
     * The router's own LAN address, the source of the ICMP errors it sends to LAN hosts
     * (fragmentation needed, time exceeded). Without one the tunnel's local address is used.
     */
    public CompletableFuture<Void> setLanAddress(int ipv4) {
        return submit(() -> icmp.lanAddress(ipv4));
    }

    /** The WAN MTU changed: every tunnel's automatic MTU follows (their state and counters stay). */
    public CompletableFuture<Void> setUnderlayMtu(int mtu) {
        if (mtu < GreTunnelSpec.MIN_MTU + Ipv4.HEADER + 16) {
            throw new IllegalArgumentException("underlay MTU " + mtu + " too small for a GRE tunnel");
        }
        return submit(() -> {
            if (mtu != underlayMtu) {
                underlayMtu = mtu;
                rebuild(null);
            }
        });
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
        return submit(() -> icmp.lanAddress6(address));
    }

    /** Zeroes the drop counters, every tunnel's counters and every route's. */
    public CompletableFuture<Void> clearCounters() {
        return submit(() -> {
            drops.clear();
            for (TunnelCounters c : countersByName.values()) {
                c.clear();
            }
            configuredRoutes.values().forEach(Route::clear);
        });
    }

    private CompletableFuture<Void> submit(Runnable change) {
        return changes.submit(change);
    }

    private void applyPending() {
        changes.apply();
    }

    /**
     * Derives the hot-path arrays and route tables from the configuration. {@code changed} names
     * the one tunnel whose spec is new (it gets fresh state); all others keep theirs.
     */
    private void rebuild(String changed) {
        Forwarding f = Forwarding.build(name, specs, countersByName, configuredRoutes, tunnels, changed, underlayMtu,
                clock.nanoTime(), clock.epochMillis());
        routes = f.routes;
        routeTunnel = f.routeTunnel;
        tunnels = f.tunnels;
        tunnelRemote = f.tunnelRemote;
        tunnelLocal = f.tunnelLocal;
        table4 = f.table4;
        table6 = f.table6;
        all4 = f.all4;
        all6 = f.all6;
        routesStale = false;
        published = f.published;
        publishedRoutes = f.publishedRoutes;
    }

    /** Called on the datapath thread when a tunnel's keepalive state flips. */
    private void stateChanged(Tunnel t) {
        routesStale = true;
        Logger.info("{}: tunnel {} is {} ({})", name, t.name(), t.state().label(), t.keepalive.reason());
    }

    // ------------------------------------------------------------------ views (any thread)

    public RouterDrops drops() {
        return drops;
    }

    /** The tunnels as last configured (applied), in configuration order. */
    public List<Tunnel> tunnels() {
        return published;
    }

    public Optional<Tunnel> tunnel(String tunnelName) {
        for (Tunnel t : published) {
            if (t.name().equals(tunnelName)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The configured routes in the order configured, with their counters. */
    public List<RouteStatus> routeTable() {
        List<RouteStatus> out = new ArrayList<>(publishedRoutes.size());
        for (Forwarding.PublishedRoute p : publishedRoutes) {
            out.add(new RouteStatus(p.route().prefix.toString(), p.route().tunnel, p.active(), p.note(),
                    p.route().packets()));
        }
        return out;
    }

    /** The routes as one line each ("prefix via tunnel", noting inactive ones): logs and tests. */
    public List<String> routes() {
        return routeTable().stream()
                .map(r -> r.prefix() + " via " + r.tunnel() + (r.active() ? "" : " (inactive: " + r.note() + ")"))
                .toList();
    }

    // ------------------------------------------------------------------ the packet path

    @Override
    public int poll() {
        applyPending();
        int handled = pollLan() + pollWan();
        if (routesStale) {
            rebuild(null);
        }
        return handled;
    }

    @Override
    public void tick() {
        applyPending();
        long now = clock.nanoTime();
        long nowMillis = clock.epochMillis();
        made.clear();
        int n = 0;
        for (Tunnel t : tunnels) {
            if (t.mtu < t.baseMtu && now - t.pathMtuExpires >= 0) {
                t.mtu = t.baseMtu; // try the full size again; the underlay will say if it still cannot
            }
            boolean wasUp = t.keepalive.up();
            if (t.keepalive.due(now, nowMillis)) {
                if (wasUp && !t.keepalive.up()) {
                    stateChanged(t);
                }
                int j = buildKeepalive(t);
                if (j >= 0) {
                    madeSlots[n++] = j;
                    t.counters.add(TunnelCounters.KEEPALIVES_SENT, 1);
                }
            }
        }
        if (n > 0) {
            sendMade(n);
        }
        if (routesStale) {
            rebuild(null);
        }
    }

    private int pollLan() {
        PacketBatch b = lanRx;
        b.clear();
        int n = lan.receive(b);
        if (n == 0) {
            return 0;
        }
        nToWan = 0;
        nToLan = 0;
        icmp.refill();
        MemorySegment m = b.memory();
        for (int i = 0; i < n; i++) {
            int off = b.offset(i);
            int len = b.length(i);
            int version = len > 0 ? Wire.u8(m, off) >>> 4 : 0;
            if (version == 4) {
                fromLan4(b, m, i, off, len);
            } else if (version == 6) {
                fromLan6(b, m, i, off, len);
            } else {
                drops.count(len > 0 ? Reason.IP_VERSION : Reason.TRUNCATED);
            }
        }
        flush(b);
        return n;
    }

    private int pollWan() {
        PacketBatch b = wanRx;
        b.clear();
        int n = wan.receive(b);
        if (n == 0) {
            return 0;
        }
        nToWan = 0;
        nToLan = 0;
        MemorySegment m = b.memory();
        for (int i = 0; i < n; i++) {
            fromWan(b, m, i, b.offset(i), b.length(i));
        }
        flush(b);
        return n;
    }

    private void flush(PacketBatch b) {
        if (nToWan > 0) {
            int sent = wan.send(b, toWan, nToWan);
            for (int k = sent; k < nToWan; k++) {
                drops.count(RouterDrops.TX_FAILED);
            }
            nToWan = 0;
        }
        if (nToLan > 0) {
            int sent = lan.send(b, toLan, nToLan);
            for (int k = sent; k < nToLan; k++) {
                drops.count(RouterDrops.TX_FAILED);
            }
            nToLan = 0;
        }
    }

    private void sendMade(int n) {
        int sent = wan.send(made, madeSlots, n);
        for (int k = sent; k < n; k++) {
            drops.count(RouterDrops.TX_FAILED);
        }
    }

    // LAN -> tunnel

    private void fromLan4(PacketBatch b, MemorySegment m, int i, int off, int rawLen) {
        int r = Ipv4.validate(m, off, rawLen);
        if (r != Reason.OK) {
            drops.count(r);
            return;
        }
        int len = Ipv4.totalLength(m, off);
        int route = table4.lookup(Ipv4.dst(m, off));
        if (route < 0) {
            noRoute(all4.lookup(Ipv4.dst(m, off)));
            return;
        }
        routes[route].count();
        Tunnel t = tunnels[routeTunnel[route]];
        if (!t.keepalive.up()) {
            txDrop(t, RouterDrops.TUNNEL_DOWN);
            return;
        }
        int ttl = Ipv4.ttl(m, off);
        if (ttl <= 1) {
            txDrop(t, RouterDrops.TTL_EXPIRED);
            if (icmp.mayAnswer4(m, off, len) && icmp.error4(b, m, i, off, len, t, Icmp4.TIME_EXCEEDED, 0, 0)) {
                toLan[nToLan++] = i;
            }
            return;
        }
        int ihl = Ipv4.headerLength(m, off);
        if (t.clampsMss() && Ipv4.protocol(m, off) == IpProtocol.TCP && Ipv4.fragmentOffset(m, off) == 0
                && Tcp.clampMss(m, off + ihl, len - ihl, t.mss4())) {
            t.counters.add(TunnelCounters.MSS_CLAMPED, 1);
        }
        if (len > t.mtu) {
            if (Ipv4.dontFragment(m, off)) {
                // RFC 1191: tell the sender the MTU that fits; the quote is the packet as it came in
                txDrop(t, RouterDrops.TOO_BIG);
                if (icmp.mayAnswer4(m, off, len)) {
                    t.counters.add(TunnelCounters.TOO_BIG, 1);
                    if (icmp.error4(b, m, i, off, len, t, Icmp4.DEST_UNREACHABLE, Icmp4.CODE_FRAG_NEEDED, t.mtu)) {
                        toLan[nToLan++] = i;
                    }
                }
                return;
            }
            Ipv4.decTtl(m, off);
            fragment4(b, m, i, off, len, ihl, t);
            return;
        }
        Ipv4.decTtl(m, off);
        if (encapsulate(b, m, i, off, len, t, EtherType.IPV4, Ipv4.tos(m, off), ttl - 1,
                Ipv4.dontFragment(m, off))) {
            t.counters.add(TunnelCounters.TX_PACKETS, 1);
            t.counters.add(TunnelCounters.TX_BYTES, len);
            toWan[nToWan++] = i;
        }
    }

    private void fromLan6(PacketBatch b, MemorySegment m, int i, int off, int rawLen) {
        int r = Ipv6.validate(m, off, rawLen);
        if (r != Reason.OK) {
            drops.count(r);
            return;
        }
        int len = Ipv6.HEADER + Ipv6.payloadLength(m, off);
        int route = table6.lookup(Ipv6.dstHigh(m, off), Ipv6.dstLow(m, off));
        if (route < 0) {
            noRoute(all6.lookup(Ipv6.dstHigh(m, off), Ipv6.dstLow(m, off)));
            return;
        }
        routes[route].count();
        Tunnel t = tunnels[routeTunnel[route]];
        if (!t.keepalive.up()) {
            txDrop(t, RouterDrops.TUNNEL_DOWN);
            return;
        }
        int hops = Ipv6.hopLimit(m, off);
        if (hops <= 1) {
            txDrop(t, RouterDrops.TTL_EXPIRED);
            return;
        }
        if (t.clampsMss()) {
            clampMss6(m, off, len, t);
        }
        if (len > t.mtu) {
            // IPv6 routers never fragment (RFC 8200 section 5): the sender must, told by packet-too-big
            if (icmp.canSend6() && icmp.mayAnswer6(m, off, len)) {
                txDrop(t, RouterDrops.TOO_BIG);
                t.counters.add(TunnelCounters.TOO_BIG, 1);
                if (icmp.packetTooBig(b, m, i, off, len, t)) {
                    toLan[nToLan++] = i;
                }
            } else {
                txDrop(t, RouterDrops.TOO_BIG_SILENT);
            }
            return;
        }
        Ipv6.setHopLimit(m, off, hops - 1);
        // IPv6 is never fragmented on the path, so under DfMode.INHERIT the delivery packet says DF too
        if (encapsulate(b, m, i, off, len, t, EtherType.IPV6, Ipv6.trafficClass(m, off), hops - 1, true)) {
            t.counters.add(TunnelCounters.TX_PACKETS, 1);
            t.counters.add(TunnelCounters.TX_BYTES, len);
            toWan[nToWan++] = i;
        }
    }

    private void clampMss6(MemorySegment m, int off, int len, Tunnel t) {
        long upper = Ipv6.upperLayer(m, off, len);
        if (upper >= 0 && Ipv6.protocol(upper) == IpProtocol.TCP) {
            int tcpOff = Ipv6.offset(upper);
            if (Tcp.clampMss(m, off + tcpOff, len - tcpOff, t.mss6())) {
                t.counters.add(TunnelCounters.MSS_CLAMPED, 1);
            }
        }
    }

    /**
     * Writes the GRE header and the delivery IPv4 header into the headroom in front of the inner
     * packet (which stays where it is) and points the slot at the result.
     */
    private boolean encapsulate(PacketBatch b, MemorySegment m, int i, int off, int len, Tunnel t,
                                int protocol, int innerTos, int innerTtl, boolean innerDf) {
        int greLen = t.greHeaderLength;
        int start = off - Ipv4.HEADER - greLen;
        if (start < PacketBatch.slotBase(i)) {
            drops.count(RouterDrops.NO_HEADROOM);
            return false;
        }
        int seq = 0;
        if ((t.sendFlags & Gre.S) != 0) {
            seq = t.txSequence++; // RFC 2890 section 2.2: the first packet carries 0
        }
        int tos = t.tos == GreTunnelSpec.TOS_INHERIT ? innerTos : t.tos;
        int ttl = t.ttl == GreTunnelSpec.TTL_INHERIT ? innerTtl : t.ttl;
        boolean df = switch (t.df) {
            case SET -> true;
            case CLEAR -> false;
            case INHERIT -> innerDf;
        };
        Encapsulation.greIpv4(m, off, len, t.sendFlags, protocol, t.outputKey, seq, t.local, t.remote, tos, ttl,
                t.ipId++ & 0xFFFF, df ? Ipv4.DF : 0);
        b.set(i, start, Ipv4.HEADER + greLen + len);
        return true;
    }

    /**
     * An IPv4 packet without DF that is larger than the tunnel MTU. We fragment the INNER packet
     * and encapsulate each fragment, rather than fragmenting the delivery packet: the remote tunnel
     * end then needs no reassembly (no buffers to hold, none for a flood of forged fragments to
     * exhaust), it forwards fragments as any router does and the destination host reassembles, as
     * it would have anyway. This path copies (each fragment needs its own buffer); it is the slow
     * path of a misconfigured MTU, not the common case.
     */
    private void fragment4(PacketBatch b, MemorySegment m, int i, int off, int len, int ihl, Tunnel t) {
        int payload = len - ihl;
        int maxData = (t.mtu - ihl) & ~7;
        int count = maxData <= 0 ? Integer.MAX_VALUE : (payload + maxData - 1) / maxData;
        if (count > PacketBatch.CAPACITY) {
            txDrop(t, RouterDrops.TOO_MANY_FRAGMENTS);
            return;
        }
        // keep the tunnel's sequence numbers in wire order: what is queued so far goes first
        flush(b);
        made.clear();
        MemorySegment fm = made.memory();
        int flagsFrag = Ipv4.flagsFragment(m, off);
        int baseOffset = flagsFrag & Ipv4.FRAGMENT_OFFSET_MASK;
        boolean moreAfter = (flagsFrag & Ipv4.MF) != 0;
        int tos = Ipv4.tos(m, off);
        int ttl = Ipv4.ttl(m, off);
        for (int k = 0; k < count; k++) {
            int dataOff = k * maxData;
            int dataLen = Math.min(maxData, payload - dataOff);
            int j = made.add(ihl + dataLen);
            int fo = made.offset(j);
            // the whole header, options included, goes into every fragment (RFC 791 asks only for
            // the "copied" options; a receiver ignores the others' repetition)
            MemorySegment.copy(m, off, fm, fo, ihl);
            MemorySegment.copy(m, off + ihl + dataOff, fm, fo + ihl, dataLen);
            boolean mf = k < count - 1 || moreAfter;
            Wire.put16(fm, fo + Ipv4.TOTAL_LENGTH_OFFSET, ihl + dataLen);
            Wire.put16(fm, fo + Ipv4.FLAGS_FRAGMENT_OFFSET, (mf ? Ipv4.MF : 0) | (baseOffset + dataOff / 8));
            Ipv4.fillChecksum(fm, fo);
            if (!encapsulate(made, fm, j, fo, ihl + dataLen, t, EtherType.IPV4, tos, ttl, false)) {
                return;
            }
            madeSlots[k] = j;
            t.counters.add(TunnelCounters.TX_PACKETS, 1);
            t.counters.add(TunnelCounters.TX_BYTES, ihl + dataLen);
        }
        t.counters.add(TunnelCounters.FRAGMENTED, 1);
        sendMade(count);
    }

    // tunnel -> LAN

    private void fromWan(PacketBatch b, MemorySegment m, int i, int off, int rawLen) {
        int r = Ipv4.validate(m, off, rawLen);
        if (r != Reason.OK) {
            drops.count(r);
            return;
        }
        int len = Ipv4.totalLength(m, off);
        int outerProtocol = Ipv4.protocol(m, off);
        if (outerProtocol != IpProtocol.GRE) {
            if (outerProtocol == IpProtocol.ICMP) {
                underlayIcmp(m, off, len);
            } else {
                drops.count(RouterDrops.NOT_GRE);
            }
            return;
        }
        if (Ipv4.isFragment(m, off)) {
            // We send delivery packets that fit (inner fragmentation, above). On Linux the raw GRE
            // socket hands over datagrams the kernel has already reassembled, so a fragment reaches
            // us only from a port without reassembly; holding fragments here would cost memory per
            // flow that forged fragments could exhaust.
            drops.count(RouterDrops.OUTER_FRAGMENT);
            return;
        }
        int ihl = Ipv4.headerLength(m, off);
        int greOff = off + ihl;
        int greLen = len - ihl;
        r = Gre.validate(m, greOff, greLen);
        if (r != Reason.OK) {
            // A bad checksum or header from a configured remote is that tunnel's drop: its
            // counters must show why the peer's packets vanish.
            Tunnel from = byAddresses(Ipv4.src(m, off), Ipv4.dst(m, off));
            if (from != null) {
                rxDrop(from, r);
            } else {
                drops.count(r);
            }
            return;
        }
        int flags = Gre.flags(m, greOff);
        int protocol = Gre.protocol(m, greOff);
        if (protocol == EtherType.TEB) {
            drops.count(RouterDrops.NOT_ROUTER);
            return;
        }
        int src = Ipv4.src(m, off);
        int dst = Ipv4.dst(m, off);
        boolean hasKey = (flags & Gre.K) != 0;
        int key = hasKey ? Gre.key(m, greOff) : 0;
        Tunnel t = null;
        int why = RouterDrops.UNKNOWN_REMOTE;
        Tunnel blamed = null;
        // linear: a branch router has a handful of tunnels, and int compares beat hashing there
        int[] remotes = tunnelRemote;
        int[] locals = tunnelLocal;
        Tunnel[] all = tunnels;
        for (int k = 0; k < remotes.length; k++) {
            if (remotes[k] != src || locals[k] != dst) {
                continue;
            }
            Tunnel c = all[k];
            if (c.hasInputKey) {
                if (hasKey && key == c.inputKey) {
                    t = c;
                    break;
                }
                why = hasKey ? RouterDrops.KEY_MISMATCH : RouterDrops.KEY_MISSING;
            } else {
                if (!hasKey) {
                    t = c;
                    break;
                }
                why = RouterDrops.KEY_UNEXPECTED;
            }
            blamed = c;
        }
        if (t == null) {
            if (blamed != null) {
                rxDrop(blamed, why);
            } else {
                drops.count(why);
            }
            return;
        }
        if (t.requireChecksum && (flags & Gre.C) == 0) {
            rxDrop(t, RouterDrops.CHECKSUM_MISSING);
            return;
        }
        if (protocol == KEEPALIVE_PROTOCOL) {
            // our own keepalive, reflected by the peer: proof that the path works both ways
            boolean wasDown = !t.keepalive.up();
            t.keepalive.replied(clock.nanoTime(), clock.epochMillis());
            if (wasDown) {
                t.window.reset(); // the peer may have restarted its numbering while we were apart
                stateChanged(t);
            }
            t.counters.add(TunnelCounters.KEEPALIVE_REPLIES, 1);
            return;
        }
        if (t.requireSequence) {
            if ((flags & Gre.S) == 0) {
                rxDrop(t, RouterDrops.SEQUENCE_MISSING);
                return;
            }
            int verdict = t.window.check(Gre.sequence(m, greOff));
            if (verdict != SequenceWindow.ACCEPT) {
                rxDrop(t, verdict == SequenceWindow.OLD ? RouterDrops.SEQUENCE_OLD : RouterDrops.SEQUENCE_JUMP);
                return;
            }
        }
        int greHeader = Gre.headerLength(flags);
        int innerOff = greOff + greHeader;
        int innerLen = greLen - greHeader;
        if (protocol == EtherType.IPV4) {
            toLan4(b, m, i, innerOff, innerLen, t);
        } else if (protocol == EtherType.IPV6) {
            toLan6(b, m, i, innerOff, innerLen, t);
        } else {
            rxDrop(t, RouterDrops.GRE_PROTOCOL);
        }
    }

    /** The first tunnel from {@code remote} to {@code local}, or null. */
    private Tunnel byAddresses(int remote, int local) {
        int[] remotes = tunnelRemote;
        int[] locals = tunnelLocal;
        for (int k = 0; k < remotes.length; k++) {
            if (remotes[k] == remote && locals[k] == local) {
                return tunnels[k];
            }
        }
        return null;
    }

    /**
     * Path MTU discovery for the underlay (RFC 1191): a router between us and the peer that cannot
     * carry a delivery packet with DF set says so with fragmentation-needed, quoting our delivery
     * header. We lower that tunnel's MTU, so the next oversize inner packet is answered with ICMP to
     * its sender instead of vanishing, and restore it after {@link #PATH_MTU_AGE} (RFC 1191 section
     * 6.3 suggests ten minutes). The quote must name one of our tunnels; reports below
     * {@link #MIN_PATH_MTU} are raised to it, as Linux does, so a forged ICMP cannot shrink a tunnel to
     * nothing.
     */
    private void underlayIcmp(MemorySegment m, int off, int len) {
        int ihl = Ipv4.headerLength(m, off);
        int icmpOff = off + ihl;
        int icmpLen = len - ihl;
        int r = Icmp4.validate(m, icmpOff, icmpLen);
        if (r != Reason.OK) {
            drops.count(r);
            return;
        }
        if (Icmp4.type(m, icmpOff) != Icmp4.DEST_UNREACHABLE || Icmp4.code(m, icmpOff) != Icmp4.CODE_FRAG_NEEDED) {
            drops.count(RouterDrops.ICMP_IGNORED);
            return;
        }
        int quoted = icmpOff + Icmp4.HEADER;
        if (icmpLen < Icmp4.HEADER + Ipv4.HEADER || Ipv4.version(m, quoted) != 4) {
            drops.count(Reason.TRUNCATED);
            return;
        }
        int src = Ipv4.src(m, quoted);
        int dst = Ipv4.dst(m, quoted);
        Tunnel[] all = tunnels;
        for (int k = 0; k < all.length; k++) {
            Tunnel t = all[k];
            if (t.local == src && t.remote == dst && Ipv4.protocol(m, quoted) == IpProtocol.GRE) {
                int reported = Math.max(MIN_PATH_MTU, Icmp4.nextHopMtu(m, icmpOff));
                int inner = Math.min(t.baseMtu, reported - Ipv4.HEADER - t.greHeaderLength);
                if (inner < t.mtu) {
                    t.mtu = inner;
                    t.counters.add(TunnelCounters.PMTU_LEARNED, 1);
                }
                t.pathMtuExpires = clock.nanoTime() + PATH_MTU_AGE_NANOS;
                return;
            }
        }
        drops.count(RouterDrops.ICMP_UNRELATED);
    }

    private void toLan4(PacketBatch b, MemorySegment m, int i, int off, int rawLen, Tunnel t) {
        int r = Ipv4.validate(m, off, rawLen);
        if (r != Reason.OK) {
            rxDrop(t, r);
            return;
        }
        int len = Ipv4.totalLength(m, off);
        int ihl = Ipv4.headerLength(m, off);
        if (Ipv4.protocol(m, off) == IpProtocol.GRE && Ipv4.src(m, off) == t.local
                && Ipv4.dst(m, off) == t.remote) {
            // The peer's keepalive: the inner packet is a complete delivery packet from us to it.
            // Sending it back is what any RFC 2784 router would do by routing it; we reflect only
            // to the configured remote, so the tunnel cannot bounce packets anywhere else.
            b.set(i, off, len);
            toWan[nToWan++] = i;
            t.counters.add(TunnelCounters.KEEPALIVES_REFLECTED, 1);
            return;
        }
        int ttl = Ipv4.ttl(m, off);
        if (ttl <= 1) {
            rxDrop(t, RouterDrops.TTL_EXPIRED);
            return;
        }
        if (len > lan.mtu()) {
            rxDrop(t, RouterDrops.LAN_TOO_BIG);
            return;
        }
        if (t.clampsMss() && Ipv4.protocol(m, off) == IpProtocol.TCP && Ipv4.fragmentOffset(m, off) == 0
                && Tcp.clampMss(m, off + ihl, len - ihl, t.mss4())) {
            t.counters.add(TunnelCounters.MSS_CLAMPED, 1);
        }
        Ipv4.decTtl(m, off);
        b.set(i, off, len);
        toLan[nToLan++] = i;
        t.counters.add(TunnelCounters.RX_PACKETS, 1);
        t.counters.add(TunnelCounters.RX_BYTES, len);
    }

    private void toLan6(PacketBatch b, MemorySegment m, int i, int off, int rawLen, Tunnel t) {
        int r = Ipv6.validate(m, off, rawLen);
        if (r != Reason.OK) {
            rxDrop(t, r);
            return;
        }
        int len = Ipv6.HEADER + Ipv6.payloadLength(m, off);
        int hops = Ipv6.hopLimit(m, off);
        if (hops <= 1) {
            rxDrop(t, RouterDrops.TTL_EXPIRED);
            return;
        }
        if (len > lan.mtu()) {
            rxDrop(t, RouterDrops.LAN_TOO_BIG);
            return;
        }
        if (t.clampsMss()) {
            clampMss6(m, off, len, t);
        }
        Ipv6.setHopLimit(m, off, hops - 1);
        b.set(i, off, len);
        toLan[nToLan++] = i;
        t.counters.add(TunnelCounters.RX_PACKETS, 1);
        t.counters.add(TunnelCounters.RX_BYTES, len);
    }

    // keepalives

    /**
     * A Cisco-style keepalive: a GRE packet to the peer whose inner packet is itself a delivery
     * packet from the peer back to us (GRE protocol 0, our input key, our checksum choice). The peer
     * decapsulates it and, seeing an IPv4 packet for our address, sends it back; when it arrives we
     * know the path works both ways. No sequence number in the inner header: the peer numbers
     * nothing it merely forwards, and we accept the reply before the sequence check.
     */
    private int buildKeepalive(Tunnel t) {
        int innerFlags = (t.hasInputKey ? Gre.K : 0) | (t.requireChecksum ? Gre.C : 0);
        int innerGre = Gre.headerLength(innerFlags);
        int innerLen = Ipv4.HEADER + innerGre;
        int j = made.add(innerLen);
        MemorySegment m = made.memory();
        int off = made.offset(j);
        Ipv4.write(m, off, CONTROL_TOS, innerLen, 0, 0, 255, IpProtocol.GRE, t.remote, t.local);
        Gre.write(m, off + Ipv4.HEADER, innerFlags, KEEPALIVE_PROTOCOL, t.inputKey, 0);
        if ((innerFlags & Gre.C) != 0) {
            Gre.fillChecksum(m, off + Ipv4.HEADER, innerGre);
        }
        return encapsulate(made, m, j, off, innerLen, t, EtherType.IPV4, CONTROL_TOS, 255, false) ? j : -1;
    }

    /** No usable route: {@code anyRoute} is the route through a down tunnel that matched, or none. */
    private void noRoute(int anyRoute) {
        if (anyRoute >= 0) {
            txDrop(tunnels[routeTunnel[anyRoute]], RouterDrops.TUNNEL_DOWN);
        } else {
            drops.count(RouterDrops.NO_ROUTE);
        }
    }

    private void txDrop(Tunnel t, int reason) {
        drops.count(reason);
        t.counters.drop(reason, TunnelCounters.TX_DROPS);
    }

    private void rxDrop(Tunnel t, int reason) {
        drops.count(reason);
        t.counters.drop(reason, TunnelCounters.RX_DROPS);
    }
}
