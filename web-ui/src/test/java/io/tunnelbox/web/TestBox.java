package io.tunnelbox.web;

import io.tunnelbox.config.ConfigApplier;
import io.tunnelbox.config.ConfigService;
import io.tunnelbox.config.ConfigStore;
import io.tunnelbox.console.DeviceView;
import io.tunnelbox.console.LogRing;
import io.tunnelbox.hal.time.Clock;
import io.tunnelbox.management.Diagnostics;
import io.tunnelbox.management.ManagementContext;
import io.tunnelbox.management.Updates;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A box for web tests: a real {@link ConfigService} over a store in a temporary directory (with an
 * applier that accepts everything), a device view that reports each configured tunnel as up, and
 * the web service on 127.0.0.1, HTTPS on an ephemeral port. The commit-confirm timer runs as on a box.
 */
final class TestBox implements AutoCloseable {
    final Path dir;
    final ConfigService config;
    final WebService web;
    final LogRing log = new LogRing(100);
    private final ScheduledExecutorService timer;

    private TestBox(Path dir, ConfigService config, WebService web, ScheduledExecutorService timer) {
        this.dir = dir;
        this.config = config;
        this.web = web;
        this.timer = timer;
    }

    static TestBox start(Path dir, Clock webClock, int httpPort) throws IOException {
        return start(dir, webClock, httpPort, Diagnostics.NONE);
    }

    static TestBox start(Path dir, Clock webClock, int httpPort, Diagnostics diagnostics) throws IOException {
        return start(dir, webClock, httpPort, diagnostics, Updates.NONE);
    }

    static TestBox start(Path dir, Clock webClock, int httpPort, Diagnostics diagnostics, Updates updates) throws IOException {
        ConfigService config = new ConfigService(new ConfigStore(dir.resolve("config"), 20, Clock.SYSTEM), ConfigApplier.NONE, Clock.SYSTEM);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        timer.scheduleAtFixedRate(config::poll, 200, 200, TimeUnit.MILLISECONDS);
        ManagementContext ctx = new ManagementContext(config, new ConfigView(config), new LogRing(100), dir, webClock, diagnostics, updates);
        WebService web = WebService.start(ctx, c -> new WebService.Binding(InetAddress.getLoopbackAddress(), 0, true, httpPort));
        return new TestBox(dir, config, web, timer);
    }

    /** A box whose page wants loopback port {@code port} (HTTPS, no redirect). */
    static TestBox startBound(Path dir, int port) throws IOException {
        return startWith(dir, new WebService.Binding(InetAddress.getLoopbackAddress(), port, true, 0));
    }

    /** A box whose page wants {@code binding}, whatever comes of it. */
    static TestBox startWith(Path dir, WebService.Binding binding) throws IOException {
        ConfigService config = new ConfigService(new ConfigStore(dir.resolve("config"), 20, Clock.SYSTEM), ConfigApplier.NONE, Clock.SYSTEM);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        ManagementContext ctx = new ManagementContext(config, new ConfigView(config), new LogRing(100), dir, Clock.SYSTEM, Diagnostics.NONE);
        return new TestBox(dir, config, WebService.start(ctx, c -> binding), timer);
    }

    String base() {
        return "https://127.0.0.1:" + web.port();
    }

    @Override
    public void close() {
        web.close();
        timer.shutdownNow();
    }

    /** Every configured tunnel is up, with counters that grow; the WAN's bytes grow too (for the rate graph). */
    static final class ConfigView implements DeviceView {
        private final ConfigService config;
        private final AtomicLong bytes = new AtomicLong();

        ConfigView(ConfigService config) {
            this.config = config;
        }

        @Override
        public VersionInfo version() {
            return new VersionInfo("test", "sim", config.running().system().hostname(), Duration.ofSeconds(5));
        }

        @Override
        public List<InterfaceStatus> interfaces() {
            long b = bytes.addAndGet(150_000);
            return List.of(new InterfaceStatus("wan", "eth0", true, "02:00:00:00:00:01", "198.51.100.1/24", 1500, b / 1000, b / 900, b, b * 2 / 3, 0));
        }

        @Override
        public List<TunnelStatus> tunnels() {
            return config.running().tunnels().stream().map(t -> new TunnelStatus(t.name(), "198.51.100.1",
                    io.tunnelbox.packet.Ipv4Address.format(t.remote()), "up", 1476, 10, 12, 1000, 1200, 0)).toList();
        }

        @Override
        public List<SegmentStatus> segments() {
            return List.of();
        }

        @Override
        public List<MacEntry> macTable() {
            return List.of(new MacEntry("office", 0, "02:00:00:00:00:0a", "lan", 12));
        }

        @Override
        public List<String> flows() {
            return List.of("table=0, priority=100,in_port=lan actions=goto_table:1 n_packets=3, n_bytes=180");
        }

        @Override
        public List<RouteEntry> routes() {
            return List.of();
        }

        @Override
        public Map<String, Long> counters() {
            return new TreeMap<>(Map.of("router.drop.key-mismatch", 2L));
        }

        @Override
        public void clearCounters() {
        }
    }
}
