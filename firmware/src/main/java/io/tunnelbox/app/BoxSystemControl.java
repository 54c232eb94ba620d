package io.tunnelbox.app;

import io.tunnelbox.console.SystemControl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.tinylog.Logger;

/**
 * What the console and the reset button may do to the box. A factory reset keeps the old
 * configuration and its history as a backup folder beside it; both then restart the firmware
 * (systemd's {@code Restart=always} brings it back; in the lab the box simply stops).
 */
final class BoxSystemControl implements SystemControl {
    /** Exit code that asks the service manager for a restart. */
    static final int RESTART_EXIT_CODE = 75;

    private final Path configDir;
    private volatile java.util.function.Function<String, String> updater;

    BoxSystemControl(Path configDir) {
        this.configDir = configDir;
    }

    @Override
    public void reboot() {
        Logger.warn("reboot requested");
        if (Files.isExecutable(Path.of("/usr/bin/systemctl")) && Files.isDirectory(Path.of("/run/systemd/system"))) {
            try {
                new ProcessBuilder(List.of("/usr/bin/systemctl", "reboot")).inheritIO().start();
                return;
            } catch (IOException e) {
                Logger.error("systemctl reboot failed: {}; restarting the firmware instead", e.getMessage());
            }
        }
        exitForRestart();
    }

    /** Set once the update agent runs (after the configuration is loaded). */
    void updater(java.util.function.Function<String, String> updater) {
        this.updater = updater;
    }

    @Override
    public String update(String bundleFile) {
        var u = updater;
        return u == null ? "error: the box is still starting; try again in a moment" : u.apply(bundleFile);
    }

    @Override
    public void factoryReset() {
        Path backup = configDir.resolveSibling(configDir.getFileName() + ".backup-" + System.currentTimeMillis());
        try {
            if (Files.exists(configDir)) {
                Files.move(configDir, backup);
            }
            Logger.warn("factory reset: configuration moved to {}; restarting with factory defaults", backup);
        } catch (IOException e) {
            Logger.error("factory reset failed, configuration untouched: {}", e.getMessage());
            return;
        }
        exitForRestart();
    }

    static void exitForRestart() {
        Thread.ofPlatform().start(() -> System.exit(RESTART_EXIT_CODE));
    }
}
