package io.tunnelbox.app;

import io.tunnelbox.config.ConfigService;
import io.tunnelbox.console.DeviceView;
import io.tunnelbox.console.LogRing;
import java.nio.file.Path;

/**
 * Answers the control socket: the read-only {@code show} commands through the console's renderer
 * over the same {@link DeviceView}, so {@code tunnelbox ctl show ...} prints what the console
 * prints (secrets hidden alike), plus {@code update FILE} and {@code show update}.
 */
final class ShowCommands {
    private final io.tunnelbox.console.ShowCommands text;
    private final UpdateHealth updates;

    ShowCommands(ConfigService config, DeviceView device) {
        this(config, device, null);
    }

    ShowCommands(ConfigService config, DeviceView device, UpdateHealth updates) {
        this.text = new io.tunnelbox.console.ShowCommands(device, config, LogRing.shared());
        this.updates = updates;
    }

    /** Over the engine's own view, for a box without sysfs NICs to name (tests). */
    ShowCommands(ConfigService config, DatapathApplier dataplane) {
        this(config, new EngineDeviceView(config, dataplane, io.tunnelbox.hal.time.Clock.SYSTEM, "-", "wan", "lan"));
    }

    String answer(String command) {
        String c = command.strip().replaceAll("\\s+", " ");
        if (c.startsWith("update ") || c.equals("show update") || c.equals("show update json")) {
            if (updates == null) {
                return "error: this box does not update itself (no update slots)";
            }
            // Root only (the socket's mode): the bundle is checked against the trusted keys anyway.
            return c.startsWith("update ") ? updates.update(Path.of(c.substring("update ".length())))
                    : c.endsWith("json") ? updates.statusJson() : updates.describe();
        }
        return String.join("\n", text.answer(command));
    }
}
