package io.tunnelbox.app;

import io.tunnelbox.config.ApplyResult;
import io.tunnelbox.config.Config;
import io.tunnelbox.config.ConfigApplier;
import io.tunnelbox.config.ConfigDiff;
import io.tunnelbox.config.RouteConfig;
import io.tunnelbox.config.SegmentConfig;
import io.tunnelbox.config.TunnelConfig;
import io.tunnelbox.engine.DatapathRunner;
import io.tunnelbox.firewall.Firewall;
import io.tunnelbox.ipsec.Ipsec;
import io.tunnelbox.hal.port.PacketPort;
import io.tunnelbox.hal.time.Clock;
import io.tunnelbox.l2switch.SegmentSpec;
import io.tunnelbox.l2switch.SwitchDatapath;
import io.tunnelbox.l2switch.Transport;
import io.tunnelbox.names.NameResolver;
import io.tunnelbox.names.RemoteNames;
import io.tunnelbox.packet.Ipv4Address;
import io.tunnelbox.packet.Ipv4Prefix;
import io.tunnelbox.packet.Ipv6Prefix;
import io.tunnelbox.router.RouterDatapath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.tinylog.Logger;

/**
 * Turns configuration commits into datapath commands: it starts a role's datapath (on its own
 * thread) the first time the configuration asks for it, and then sends each datapath only what
 * changed. The datapaths apply queued commands between two batches, so traffic on tunnels and
 * segments that a change does not touch keeps flowing.
 */
final class DatapathApplier implements ConfigApplier, AutoCloseable {
    /** A datapath applies queued changes within one poll; seconds mean it is stuck. */
    private static final long APPLY_TIMEOUT_SECONDS = 5;
    /**
     * Most MAC entries a VTEP holds over all its segments, whatever their limits add up to. The
     * table's memory follows the entries it holds (64 KB at start, 16 MB at this cap), so the cap
     * bounds what a box can be made to allocate, not what it allocates (mac.MacTable).
     */
    static final int MAC_TABLE_CAP = 100_000;

    private final Devices devices;
    private final Clock clock;
    private final Firewall firewall;
    private final Ipsec ipsec;
    private final List<DatapathRunner> runners = new ArrayList<>();
    /** Made by this apply and started once its first commands are queued (see apply). */
    private final List<DatapathRunner> newRunners = new ArrayList<>();
    private volatile RouterDatapath router;
    private volatile SwitchDatapath sw;
    /** The VXLAN UDP port the running switch was opened with. */
    private int vxlanPort;
    /** Why the router refused a tunnel, by tunnel name ("show tunnels" says it). */
    private final Map<String, String> tunnelProblems = new ConcurrentHashMap<>();
    private int wanAddress;
    /** The WAN address and MTU the router's tunnels were last derived from. */
    private int routerWanAddress;
    private int routerWanMtu;
    private int switchWanMtu;
    private int wanMtu;
    /** The configuration the roles wait to start with while the WAN has no address; null otherwise. */
    private Config waiting;
    /** The WAN as last seen by {@link #maintain}. */
    private Devices.WanView seen = new Devices.WanView(0, 0);
    /** Why tunnels cannot carry traffic now (shown by show tunnels), or null. */
    private volatile String holdReason;
    /** The last device repair, for show tunnels ("TUN device ... was deleted; re-created at ..."). */
    private volatile String lastRepair;
    static final String WAITING_FOR_WAN = "waiting for WAN address";
    static final String WAITING_FOR_DNS = "waiting for DNS";
    /** Peers named by DNS: resolved off the datapath threads, read here. */
    private final RemoteNames names;
    /** The addresses the running datapaths and firewall were given for those names. */
    private Map<String, Integer> resolved = Map.of();
    /** Names whose answer is no peer (see {@link #usable}), and why. */
    private Map<String, String> refused = Map.of();

    DatapathApplier(Devices devices, Clock clock) {
        this(devices, clock, Firewall.NONE);
    }

    /** With the box's firewall, made to match each configuration before the datapaths are. */
    DatapathApplier(Devices devices, Clock clock, Firewall firewall) {
        this(devices, clock, firewall, Ipsec.NONE);
    }

