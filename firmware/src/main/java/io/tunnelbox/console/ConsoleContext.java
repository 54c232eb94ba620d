package io.tunnelbox.console;

import io.tunnelbox.config.ConfigService;
import io.tunnelbox.hal.time.Clock;
import io.tunnelbox.hal.time.Sleeper;
import java.time.Duration;
import java.util.Objects;

/**
 * What a console session works with. One context serves every session of a box, so the login
 * throttle's count survives a replugged cable.
 *
 * @param minPasswordLength the shortest admin password accepted when one is set
 * @param idleTimeout       a logged-in session with no keystroke for this long is logged out
 *                          (on a serial line; a cable left plugged in must not stay logged in)
 * @param probes            sends the echo requests of {@code ping} and {@code traceroute}
 * @param stash             candidates of sessions that ended without exit, back at the next login
 */
public record ConsoleContext(ConfigService config, DeviceView device, SystemControl system, LogRing log,
                             LoginThrottle throttle, Clock clock, Sleeper sleeper, int minPasswordLength,
                             Duration idleTimeout, Probes probes, CandidateStash stash) {
    public static final int DEFAULT_MIN_PASSWORD_LENGTH = 8;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(15);

    public ConsoleContext {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(throttle, "throttle");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(sleeper, "sleeper");
        Objects.requireNonNull(probes, "probes");
        Objects.requireNonNull(stash, "stash");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idle timeout must be positive: " + idleTimeout);
        }
        if (minPasswordLength < 1) {
            throw new IllegalArgumentException("minimum password length must be at least 1: " + minPasswordLength);
        }
    }

    /** A context without probes (ping says it is not available) and with a stash of its own. */
    public ConsoleContext(ConfigService config, DeviceView device, SystemControl system, LogRing log,
                          LoginThrottle throttle, Clock clock, Sleeper sleeper, int minPasswordLength,
                          Duration idleTimeout) {
        this(config, device, system, log, throttle, clock, sleeper, minPasswordLength, idleTimeout, Probes.NONE,
                new CandidateStash());
    }

    /** The usual context on a box: system clock and sleeper, the shared log ring, default throttle. */
    public static ConsoleContext of(ConfigService config, DeviceView device, SystemControl system) {
        return of(config, device, system, Probes.NONE);
    }

    public static ConsoleContext of(ConfigService config, DeviceView device, SystemControl system, Probes probes) {
        return new ConsoleContext(config, device, system, LogRing.shared(), new LoginThrottle(), Clock.SYSTEM,
                Sleeper.SYSTEM, DEFAULT_MIN_PASSWORD_LENGTH, DEFAULT_IDLE_TIMEOUT, probes, new CandidateStash());
    }

    /** The same context with other probes (the box's, or a test's). */
    public ConsoleContext withProbes(Probes p) {
        return new ConsoleContext(config, device, system, log, throttle, clock, sleeper, minPasswordLength, idleTimeout,
                p, stash);
    }
}
