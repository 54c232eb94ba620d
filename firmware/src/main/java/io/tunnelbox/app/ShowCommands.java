package io.tunnelbox.app;

import io.tunnelbox.config.ConfigService;
import io.tunnelbox.console.DeviceView;
import io.tunnelbox.console.LogRing;

/**
 * Answers the read-only {@code show} commands of the control socket: the console's renderer over
 * the same {@link DeviceView}, so {@code tunnelbox ctl show ...} prints what the console prints
 * (secrets hidden alike).
 */
final class ShowCommands {
    private final io.tunnelbox.console.ShowCommands text;

    ShowCommands(ConfigService config, DeviceView device) {
        this.text = new io.tunnelbox.console.ShowCommands(device, config, LogRing.shared());
    }

    /** Over the engine's own view, for a box without sysfs NICs to name (tests). */
    ShowCommands(ConfigService config, DatapathApplier dataplane) {
        this(config, new EngineDeviceView(config, dataplane, io.tunnelbox.hal.time.Clock.SYSTEM, "-", "wan", "lan"));
    }

    String answer(String command) {
        return String.join("\n", text.answer(command));
    }
}
