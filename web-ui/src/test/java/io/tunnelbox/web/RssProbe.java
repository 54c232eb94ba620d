package io.tunnelbox.web;

import io.tunnelbox.config.ConfigApplier;
import io.tunnelbox.config.ConfigService;
import io.tunnelbox.config.ConfigStore;
import io.tunnelbox.console.LogRing;
import io.tunnelbox.hal.time.Clock;
import io.tunnelbox.management.Diagnostics;
import io.tunnelbox.management.ManagementContext;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Measures what the web page adds to a process's resident memory (firmware/BENCHMARKS.md, "Web
 * page"). Run with the box's JVM flags: it loads a configuration service (as a box has), prints
 * VmRSS, starts the page, prints again, writes the page's address and setup code to
 * {@code args[0]} for an outside client (curl: no client code in this process), and prints VmRSS
 * again after {@code args[1]} seconds.
 */
public final class RssProbe {
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("rss-probe");
        ConfigService config = new ConfigService(new ConfigStore(dir.resolve("config"), 20, Clock.SYSTEM), ConfigApplier.NONE, Clock.SYSTEM);
        config.runningTree();
        System.gc();
        Thread.sleep(1000);
        System.out.println("without the page: " + rss());
        ManagementContext ctx = new ManagementContext(config, new TestBox.ConfigView(config), new LogRing(1000), dir, Clock.SYSTEM, Diagnostics.NONE);
        WebService web = WebService.start(ctx, c -> new WebService.Binding(InetAddress.getLoopbackAddress(), 0, true, 0));
        Thread.sleep(1000);
        System.out.println("page started: " + rss());
        Files.writeString(Path.of(args[0]), web.port() + " " + web.setupCode().orElseThrow() + "\n");
        Thread.sleep(Long.parseLong(args[1]) * 1000);
        System.out.println("after the client's requests: " + rss());
        web.close();
    }

    static String rss() throws Exception {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS") || l.startsWith("VmHWM"))
                .map(l -> l.replaceAll("\\s+", " ")).reduce((a, b) -> a + ", " + b).orElse("?");
    }
}
