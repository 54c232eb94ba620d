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

    String answer(String command) {
        return String.join("\n", text.answer(command));
    }
}
