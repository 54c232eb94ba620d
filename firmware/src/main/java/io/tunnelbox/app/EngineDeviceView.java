package io.tunnelbox.app;

import io.tunnelbox.config.Config;
import io.tunnelbox.config.ConfigService;
import io.tunnelbox.config.SegmentConfig;
import io.tunnelbox.console.DeviceView;
import io.tunnelbox.packet.Ipv4Address;
import io.tunnelbox.pipeline.SegmentSpec;
import io.tunnelbox.pipeline.SegmentStats;
import io.tunnelbox.pipeline.SwitchDatapath;
import io.tunnelbox.tunnel.RouterDatapath;
import io.tunnelbox.tunnel.Tunnel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The console's view of the running box: snapshots taken from the datapaths (their tables are
 * read on their own threads) and from the kernel's interface counters in sysfs.
 */
final class EngineDeviceView implements DeviceView {
    private final ConfigService config;
    private final DatapathApplier dataplane;
    private final String board;
    private final String wanNic;
    private final String lanNic;
    private final long startedNanos = System.nanoTime();

    EngineDeviceView(ConfigService config, DatapathApplier dataplane, String board, String wanNic, String lanNic) {
        this.config = config;
        this.dataplane = dataplane;
        this.board = board;
        this.wanNic = wanNic;
        this.lanNic = lanNic;
    }

    @Override
    public List<String> firewall() {
        return dataplane.firewall().show().lines().toList();
    }

    @Override
    public VersionInfo version() {
        return new VersionInfo(Version.current(), board, config.running().system().hostname(),
                Duration.ofNanos(System.nanoTime() - startedNanos));
    }

    @Override
    public List<InterfaceStatus> interfaces() {
        Config c = config.running();
        return List.of(nic("wan", wanNic, c.interfaces().wan()), nic("lan", lanNic, c.interfaces().lan()));
    }

    private static InterfaceStatus nic(String role, String name, io.tunnelbox.config.InterfaceConfig cfg) {
        Path dir = Path.of("/sys/class/net", name);
        String address = cfg.dhcp() ? "dhcp" : cfg.address() == null ? "-" : cfg.address().toString();
        return new InterfaceStatus(role, name, "up".equals(read(dir.resolve("operstate"))),
                read(dir.resolve("address")), address, (int) number(dir.resolve("mtu")),
                number(dir.resolve("statistics/rx_packets")), number(dir.resolve("statistics/tx_packets")),
                number(dir.resolve("statistics/rx_bytes")), number(dir.resolve("statistics/tx_bytes")),
                number(dir.resolve("statistics/rx_dropped")) + number(dir.resolve("statistics/tx_dropped")));
    }

    @Override
    public List<TunnelStatus> tunnels() {
        RouterDatapath router = dataplane.router();
        String hold = dataplane.holdReason();
        if (router == null) {
            // Configured tunnels waiting to start (no WAN address yet) show why.
            return hold == null ? List.of() : config.running().tunnels().stream().map(t -> new TunnelStatus(t.name(),
                    "-", Ipv4Address.format(t.remote()), hold, 0, 0, 0, 0, 0, 0)).toList();
        }
        List<TunnelStatus> out = new ArrayList<>();
        for (Tunnel t : router.tunnels()) {
            var c = t.counters();
            out.add(new TunnelStatus(t.name(), Ipv4Address.format(t.spec().local()),
                    Ipv4Address.format(t.spec().remote()), hold != null ? hold : t.state().label(), t.mtu(), c.txPackets(),
                    c.rxPackets(), c.txBytes(), c.rxBytes(), c.rxDrops() + c.txDrops()));
        }
        return out;
    }

    @Override
    public List<SegmentStatus> segments() {
        SwitchDatapath sw = dataplane.switchDatapath();
        if (sw == null) {
            return List.of();
        }
        Config c = config.running();
        List<SegmentStatus> out = new ArrayList<>();
        for (SegmentConfig s : c.segments()) {
            SegmentSpec spec = SpecMapping.segment(s, c);
            SegmentStats stats = onSwitch(sw, () -> sw.stats(spec.transport(), spec.id()));
            String flood = spec.group() != 0 ? "group " + Ipv4Address.format(spec.group())
                    : "peers " + String.join(",", spec.peers().stream().map(Ipv4Address::format).toList());
            out.add(new SegmentStatus(s.name(), s.transport().text(), s.id(), s.vlan(), flood,
                    stats == null ? 0 : stats.macEntries(),
                    stats == null ? 0 : stats.toTunnelPackets(), stats == null ? 0 : stats.fromTunnelPackets()));
        }
        return out;
    }

    @Override
    public List<MacEntry> macTable() {
        SwitchDatapath sw = dataplane.switchDatapath();
        if (sw == null) {
            return List.of();
        }
        // The dump is the datapath's own snapshot; its columns are separated by two or more spaces.
        List<MacEntry> out = new ArrayList<>();
        String dump = onSwitch(sw, sw::dumpMacs);
        for (String line : dump == null ? List.<String>of() : dump.lines().skip(1).toList()) {
            String[] f = line.strip().split("\\s{2,}");
            if (f.length >= 6) {
                String where = "-".equals(f[4]) ? "lan" : f[4];
                out.add(new MacEntry(f[0], parseInt(f[1]), f[2], where, parseInt(f[5])));
            }
        }
        return out;
    }

    @Override
    public List<String> flows() {
        SwitchDatapath sw = dataplane.switchDatapath();
        String dump = sw == null ? null : onSwitch(sw, sw::dumpFlows);
        return dump == null ? List.of() : dump.lines().toList();
    }

    @Override
    public List<RouteEntry> routes() {
        RouterDatapath router = dataplane.router();
        if (router == null) {
            return List.of();
        }
        List<RouteEntry> out = new ArrayList<>();
        for (String r : router.routes()) {
            String[] f = r.split(" via ", 2);
            out.add(new RouteEntry(f[0], f.length > 1 ? f[1] : "-", 0));
        }
        return out;
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> out = new LinkedHashMap<>();
        SwitchDatapath sw = dataplane.switchDatapath();
        if (sw != null) {
            sw.drops().forEach((k, v) -> out.put("switch.drop." + k, v));
        }
        RouterDatapath router = dataplane.router();
        if (router != null) {
            for (Tunnel t : router.tunnels()) {
                var c = t.counters();
                out.put("tunnel." + t.name() + ".too-big", c.tooBig());
                out.put("tunnel." + t.name() + ".mss-clamped", c.mssClamped());
                out.put("tunnel." + t.name() + ".keepalives-sent", c.keepalivesSent());
                out.put("tunnel." + t.name() + ".keepalive-replies", c.keepaliveReplies());
            }
        }
        return out;
    }

    @Override
    public void clearCounters() {
        RouterDatapath router = dataplane.router();
        if (router != null) {
            router.clearCounters();
        }
    }

    private static <T> T onSwitch(SwitchDatapath sw, Supplier<T> query) {
        try {
            return sw.onDatapathThread(query).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return null;
        }
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p).strip();
        } catch (IOException e) {
            return "-";
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
