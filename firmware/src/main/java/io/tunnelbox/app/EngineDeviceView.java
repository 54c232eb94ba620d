package io.tunnelbox.app;

import io.tunnelbox.config.Config;
import io.tunnelbox.config.ConfigService;
import io.tunnelbox.config.InterfaceConfig;
import io.tunnelbox.config.SegmentConfig;
import io.tunnelbox.config.TunnelConfig;
import io.tunnelbox.console.DeviceView;
import io.tunnelbox.hal.nic.NicInventory;
import io.tunnelbox.hal.nic.NicState;
import io.tunnelbox.hal.nic.SysfsNics;
import io.tunnelbox.hal.time.Clock;
import io.tunnelbox.packet.Ipv4Address;
import io.tunnelbox.packet.MacAddress;
import io.tunnelbox.l2switch.MacRow;
import io.tunnelbox.l2switch.SegmentSpec;
import io.tunnelbox.l2switch.SegmentStats;
import io.tunnelbox.l2switch.SwitchDatapath;
import io.tunnelbox.l2switch.Transport;
import io.tunnelbox.router.GreTunnelSpec;
import io.tunnelbox.router.RouteStatus;
import io.tunnelbox.router.RouterDatapath;
import io.tunnelbox.router.Tunnel;
import io.tunnelbox.router.TunnelCounters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The management view of the running box: typed snapshots taken from the datapaths (the switch's
 * tables are read on its own thread; the router publishes thread-safe counters) and from the
 * kernel's interface counters in sysfs, named and ordered as the running configuration names and
 * orders them. Nothing here parses text.
 */
final class EngineDeviceView implements DeviceView {

    private final ConfigService config;
    private final DatapathApplier dataplane;
    private final Clock clock;
    private final String board;
    private final String wanNic;
    private final String lanNic;
    private final NicInventory nics;
    private final Path sysNet;
    private final long startedNanos;
    /** Interface counters at the last "clear counters": the kernel's own cannot be reset. */
    private final Map<String, long[]> nicBaseline = new ConcurrentHashMap<>();

    EngineDeviceView(ConfigService config, DatapathApplier dataplane, Clock clock, String board, String wanNic,
                     String lanNic) {
        this(config, dataplane, clock, board, wanNic, lanNic, new SysfsNics(SysfsNics.CLASS_NET), SysfsNics.CLASS_NET);
    }

    EngineDeviceView(ConfigService config, DatapathApplier dataplane, Clock clock, String board, String wanNic,
                     String lanNic, Path sysNet) {
        this(config, dataplane, clock, board, wanNic, lanNic, new SysfsNics(sysNet), sysNet);
    }

    /**
     * {@code nics} says whether a NIC is up, its MAC and MTU (the sim board's in-memory NICs too);
     * {@code sysNet} holds the kernel's counters, which in-memory NICs do not have (shown as 0).
     */
    EngineDeviceView(ConfigService config, DatapathApplier dataplane, Clock clock, String board, String wanNic,
                     String lanNic, NicInventory nics, Path sysNet) {
        this.nics = nics;
        this.config = config;
        this.dataplane = dataplane;
        this.clock = clock;
        this.board = board;
        this.wanNic = wanNic;
        this.lanNic = lanNic;
        this.sysNet = sysNet;
        this.startedNanos = clock.nanoTime();
    }

    @Override
    public List<String> firewall() {
        return dataplane.firewall().show().lines().toList();
    }

    @Override
    public List<IpsecStatus> ipsec() {
        io.tunnelbox.ipsec.Ipsec i = dataplane.ipsec();
        String local = i instanceof io.tunnelbox.ipsec.StrongSwan sw ? sw.local() : "-";
        return i.peers().stream().map(p -> new IpsecStatus(p.peer(), local, p.users(), p.auth(), p.state(), p.reason(),
                p.ike(), p.esp(), p.bytesIn(), p.bytesOut(), p.packetsIn(), p.packetsOut(), p.establishedSeconds(),
                p.lastRekeySeconds(), p.peerIdentity())).toList();
    }

    /** Why IPsec to {@code peer} is down, or null when it is up. */
    private static String ipsecDown(List<io.tunnelbox.ipsec.PeerState> peers, int peer) {
        String text = Ipv4Address.format(peer);
        return peers.stream().filter(p -> p.peer().equals(text) && !p.up()).map(io.tunnelbox.ipsec.PeerState::reason)
                .findFirst().orElse(null);
    }

