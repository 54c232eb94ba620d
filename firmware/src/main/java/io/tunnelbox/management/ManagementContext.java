package io.tunnelbox.management;

import io.tunnelbox.config.ConfigService;
import io.tunnelbox.console.DeviceView;
import io.tunnelbox.console.LogRing;
import io.tunnelbox.hal.time.Clock;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What a front end works with: the one configuration service, the typed live snapshots the console
 * renders too, the recent log, a state directory of its own (for keys and certificates), the clock,
 * the box's diagnostics and its firmware updates.
 */
public record ManagementContext(ConfigService config, DeviceView device, LogRing log, Path stateDir, Clock clock,
                                Diagnostics diagnostics, Updates updates) {
    /** Without firmware updates (tests, tools). */
    public ManagementContext(ConfigService config, DeviceView device, LogRing log, Path stateDir, Clock clock,
                             Diagnostics diagnostics) {
        this(config, device, log, stateDir, clock, diagnostics, Updates.NONE);
    }

    public ManagementContext {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(diagnostics, "diagnostics");
        Objects.requireNonNull(updates, "updates");
    }
}
