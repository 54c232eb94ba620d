package io.tunnelbox.app;

import io.tunnelbox.config.Config;
import io.tunnelbox.config.ConfigService;
import io.tunnelbox.config.Flood;
import io.tunnelbox.config.SegmentConfig;
import io.tunnelbox.config.TunnelConfig;
import io.tunnelbox.management.Diagnostics;
import io.tunnelbox.packet.Ipv4Address;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Diagnostics on a real box, done by the tools a Linux admin would use: {@code ping} from the
 * box, and {@code tcpdump} on the WAN NIC with a filter for one tunnel's or segment's outer packets
 * (its remotes and its protocol), for a bounded time and size.
 */
final class BoxDiagnostics implements Diagnostics {
    private final ConfigService config;
    private final String wanNic;

    BoxDiagnostics(ConfigService config, String wanNic) {
        this.config = config;
        this.wanNic = wanNic;
    }

    @Override
    public List<String> ping(String address, int count) throws IOException {
        if (!Ipv4Address.isValid(address) || count < 1 || count > 10) {
            throw new IllegalArgumentException("ping needs an IPv4 address and 1..10 pings");
        }
        Process p = start(List.of("ping", "-n", "-c", String.valueOf(count), "-W", "2", address));
        try {
            if (!p.waitFor(count * 3L + 5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        return new String(p.getInputStream().readNBytes(64 * 1024), StandardCharsets.UTF_8).lines().toList();
    }

    @Override
    public void capture(String name, Duration duration, long maxBytes, OutputStream out) throws IOException {
        String filter = filter(config.running(), name).orElseThrow(() -> new IOException("no tunnel or segment named " + name));
        List<String> cmd = new ArrayList<>(List.of("timeout", String.valueOf(duration.toSeconds()), "tcpdump", "-i", wanNic,
                "-n", "-U", "-s", "0", "-w", "-"));
        cmd.addAll(List.of(filter.split(" ")));
        Process p = start(cmd);
        long copied = 0;
        try (InputStream in = p.getInputStream()) {
            byte[] buf = new byte[16 * 1024];
            int n;
            while (copied < maxBytes && (n = in.read(buf, 0, (int) Math.min(buf.length, maxBytes - copied))) > 0) {
                out.write(buf, 0, n);
                copied += n;
            }
        } finally {
            p.destroy();
        }
    }

    /** A tcpdump filter for the outer packets of tunnel or segment {@code name}. */
    static Optional<String> filter(Config c, String name) {
        Optional<TunnelConfig> t = c.tunnel(name);
        if (t.isPresent()) {
            return Optional.of("ip proto 47 and host " + Ipv4Address.format(t.get().remote()));
        }
        return c.segment(name).map(s -> {
            String proto = s.transport() == SegmentConfig.Transport.VXLAN ? "udp port " + s.udpPort() : "ip proto 47";
            List<String> hosts = new ArrayList<>();
            if (s.flood().mode() == Flood.Mode.GROUP) {
                hosts.add("host " + Ipv4Address.format(s.flood().group()));
            }
            s.flood().peers().forEach(p -> hosts.add("host " + Ipv4Address.format(p)));
            s.allow().forEach(p -> hosts.add(p.length() == 32 ? "host " + Ipv4Address.format(p.address()) : "net " + p));
            return hosts.isEmpty() ? proto : proto + " and ( " + String.join(" or ", hosts) + " )";
        });
    }

    private static Process start(List<String> cmd) throws IOException {
        try {
            return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IOException(cmd.get(0).equals("timeout") ? "tcpdump cannot run here: " + e.getMessage()
                    : cmd.get(0) + " cannot run here: " + e.getMessage(), e);
        }
    }
}