    @Override
    public VersionInfo version() {
        return new VersionInfo(Version.current(), board, config.running().system().hostname(),
                Duration.ofNanos(clock.nanoTime() - startedNanos));
    }

    @Override
    public List<InterfaceStatus> interfaces() {
        Config c = config.running();
        List<NicState> present = nics.scan();
        return List.of(nic("wan", wanNic, c.interfaces().wan(), present),
                nic("lan", lanNic, c.interfaces().lan(), present));
    }

    private InterfaceStatus nic(String role, String name, InterfaceConfig cfg, List<NicState> present) {
        Path dir = sysNet.resolve(name);
        String address = cfg.dhcp() ? "dhcp" : cfg.address() == null ? "-" : cfg.address().toString();
        long[] now = nicCounters(dir);
        long[] base = nicBaseline.getOrDefault(name, new long[now.length]);
        Optional<NicState> state = present.stream().filter(n -> n.name().equals(name)).findFirst();
        return new InterfaceStatus(role, name, state.map(NicState::linkUp).orElse(false),
                state.map(NicState::mac).orElse(null), address, state.map(NicState::mtu).orElse(0),
                now[0] - base[0], now[1] - base[1], now[2] - base[2], now[3] - base[3], now[4] - base[4]);
    }

    private long[] nicCounters(Path dir) {
        Path s = dir.resolve("statistics");
        return new long[] {number(s.resolve("rx_packets")), number(s.resolve("tx_packets")),
            number(s.resolve("rx_bytes")), number(s.resolve("tx_bytes")),
            number(s.resolve("rx_dropped")) + number(s.resolve("tx_dropped"))};
    }

    /** Every configured tunnel in configuration order: the router's state, or why it does not run. */
    @Override
    public List<TunnelStatus> tunnels() {
        RouterDatapath router = dataplane.router();
        long nowMillis = clock.epochMillis();
        String hold = dataplane.holdReason();
        List<io.tunnelbox.ipsec.PeerState> ipsecPeers = dataplane.ipsec().peers();
        List<TunnelStatus> out = new ArrayList<>();
        for (TunnelConfig tc : config.running().tunnels()) {
            Optional<Tunnel> running = router == null ? Optional.empty() : router.tunnel(tc.name());
            if (running.isEmpty()) {
                // Waiting to start (no WAN address or no DNS answer yet) is "down" with its reason;
                // refused is "not-running".
                String wait = hold != null ? hold : dataplane.dnsWait(tc).orElse(null);
                out.add(new TunnelStatus(tc.name(), tc.local() == 0 ? "wan" : Ipv4Address.format(tc.local()),
                        tc.remoteText(), wait != null ? "down" : "not-running", 0, 0, 0, 0, 0, 0,
                        wait != null ? wait : dataplane.problem(tc.name()).orElse("not applied"), 0, 0,
                        tc.keepalive().enabled(), null));
                continue;
            }
            TunnelStatus st = status(running.get(), nowMillis);
            String ipsecDown = tc.encryption().isPresent() ? ipsecDown(ipsecPeers, tc.remote()) : null;
            if (hold == null && ipsecDown != null) {
                // Running, but the kernel's policy drops its packets until there is an SA.
                st = new TunnelStatus(st.name(), st.local(), st.remote(), "down", st.mtu(), st.txPackets(),
                        st.rxPackets(), st.txBytes(), st.rxBytes(), st.drops(), ipsecDown, 0, 0, st.keepalive(),
                        st.detail());
            }
            if (hold != null) {
                // The router runs, but its devices cannot carry traffic (no WAN address, a deleted TUN).
                st = new TunnelStatus(st.name(), st.local(), st.remote(), "down", st.mtu(), st.txPackets(),
                        st.rxPackets(), st.txBytes(), st.rxBytes(), st.drops(), hold, 0, 0, true, st.detail());
            }
            out.add(st);
        }
        return out;
    }

    /** Box-wide lines shown above the tunnels: why none carries traffic, the last self-repair. */
    @Override
    public List<String> notices() {
        List<String> out = new ArrayList<>();
        String hold = dataplane.holdReason();
        if (hold != null) {
            out.add("Tunnels are down: " + hold);
        }
        String repair = dataplane.lastRepair();
        if (repair != null) {
            out.add("Last repair: " + repair);
        }
        return out;
    }

