package io.tunnelbox.app;

import io.tunnelbox.config.ApplyResult;
import io.tunnelbox.config.Config;
import io.tunnelbox.config.ConfigApplier;
import io.tunnelbox.config.ConfigDiff;
import io.tunnelbox.config.Ipv6Prefix;
import io.tunnelbox.config.RouteConfig;
import io.tunnelbox.config.SegmentConfig;
import io.tunnelbox.config.TunnelConfig;
import io.tunnelbox.engine.DatapathRunner;
import io.tunnelbox.hal.linux.GrePort;
import io.tunnelbox.hal.linux.Ip;
import io.tunnelbox.hal.linux.KernelRoutes;
import io.tunnelbox.hal.linux.LanBridge;
import io.tunnelbox.hal.linux.TapPort;
import io.tunnelbox.hal.linux.TunPort;
import io.tunnelbox.hal.linux.VxlanPort;
import io.tunnelbox.hal.time.Clock;
import io.tunnelbox.pipeline.SegmentSpec;
import io.tunnelbox.pipeline.SwitchDatapath;
import io.tunnelbox.pipeline.Transport;
import io.tunnelbox.route.Ipv4Prefix;
import io.tunnelbox.tunnel.RouterDatapath;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

/**
 * The box's forwarding plane on Linux, reconfigured by configuration commits: it opens the devices
 * and sockets a role needs the first time the configuration asks for that role (a TUN and a raw
 * GRE socket for the router; a TAP bridged with the LAN NIC and a VXLAN socket for the switch), and
 * turns each change into datapath commands and kernel routes. Only what changed is touched, so
 * traffic on other tunnels keeps flowing.
 */
final class LinuxDataplane implements ConfigApplier, AutoCloseable {
    static final String TUN = "tb-gre", TAP = "tb-l2", BRIDGE = "tb-lan";
    /** A datapath applies queued changes within one poll; seconds mean it is stuck. */
    private static final long APPLY_TIMEOUT_SECONDS = 5;

    private final Ip ip = Ip.host();
    private final Clock clock;
    private final String wanNic;
    private final String lanNic;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private volatile RouterDatapath router;
    private volatile SwitchDatapath sw;
    private VxlanPort vxlan;
    private KernelRoutes kernelRoutes;
    private int wanAddress;
    private int wanMtu = 1500;

    LinuxDataplane(Clock clock, String wanNic, String lanNic) {
        this.clock = clock;
        this.wanNic = wanNic;
        this.lanNic = lanNic;
    }

    /** The datapath threads running now (for the watchdog's heartbeats). */
    synchronized List<DatapathRunner> runners() {
        return resources.stream().filter(DatapathRunner.class::isInstance).map(DatapathRunner.class::cast).toList();
    }

    RouterDatapath router() {
        return router;
    }

    SwitchDatapath switchDatapath() {
        return sw;
    }