    /** With the box's firewall and its IPsec (strongSwan), each made to match every configuration. */
    DatapathApplier(Devices devices, Clock clock, Firewall firewall, Ipsec ipsec) {
        this(devices, clock, firewall, ipsec, new RemoteNames(NameResolver.SYSTEM, clock, RemoteNames.DEFAULT_PERIOD));
    }

    /** Without IPsec, with the tracker of the peers named by DNS (refreshed by a test). */
    DatapathApplier(Devices devices, Clock clock, Firewall firewall, RemoteNames names) {
        this(devices, clock, firewall, Ipsec.NONE, names);
    }

    /** With the tracker of the peers named by DNS (started by the caller, or refreshed by a test). */
    DatapathApplier(Devices devices, Clock clock, Firewall firewall, Ipsec ipsec, RemoteNames names) {
        this.devices = devices;
        this.clock = clock;
        this.firewall = firewall;
        this.ipsec = ipsec;
        this.names = names;
    }

    Firewall firewall() {
        return firewall;
    }

    Ipsec ipsec() {
        return ipsec;
    }

    /**
     * The MTU the switch sizes delivery packets by: the WAN's, less ESP when a segment is encrypted
     * (the switch has one underlay MTU, so clear segments then keep the same margin).
     */
    static int switchMtu(Config config, int wanMtu) {
        return config.segments().stream().anyMatch(s -> s.encryption().isPresent())
                ? io.tunnelbox.config.EspOverhead.innerMtu(wanMtu) : wanMtu;
    }

    RouterDatapath router() {
        return router;
    }

    SwitchDatapath switchDatapath() {
        return sw;
    }

    /** Why the named tunnel is not running, if the router refused it. */
    Optional<String> problem(String tunnel) {
        return Optional.ofNullable(tunnelProblems.get(tunnel));
    }

    /** The VXLAN UDP port {@code config} asks for, or 0 when it has no VXLAN segment. */
    static int vxlanPort(Config config) {
        return config.segments().stream().filter(x -> x.transport() == SegmentConfig.Transport.VXLAN)
                .mapToInt(SegmentConfig::udpPort).findFirst().orElse(0);
    }

    /** The datapath threads running now (for the watchdog's heartbeats). */
    synchronized List<DatapathRunner> runners() {
        return List.copyOf(runners);
    }

    /**
     * Applies {@code next}, its peers named by DNS given the addresses known now (a tunnel whose
     * name has none yet waits, see {@link #dnsWait}).
     */
    @Override
    public synchronized ApplyResult apply(Config previous, Config next) {
        names.track(hostNames(next));
        Config before = resolve(previous, resolved);
        resolved = usable(next, names.addresses());
        return applyResolved(before, resolve(next, resolved), next);
    }

    /**
     * Follows the peers named by DNS: when one resolves for the first time or to another address,
     * its tunnels are re-sourced and its segments' peers, allow-lists and the firewall's peer sets
     * move with it. Called every second and whenever a name changes.
     */
    synchronized void followNames(Config running) {
        if (waiting != null || (router == null && sw == null)) {
            return; // nothing runs yet; the start applies the addresses known then
        }
        Map<String, Integer> now = usable(running, names.addresses());
        now.keySet().retainAll(hostNames(running));
        Map<String, Integer> was = new HashMap<>(resolved);
        was.keySet().retainAll(hostNames(running));
        if (now.equals(was)) {
            return;
        }
        Config before = resolve(running, resolved);
        resolved = now;
        ApplyResult r = applyResolved(before, resolve(running, resolved), running);
        if (!r.ok()) {
            Logger.error("following the peers' new addresses failed: {}", r.problems());
        }
    }

    /** {@code config} as the datapaths run it: peers named by DNS replaced by their addresses (unresolved tunnels left out). */
    synchronized Config resolved(Config config) {
        return resolve(config, resolved);
    }