    static TunnelStatus status(Tunnel t, long nowMillis) {
        TunnelCounters c = t.counters();
        GreTunnelSpec s = t.spec();
        long since = t.keepalive().lastChangeEpochMillis();
        List<Counter> reasons = new ArrayList<>();
        c.dropReasons().forEach((k, v) -> reasons.add(new Counter(k, v)));
        TunnelDetail detail = new TunnelDetail(key(s.inputKey().isPresent(), s.inputKey().orElse(0)),
                key(s.outputKey().isPresent(), s.outputKey().orElse(0)), s.sequence(), s.checksum(),
                s.ttl() == GreTunnelSpec.TTL_INHERIT ? "inherit" : String.valueOf(s.ttl()),
                s.tos() == GreTunnelSpec.TOS_INHERIT ? "inherit" : String.format("0x%02x", s.tos()),
                s.df().name().toLowerCase(Locale.ROOT), t.baseMtu(),
                s.mssClamp() == GreTunnelSpec.MSS_OFF ? "off"
                        : t.mss4() + (s.mssClamp() == GreTunnelSpec.MSS_AUTO ? " (auto)" : ""),
                s.keepaliveInterval().toMillis(), s.keepaliveRetries(), t.keepalive().unanswered(),
                c.keepalivesSent(), c.keepaliveReplies(), c.keepalivesReflected(), c.rxDrops(), c.txDrops(),
                c.tooBig(), c.fragmented(), c.mssClamped(), c.pmtuLearned(), List.copyOf(reasons));
        return new TunnelStatus(t.name(), Ipv4Address.format(s.local()), Ipv4Address.format(s.remote()),
                t.state().label(), t.mtu(), c.txPackets(), c.rxPackets(), c.txBytes(), c.rxBytes(),
                c.rxDrops() + c.txDrops(), t.keepalive().reason(), since, Math.max(0, (nowMillis - since) / 1000),
                t.keepalive().enabled(), detail);
    }

    private static String key(boolean present, int key) {
        return present ? Integer.toUnsignedString(key) : "none";
    }

    @Override
    public List<SegmentStatus> segments() {
        SwitchDatapath sw = dataplane.switchDatapath();
        Config c = dataplane.resolved(config.running()); // peers named by DNS as the switch runs them
        Map<SegmentSpec, SegmentStats> stats = sw == null ? Map.of() : onSwitch(sw, () -> {
            Map<SegmentSpec, SegmentStats> m = new HashMap<>();
            for (SegmentSpec spec : sw.segments()) {
                m.put(spec, sw.stats(spec.transport(), spec.id()));
            }
            return m;
        }, Map.of());
        List<io.tunnelbox.ipsec.PeerState> ipsecPeers = dataplane.ipsec().peers();
        List<SegmentStatus> out = new ArrayList<>();
        for (SegmentConfig s : c.segments()) {
            SegmentSpec spec = SpecMapping.segment(s, c);
            SegmentStats st = stats.get(spec);
            String flood = spec.group() != 0 ? "group " + Ipv4Address.format(spec.group())
                    : "peers " + String.join(",", spec.peers().stream().map(Ipv4Address::format).toList())
                            + waitingNames(s);
            String ipsec = "";
            if (s.encryption().isPresent()) {
                List<String> down = new ArrayList<>();
                for (int peer : s.flood().peers()) {
                    String why = ipsecDown(ipsecPeers, peer);
                    if (why != null) {
                        down.add(why + " (" + Ipv4Address.format(peer) + ")");
                    }
                }
                ipsec = down.isEmpty() ? "up" : String.join(", ", down);
            }
            out.add(st == null
                    ? new SegmentStatus(s.name(), s.transport().text(), s.id(), s.vlan(), flood, 0, 0, 0, 0, 0, 0, 0,
                            0, 0, spec.fragmentOuter(), ipsec)
                    : new SegmentStatus(s.name(), s.transport().text(), s.id(), s.vlan(), flood, st.macEntries(),
                            st.toTunnelPackets(), st.fromTunnelPackets(), st.toTunnelBytes(), st.fromTunnelBytes(),
                            st.floods(), st.macLimitHits(), st.tooBig(), st.fragmented(), spec.fragmentOuter(), ipsec));
        }
        return out;
    }

    /** Peers named by DNS that have no address yet: " (peer.example: waiting for DNS)". */
    private String waitingNames(SegmentConfig s) {
        StringBuilder out = new StringBuilder();
        for (String name : dataplane.unresolved(s.flood().names())) {
            out.append(" (").append(name).append(": ").append(DatapathApplier.WAITING_FOR_DNS).append(')');
        }
        return out.toString();
    }

