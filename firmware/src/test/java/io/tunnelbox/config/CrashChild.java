package io.tunnelbox.config;

import io.tunnelbox.hal.time.Clock;

import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The process {@link ConfigCrashSafetyTest} kills: saves version after version and notes each in a
 * progress file ("saving N" before, "saved N" after; one write system call each, so the lines
 * survive SIGKILL in the page cache) so the test knows which two versions may be on disk.
 */
public final class CrashChild {
    private CrashChild() {
    }

    /** Version {@code n}: hostname "v{n}" and enough tunnels to make the file span several pages. */
    static Config version(int n) {
        List<TunnelConfig> tunnels = new ArrayList<>();
        for (int t = 0; t < 60; t++) {
            tunnels.add(new TunnelConfig("t" + t, 0, 0x0a000001 + t * 256 + (n % 200), OptionalLong.of(n * 100L + t), OptionalLong.of(n * 100L + t),
                    true, false, 64, 0, true, TunnelConfig.MTU_AUTO, Keepalive.OFF, TunnelConfig.MSS_AUTO));
        }
        Config d = Config.defaults();
        return new Config(new SystemConfig("v" + n, List.of()), d.interfaces(), tunnels, List.of(), List.of(), d.web(), d.console());
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int first = Integer.parseInt(args[1]);
        ConfigStore store = new ConfigStore(dir, 5, Clock.SYSTEM);
        store.load();
        System.out.println("ready");
        System.out.flush();
        try (FileOutputStream progress = new FileOutputStream(args[2], true)) {
            for (int n = first; n < first + 100_000; n++) {
                progress.write(("saving " + n + "\n").getBytes(StandardCharsets.US_ASCII));
                store.save(version(n), "crash-test", "save " + n);
                progress.write(("saved " + n + "\n").getBytes(StandardCharsets.US_ASCII));
            }
        }
    }
}