    /**
     * Why a tunnel whose remote is a DNS name does not run: "waiting for DNS" until the first
     * answer, or the resolver's reason ("remote NAME: no address (...)"); empty when it has an address.
     */
    synchronized Optional<String> dnsWait(TunnelConfig t) {
        if (t.remoteName() == null || resolved.containsKey(t.remoteName())) {
            return Optional.empty();
        }
        String no = refused.get(t.remoteName());
        if (no != null) {
            return Optional.of("remote " + t.remoteName() + " resolves to " + no);
        }
        String problem = names.problem(t.remoteName());
        return Optional.of(problem == null ? WAITING_FOR_DNS
                : "remote " + t.remoteName() + ": no address (" + problem + ")");
    }

    /** Those of {@code hostNames} the datapaths have no address for. */
    synchronized List<String> unresolved(List<String> hostNames) {
        return hostNames.stream().filter(n -> !resolved.containsKey(n)).toList();
    }

    /**
     * {@code found} without the names whose address is this box's own WAN address or inside its
     * LAN: a DNS server or hosts file must not make the box send its tunnels to itself (its own
     * flood would come back as a peer's and its LAN's MACs would move behind the tunnel), nor over
     * the WAN to its LAN. A literal remote like that is refused by the configuration's checks; a
     * name like that waits, with the reason in {@link #dnsWait} and one log line.
     */
    private Map<String, Integer> usable(Config c, Map<String, Integer> found) {
        Map<String, Integer> out = new HashMap<>(found);
        Map<String, String> why = new HashMap<>();
        Ipv4Prefix lan = c.interfaces().lan().address();
        found.forEach((name, a) -> {
            String reason = c.interfaces().wan().hasAddress(a) || (seen.address() != 0 && seen.address() == a)
                    ? "this box's own WAN address"
                    : lan != null && lan.contains(a) ? "inside this box's LAN " + lan.network() : null;
            if (reason != null) {
                out.remove(name);
                why.put(name, Ipv4Address.format(a) + ", " + reason + ": not a peer");
                if (!why.get(name).equals(refused.get(name))) {
                    Logger.warn("remote {} resolves to {}", name, why.get(name));
                }
            }
        });
        refused = why;
        return out;
    }

    static Set<String> hostNames(Config c) {
        Set<String> out = new LinkedHashSet<>();
        c.tunnels().stream().filter(t -> t.remoteName() != null).forEach(t -> out.add(t.remoteName()));
        c.segments().forEach(s -> out.addAll(s.flood().names()));
        return out;
    }

    static Config resolve(Config c, Map<String, Integer> addresses) {
        if (hostNames(c).isEmpty()) {
            return c;
        }
        List<TunnelConfig> tunnels = new ArrayList<>();
        for (TunnelConfig t : c.tunnels()) {
            if (t.remoteName() == null) {
                tunnels.add(t);
            } else if (addresses.containsKey(t.remoteName())) {
                tunnels.add(t.withRemote(addresses.get(t.remoteName())));
            } // else: it waits for DNS; routes into it stay inactive until it runs
        }
        List<SegmentConfig> segments = new ArrayList<>();
        for (SegmentConfig s : c.segments()) {
            List<Integer> more = s.flood().names().stream().filter(addresses::containsKey).map(addresses::get).toList();
            segments.add(more.isEmpty() ? s : s.withFlood(s.flood().withPeers(more)));
        }
        return c.withTunnels(tunnels).withSegments(segments);
    }