    @Override
    public synchronized ApplyResult apply(Config previous, Config next) {
        List<String> problems = new ArrayList<>();
        try {
            addressWan(next);
            ConfigDiff diff = ConfigDiff.between(previous, next);
            List<CompletableFuture<Void>> pending = new ArrayList<>();
            applyTunnels(diff, next, pending);
            applyRoutes(diff, next, pending);
            applySegments(diff, next, pending);
            for (CompletableFuture<Void> f : pending) {
                try {
                    f.get(APPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    problems.add(e.getCause().getMessage());
                }
            }
        } catch (RuntimeException e) {
            Logger.error(e, "applying the configuration failed");
            problems.add(e.getMessage());
        } catch (java.util.concurrent.TimeoutException e) {
            problems.add("the datapath did not apply the change within " + APPLY_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problems.add("interrupted while applying");
        }
        return problems.isEmpty() ? ApplyResult.OK : new ApplyResult(false, problems);
    }

    /**
     * Puts a static WAN address and default route back when something removed them: Linux flushes
     * the routes of a link that goes down, and a box must not stay cut off after a cable flap.
     * Runs every second; reads the kernel's state without starting a process unless a repair is due.
     */
    synchronized void maintainWan(Config running) {
        var wan = running.interfaces().wan();
        if (wan.dhcp() || wan.address() == null) {
            return;
        }
        try {
            java.net.NetworkInterface nic = java.net.NetworkInterface.getByName(wanNic);
            if (nic == null || !nic.isUp()) {
                return;
            }
            boolean hasAddress = nic.inetAddresses().anyMatch(a -> a instanceof java.net.Inet4Address
                    && java.nio.ByteBuffer.wrap(a.getAddress()).getInt() == wan.address().address());
            boolean hasDefault = wan.gateway() == 0 || java.nio.file.Files.readAllLines(
                    java.nio.file.Path.of("/proc/net/route")).stream().skip(1)
                    .map(l -> l.split("\\s+")).anyMatch(f -> f.length > 2 && f[1].equals("00000000"));
            if (!hasAddress || !hasDefault) {
                Logger.warn("WAN {} lost its {}; restoring it", wanNic, hasAddress ? "default route" : "address");
                addressWan(running);
            }
        } catch (java.io.IOException | RuntimeException e) {
            Logger.warn("checking WAN {}: {}", wanNic, e.getMessage());
        }
    }

    /** The WAN address: the configured one (added if missing), or whatever DHCP gave the NIC. */
    private void addressWan(Config next) {
        var wan = next.interfaces().wan();
        wanMtu = wan.mtu() > 0 ? wan.mtu() : 1500;
        if (!wan.dhcp() && wan.address() != null) {
            String cidr = wan.address().toString();
            if (!ip.run("-4", "-o", "addr", "show", "dev", wanNic).contains(" " + cidr + " ")) {
                ip.run("addr", "replace", cidr, "dev", wanNic);
            }
            wanAddress = wan.address().address();
            if (wan.gateway() != 0) {
                ip.run("route", "replace", "default", "via", io.tunnelbox.packet.Ipv4Address.format(wan.gateway()),
                        "dev", wanNic);
            }
        } else {
            wanAddress = currentAddress(wanNic);
        }
    }

    private int currentAddress(String nic) {
        String out = ip.run("-4", "-o", "addr", "show", "dev", nic);
        for (String word : out.split("\\s+")) {
            if (word.contains("/") && Character.isDigit(word.charAt(0))) {
                return io.tunnelbox.packet.Ipv4Address.parse(word.substring(0, word.indexOf('/')));
            }
        }
        throw new IllegalStateException("WAN " + nic + " has no IPv4 address yet (DHCP still running?)");
    }

    private void applyTunnels(ConfigDiff diff, Config next, List<CompletableFuture<Void>> pending) {
        if (next.tunnels().isEmpty() && router == null) {
            return;
        }
        ensureRouter(next);
        for (TunnelConfig t : diff.tunnels().removed()) {
            pending.add(router.removeTunnel(t.name()));
        }
        for (ConfigDiff.Change<TunnelConfig> c : diff.tunnels().changed()) {
            pending.add(router.removeTunnel(c.before().name()));
            pending.add(router.addTunnel(SpecMapping.tunnel(c.after(), wanAddress, wanMtu)));
        }
        for (TunnelConfig t : diff.tunnels().added()) {
            pending.add(router.addTunnel(SpecMapping.tunnel(t, wanAddress, wanMtu)));
        }
    }

    private void applyRoutes(ConfigDiff diff, Config next, List<CompletableFuture<Void>> pending) {
        if (router == null) {
            return;
        }
        for (RouteConfig r : diff.routes().removed()) {
            pending.add(removeRoute(r));
            kernelRoutes.remove(r.prefix().toString(), TUN);
        }
        for (ConfigDiff.Change<RouteConfig> c : diff.routes().changed()) {
            pending.add(removeRoute(c.before()));
            pending.add(addRoute(c.after()));
        }
        for (RouteConfig r : diff.routes().added()) {
            pending.add(addRoute(r));
            kernelRoutes.add(r.prefix().toString(), TUN);
        }
    }

    private CompletableFuture<Void> addRoute(RouteConfig r) {
        return r.prefix() instanceof Ipv6Prefix
                ? router.addRoute(io.tunnelbox.route.Ipv6Prefix.parse(r.prefix().toString()), r.tunnel())
                : router.addRoute(Ipv4Prefix.parse(r.prefix().toString()), r.tunnel());
    }

    private CompletableFuture<Void> removeRoute(RouteConfig r) {
        return r.prefix() instanceof Ipv6Prefix
                ? router.removeRoute(io.tunnelbox.route.Ipv6Prefix.parse(r.prefix().toString()))
                : router.removeRoute(Ipv4Prefix.parse(r.prefix().toString()));
    }

    private void ensureRouter(Config next) {
        if (router != null) {
            return;
        }
        // The TUN carries whole WAN-sized packets so that the datapath, which knows each tunnel's
        // MTU, answers oversize DF packets itself with the right next-hop MTU.
        TunPort tun = remember(TunPort.open(TUN, wanMtu));
        tun.setUp(true);
        // The datapath answers oversize packets with ICMP from the box's own LAN address; Linux
        // drops packets that arrive with a local source address unless the device accepts them.
        sysctl("net/ipv4/conf/" + TUN + "/accept_local", "1");
        GrePort gre = remember(GrePort.open("gre-router", wanAddress, wanNic, wanMtu));
        kernelRoutes = remember(new KernelRoutes(ip));
        router = new RouterDatapath(next.system().hostname(), tun, gre, clock);
        var lan = next.interfaces().lan();
        if (lan.address() != null) {
            router.setLanAddress(lan.address().address());
        }
        remember(new DatapathRunner(router, clock).start());
        Logger.info("router role up: {} and a raw GRE socket on {} ({})", TUN, wanNic,
                io.tunnelbox.packet.Ipv4Address.format(wanAddress));
    }

    private void applySegments(ConfigDiff diff, Config next, List<CompletableFuture<Void>> pending) {
        if (next.segments().isEmpty() && sw == null) {
            return;
        }
        ensureSwitch(next);
        for (SegmentConfig s : diff.segments().removed()) {
            SegmentSpec spec = SpecMapping.segment(s, next);
            pending.add(sw.removeSegment(spec.transport(), spec.id()));
            leaveGroup(spec);
        }
        for (ConfigDiff.Change<SegmentConfig> c : diff.segments().changed()) {
            SegmentSpec before = SpecMapping.segment(c.before(), next);
            pending.add(sw.removeSegment(before.transport(), before.id()));
            leaveGroup(before);
            SegmentSpec after = SpecMapping.segment(c.after(), next);
            joinGroup(after);
            pending.add(sw.addSegment(after));
        }
        for (SegmentConfig s : diff.segments().added()) {
            SegmentSpec spec = SpecMapping.segment(s, next);
            joinGroup(spec);
            pending.add(sw.addSegment(spec));
        }
    }

    private void joinGroup(SegmentSpec spec) {
        if (spec.group() != 0 && spec.transport() == Transport.VXLAN) {
            vxlan.join(spec.group());
        }
    }

    private void leaveGroup(SegmentSpec spec) {
        if (spec.group() != 0 && spec.transport() == Transport.VXLAN) {
            vxlan.leave(spec.group());
        }
    }

    private void ensureSwitch(Config next) {
        if (sw != null) {
            return;
        }
        int udpPort = next.segments().stream().filter(s -> s.transport() == SegmentConfig.Transport.VXLAN)
                .mapToInt(SegmentConfig::udpPort).findFirst().orElse(SegmentConfig.VXLAN_PORT);
        TapPort tap = remember(TapPort.open(TAP, 1500));
        remember(LanBridge.attach(ip, BRIDGE, lanNic, TAP));
        vxlan = remember(VxlanPort.open("vxlan", wanAddress, udpPort, wanNic, wanMtu));
        GrePort gre = remember(GrePort.open("gre-switch", wanAddress, wanNic, wanMtu));
        sw = new SwitchDatapath(next.system().hostname(), clock, wanAddress, tap, vxlan, gre, 100_000);
        remember(new DatapathRunner(sw, clock).start());
        Logger.info("switch role up: {} bridged with {} in {}, VXLAN port {} on {}", TAP, lanNic, BRIDGE,
                udpPort, wanNic);
    }

    private static void sysctl(String key, String value) {
        try {
            java.nio.file.Files.writeString(java.nio.file.Path.of("/proc/sys", key), value);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot set " + key.replace('/', '.') + " = " + value + ": " + e.getMessage(), e);
        }
    }

    private <T extends AutoCloseable> T remember(T resource) {
        resources.add(resource);
        return resource;
    }

    /** Stops the datapaths first, then removes routes, the bridge, and closes devices, newest first. */
    @Override
    public synchronized void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                Logger.warn("closing {}: {}", resources.get(i), e.getMessage());
            }
        }
        resources.clear();
    }
}