    /** The MAC table, named as the configuration names segments: "office", VLAN 0 = untagged. */
    @Override
    public List<MacEntry> macTable() {
        SwitchDatapath sw = dataplane.switchDatapath();
        if (sw == null) {
            return List.of();
        }
        Map<String, SegmentConfig> byTunnelId = new HashMap<>();
        Map<String, Integer> order = new HashMap<>();
        List<SegmentConfig> segments = config.running().segments();
        for (int i = 0; i < segments.size(); i++) {
            SegmentConfig s = segments.get(i);
            String key = transport(s) + "/" + (int) s.id();
            byTunnelId.put(key, s);
            order.put(s.name(), i);
        }
        List<MacEntry> out = new ArrayList<>();
        for (MacRow r : onSwitch(sw, sw::macRows, List.<MacRow>of())) {
            SegmentConfig s = byTunnelId.get(r.transport() + "/" + r.segmentId());
            String name = s != null ? s.name() : r.transport().label() + " " + Integer.toUnsignedString(r.segmentId());
            out.add(new MacEntry(name, s != null ? s.vlan() : 0, MacAddress.format(r.mac()),
                    r.remote() == 0 ? "lan" : Ipv4Address.format(r.remote()), (int) r.ageSeconds(), r.isStatic(),
                    r.packets()));
        }
        out.sort(java.util.Comparator.comparingInt((MacEntry e) -> order.getOrDefault(e.segment(), Integer.MAX_VALUE))
                .thenComparing(MacEntry::mac));
        return out;
    }

    private static Transport transport(SegmentConfig s) {
        return s.transport() == SegmentConfig.Transport.VXLAN ? Transport.VXLAN : Transport.GRE;
    }

    @Override
    public List<String> flows() {
        SwitchDatapath sw = dataplane.switchDatapath();
        String dump = sw == null ? null : onSwitch(sw, sw::dumpFlows, null);
        return dump == null ? List.of() : dump.lines().toList();
    }

    @Override
    public List<RouteEntry> routes() {
        RouterDatapath router = dataplane.router();
        if (router == null) {
            return config.running().routes().stream()
                    .map(r -> new RouteEntry(r.prefix().toString(), r.tunnel(), 0, false, "no GRE router running"))
                    .toList();
        }
        List<RouteEntry> out = new ArrayList<>();
        for (RouteStatus r : router.routeTable()) {
            out.add(new RouteEntry(r.prefix(), r.tunnel(), r.packets(), r.active(), r.note()));
        }
        return out;
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> out = new TreeMap<>();
        RouterDatapath router = dataplane.router();
        if (router != null) {
            router.drops().snapshot().forEach((k, v) -> out.put("router.drop." + k, v));
            for (Tunnel t : router.tunnels()) {
                TunnelCounters c = t.counters();
                String p = "tunnel." + t.name() + ".";
                out.put(p + "too-big", c.tooBig());
                out.put(p + "mss-clamped", c.mssClamped());
                out.put(p + "keepalives-sent", c.keepalivesSent());
                out.put(p + "keepalive-replies", c.keepaliveReplies());
                c.dropReasons().forEach((k, v) -> out.put(p + "drop." + k, v));
            }
        }
        SwitchDatapath sw = dataplane.switchDatapath();
        if (sw != null) {
            onSwitch(sw, sw::drops, Map.<String, Long>of()).forEach((k, v) -> out.put("switch.drop." + k, v));
        }
        return out;
    }

    /** Zeroes the router's and the switch's counters, and the interfaces' as shown. */
    @Override
    public void clearCounters() {
        RouterDatapath router = dataplane.router();
        SwitchDatapath sw = dataplane.switchDatapath();
        List<java.util.concurrent.CompletableFuture<Void>> done = new ArrayList<>();
        if (router != null) {
            done.add(router.clearCounters());
        }
        if (sw != null) {
            done.add(sw.clearCounters());
        }
        for (String nic : new String[] {wanNic, lanNic}) {
            nicBaseline.put(nic, nicCounters(sysNet.resolve(nic)));
        }
        for (var f : done) {
            try {
                f.get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** The switch's tables belong to its thread: ask it at its next poll, give up after 2 s. */
    private static <T> T onSwitch(SwitchDatapath sw, Supplier<T> query, T otherwise) {
        try {
            return sw.onDatapathThread(query).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return otherwise;
        }
    }


    private static long number(Path p) {
        try {
            return Long.parseLong(Files.readString(p).strip());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }
}