    private ApplyResult applyResolved(Config previous, Config next, Config configured) {
        List<String> problems = new ArrayList<>();
        // First, and whatever happens after: a box waiting for its WAN is filtered all the same.
        firewall.apply(next);
        int port = vxlanPort(next);
        if (sw != null && port != 0 && port != vxlanPort) {
            // The VXLAN socket is bound once, when the switch starts: say so rather than ignore it.
            return new ApplyResult(false, List.of("VXLAN udpPort " + port + " differs from " + vxlanPort
                    + ", the port the running switch listens on; a new port takes effect after a restart"
                    + " (save it, then reboot)"));
        }
        try {
            int address = devices.configureWan(next);
            wanMtu = devices.wanMtu(next);
            // Before the datapaths: the kernel's policies are in place before the first packet.
            ipsec.apply(next, address != 0 ? address : wanAddress);
            boolean needsWan = !configured.tunnels().isEmpty() || !configured.segments().isEmpty();
            if (address == 0 && router == null && sw == null) {
                // A box that boots before its modem: the configuration is fine, the roles wait
                // for the address (maintain() starts them when it comes).
                waiting = needsWan ? configured : null;
                holdReason = needsWan ? WAITING_FOR_WAN : null;
                if (needsWan) {
                    Logger.warn("WAN has no IPv4 address yet: tunnels and segments wait for it");
                }
                return ApplyResult.OK;
            }
            if (waiting != null) {
                previous = Config.defaults(); // nothing of the waiting configuration runs yet
            }
            waiting = null;
            if (address != 0) {
                wanAddress = address;
                seen = new Devices.WanView(address, seen.ifindex());
                if (WAITING_FOR_WAN.equals(holdReason)) {
                    holdReason = null;
                }
            } // else: roles already run; they keep the last address until maintain() sees a new one
            ConfigDiff diff = ConfigDiff.between(previous, next);
            List<CompletableFuture<Void>> pending = new ArrayList<>();
            try {
                boolean routerStarted = applyTunnels(diff, next, pending);
                applyRoutes(routerStarted ? ConfigDiff.between(previous.withRoutes(List.of()), next) : diff, pending);
                applySegments(diff, next, pending);
            } finally {
                startNewRunners();
            }
            // The datapaths may be asleep on their ports: let them pick the changes up now.
            runners.forEach(DatapathRunner::wakeup);
            for (CompletableFuture<Void> f : pending) {
                try {
                    f.get(APPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    problems.add(e.getCause().getMessage());
                }
            }
        } catch (RuntimeException e) {
            Logger.error(e, "applying the configuration failed");
            problems.add(e.getMessage());
        } catch (TimeoutException e) {
            problems.add("the datapath did not apply the change within " + APPLY_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problems.add("interrupted while applying");
        }
        return problems.isEmpty() ? ApplyResult.OK : new ApplyResult(false, problems);
    }

    /**
     * A new datapath starts only once its first tunnels and segments are queued: its first poll
     * applies them before it reads a single frame, so nothing that arrives at start (the TAP's
     * queue fills as soon as it joins the LAN bridge) meets a datapath without segments and is
     * dropped as an unknown VLAN.
     */
    private void startNewRunners() {
        for (DatapathRunner r : newRunners) {
            runners.add(r.start());
        }
        newRunners.clear();
    }

    /**
     * Returns whether the router started now: then every route is new to it (routes committed while
     * it did not run, its only tunnel waiting for DNS, were not given to anyone).
     */
    private boolean applyTunnels(ConfigDiff diff, Config next, List<CompletableFuture<Void>> pending) {
        if (next.tunnels().isEmpty() && router == null) {
            return false;
        }
        boolean started = router == null;
        if (router == null) {
            Devices.RouterPorts ports = devices.openRouter(next, wanAddress, wanMtu);
            RouterDatapath r = new RouterDatapath(next.system().hostname(), ports.lan(), ports.wan(), clock);
            newRunners.add(new DatapathRunner(r, clock, devices.idleWait(List.of(ports.lan(), ports.wan()))));
            router = r;
        }
        var lan = next.interfaces().lan();
        int lanAddress = lan.address() != null ? lan.address().address() : 0;
        if (lanAddress != router.lanAddress()) {
            pending.add(router.setLanAddress(lanAddress));
        }
        if (wanMtu != routerWanMtu) {
            pending.add(router.setUnderlayMtu(wanMtu));
        }
        if (wanAddress != routerWanAddress || wanMtu != routerWanMtu) {
            // Tunnels that follow the WAN (no "local") or size themselves from its MTU change with
            // it even when their own configuration does not; the router skips unchanged specs.
            for (TunnelConfig t : next.tunnels()) {
                if (diff.tunnels().added().stream().noneMatch(a -> a.name().equals(t.name()))) {
                    pending.add(addTunnel(t));
                }
            }
            routerWanAddress = wanAddress;
            routerWanMtu = wanMtu;
        }
        for (TunnelConfig t : diff.tunnels().removed()) {
            tunnelProblems.remove(t.name());
            pending.add(router.removeTunnel(t.name()));
        }
        for (ConfigDiff.Change<TunnelConfig> c : diff.tunnels().changed()) {
            pending.add(router.removeTunnel(c.before().name()));
            pending.add(addTunnel(c.after()));
        }
        for (TunnelConfig t : diff.tunnels().added()) {
            pending.add(addTunnel(t));
        }
        return started;
    }

    /** Adds a tunnel, remembering why the router refused it (shown by "show tunnels"). */
    private CompletableFuture<Void> addTunnel(TunnelConfig t) {
        CompletableFuture<Void> done;
        try {
            done = router.addTunnel(SpecMapping.tunnel(t, wanAddress, wanMtu));
        } catch (IllegalArgumentException e) {
            done = CompletableFuture.failedFuture(e);
        }
        return done.whenComplete((ok, e) -> {
            if (e == null) {
                tunnelProblems.remove(t.name());
            } else {
                tunnelProblems.put(t.name(), (e.getCause() != null ? e.getCause() : e).getMessage());
            }
        });
    }

    private void applyRoutes(ConfigDiff diff, List<CompletableFuture<Void>> pending) {
        if (router == null) {
            return;
        }
        for (RouteConfig r : diff.routes().removed()) {
            pending.add(removeRoute(r));
            devices.routeRemoved(r.prefix().toString());
        }
        for (ConfigDiff.Change<RouteConfig> c : diff.routes().changed()) {
            pending.add(removeRoute(c.before()));
            pending.add(addRoute(c.after()));
        }
        for (RouteConfig r : diff.routes().added()) {
            pending.add(addRoute(r));
            devices.routeAdded(r.prefix().toString());
        }
    }

    private CompletableFuture<Void> addRoute(RouteConfig r) {
        return switch (r.prefix()) {
            case Ipv6Prefix p -> router.addRoute(p, r.tunnel());
            case Ipv4Prefix p -> router.addRoute(p, r.tunnel());
        };
    }

    private CompletableFuture<Void> removeRoute(RouteConfig r) {
        return switch (r.prefix()) {
            case Ipv6Prefix p -> router.removeRoute(p);
            case Ipv4Prefix p -> router.removeRoute(p);
        };
    }

    private void applySegments(ConfigDiff diff, Config next, List<CompletableFuture<Void>> pending) {
        int port = vxlanPort(next);
        if (next.segments().isEmpty() && sw == null) {
            return;
        }
        int underlay = switchMtu(next, wanMtu);
        if (sw != null && underlay != switchWanMtu) {
            pending.add(sw.setUnderlayMtu(underlay));
        }
        switchWanMtu = underlay;
        if (sw == null) {
            Devices.SwitchPorts ports = devices.openSwitch(next, wanAddress, wanMtu);
            boolean encrypted = underlay != wanMtu;
            int udpPort = port != 0 ? port : SegmentConfig.VXLAN_PORT;
            vxlanPort = udpPort;
            SwitchDatapath s = new SwitchDatapath(next.system().hostname(), clock, wanAddress, ports.lan(),
                    ports.vxlan(), ports.gre(), MAC_TABLE_CAP, udpPort);
            List<PacketPort> polled = new ArrayList<>(List.of(ports.lan()));
            for (PacketPort p : new PacketPort[] {ports.vxlan(), ports.gre()}) {
                if (p != null && !polled.contains(p)) {
                    polled.add(p);
                }
            }
            newRunners.add(new DatapathRunner(s, clock, devices.idleWait(polled)));
            sw = s;
            if (encrypted) {
                pending.add(s.setUnderlayMtu(underlay));
            }
        }
        for (SegmentConfig s : diff.segments().removed()) {
            SegmentSpec spec = SpecMapping.segment(s, next);
            pending.add(sw.removeSegment(spec.transport(), spec.id()));
            leave(spec);
        }
        for (ConfigDiff.Change<SegmentConfig> c : diff.segments().changed()) {
            SegmentSpec before = SpecMapping.segment(c.before(), next);
            SegmentSpec after = SpecMapping.segment(c.after(), next);
            if (before.transport() != after.transport() || before.id() != after.id()) {
                pending.add(sw.removeSegment(before.transport(), before.id()));
            } // else addSegment replaces it, and keeps its MACs when only macLimit changed
            leave(before);
            join(after);
            pending.add(sw.addSegment(after));
        }
        for (SegmentConfig s : diff.segments().added()) {
            SegmentSpec spec = SpecMapping.segment(s, next);
            join(spec);
            pending.add(sw.addSegment(spec));
        }
    }

    private void join(SegmentSpec spec) {
        if (spec.group() != 0 && spec.transport() == Transport.VXLAN) {
            devices.groupJoined(spec.group());
        }
    }

    private void leave(SegmentSpec spec) {
        if (spec.group() != 0 && spec.transport() == Transport.VXLAN) {
            devices.groupLeft(spec.group());
        }
    }

    /** Why the tunnels cannot carry traffic now ("waiting for WAN address", a deleted device), or null. */
    String holdReason() {
        return holdReason;
    }

    /** The last device the box had to repair, and when; null if none. */
    String lastRepair() {
        return lastRepair;
    }

    /** Whether the roles wait for a WAN address before they start. */
    synchronized boolean waitingForWan() {
        return waiting != null;
    }

    /**
     * Follows the machine: a WAN address that arrives late or changes (tunnels are re-sourced, the
     * sockets rebound), a WAN NIC that was re-created (sockets and multicast memberships follow the
     * new interface), the router's TUN device deleted (re-created with its routes). Called every
     * second and at once on every rtnetlink link or address event.
     */
    synchronized void maintain(Config running) {
        Devices.WanView now = devices.observeWan();
        Devices.WanView before = seen;
        seen = now;
        if (waiting != null) {
            if (now.address() != 0) {
                Config start = waiting;
                Logger.info("WAN address {} arrived: starting tunnels and segments", Ipv4Address.format(now.address()));
                ApplyResult r = apply(Config.defaults(), start);
                if (!r.ok()) {
                    Logger.error("starting the roles on the new WAN address failed: {}", r.problems());
                }
            }
        } else if (router != null || sw != null) {
            if (now.address() == 0) {
                if (before.address() != 0) {
                    Logger.warn("WAN lost its IPv4 address: tunnels wait for it");
                }
                holdReason = WAITING_FOR_WAN;
            } else if (now.address() != wanAddress) {
                Logger.warn("WAN address changed from {} to {}: re-sourcing tunnels and segments",
                        Ipv4Address.format(wanAddress), Ipv4Address.format(now.address()));
                wanAddress = now.address();
                devices.underlayMoved(wanAddress);
                ipsec.apply(resolve(running, resolved), wanAddress); // peers by name as they run
                resource(running);
                holdReason = null;
            } else if (before.address() == 0 || (before.ifindex() != 0 && now.ifindex() != before.ifindex())) {
                Logger.info("WAN is back with {} (interface index {}): sockets follow it",
                        Ipv4Address.format(now.address()), now.ifindex());
                devices.underlayMoved(wanAddress);
                holdReason = null;
            }
        }
        if (router != null) {
            try {
                String repaired = devices.repairRouterDevice();
                if (repaired != null) {
                    lastRepair = repaired + "; re-created at " + java.time.Instant.ofEpochMilli(clock.epochMillis());
                }
            } catch (RuntimeException e) {
                holdReason = "router device missing and not re-created: " + e.getMessage();
                Logger.error("re-creating the router's device failed: {}", e.getMessage());
                return;
            }
            if (holdReason != null && holdReason.startsWith("router device")) {
                holdReason = null;
            }
        }
    }

    /** Every tunnel and the switch take the new WAN address as their source. */
    private void resource(Config running) {
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        if (router != null) {
            for (TunnelConfig t : resolve(running, resolved).tunnels()) {
                pending.add(router.addTunnel(SpecMapping.tunnel(t, wanAddress, wanMtu)));
            }
        }
        if (sw != null) {
            pending.add(sw.setLocalAddress(wanAddress));
        }
        for (CompletableFuture<Void> f : pending) {
            try {
                f.get(APPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                Logger.error("re-sourcing on {} failed: {}", Ipv4Address.format(wanAddress), e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Stops the datapath threads, then releases the devices. */
    @Override
    public synchronized void close() {
        for (int i = runners.size() - 1; i >= 0; i--) {
            runners.get(i).close();
        }
        runners.clear();
        devices.close();
        ipsec.close();
        firewall.close();
    }
}
