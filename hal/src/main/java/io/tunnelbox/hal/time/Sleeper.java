package io.tunnelbox.hal.time;

import java.time.Duration;

/**
 * Waiting, injected like {@link Clock}: retry timers and login back-off sleep through it, so tests
 * record the waits instead of spending them.
 */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;

    Sleeper SYSTEM = d -> Thread.sleep(d);
}
