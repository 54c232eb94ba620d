package io.tunnelbox.console;

import io.tunnelbox.config.ConfigService;
import io.tunnelbox.hal.time.Clock;
import io.tunnelbox.hal.time.Sleeper;
import java.util.Objects;

/**
 * What a console session works with. One context serves every session of a box, so the login
 * throttle's count survives a replugged cable.
 *
 * @param minPasswordLength the shortest admin password accepted when one is set
 */
public record ConsoleContext(ConfigService config, DeviceView device, SystemControl system, LogRing log,
                             LoginThrottle throttle, Clock clock, Sleeper sleeper, int minPasswordLength) {
    public static final int DEFAULT_MIN_PASSWORD_LENGTH = 8;

    public ConsoleContext {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(throttle, "throttle");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(sleeper, "sleeper");
        if (minPasswordLength < 1) {
            throw new IllegalArgumentException("minimum password length must be at least 1: " + minPasswordLength);
        }
    }

    /** The usual context on a box: system clock and sleeper, the shared log ring, default throttle. */
    public static ConsoleContext of(ConfigService config, DeviceView device, SystemControl system) {
        return new ConsoleContext(config, device, system, LogRing.shared(), new LoginThrottle(), Clock.SYSTEM,
                Sleeper.SYSTEM, DEFAULT_MIN_PASSWORD_LENGTH);
    }
}
