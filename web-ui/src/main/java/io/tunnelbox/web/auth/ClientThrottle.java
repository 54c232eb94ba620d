package io.tunnelbox.web.auth;

import io.tunnelbox.console.LoginThrottle;
import io.tunnelbox.hal.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slows password (and setup code) guessing per client address with the console's
 * {@link LoginThrottle} rule: a few free failures, then each one doubles the wait, up to a minute.
 * A web server cannot make a client wait, so it refuses attempts until the wait is over.
 */
public final class ClientThrottle {
    private static final int MAX_CLIENTS = 1024;
    private final Clock clock;
    private final Map<String, Entry> clients = new LinkedHashMap<>(16, 0.75f, true);

    private static final class Entry {
        final LoginThrottle throttle = new LoginThrottle();
        long notBeforeNanos;
        boolean waiting;
    }

    public ClientThrottle(Clock clock) {
        this.clock = clock;
    }

    /** How long {@code client} must still wait before its next attempt (zero: go ahead). */
    public synchronized Duration wait(String client) {
        Entry e = clients.get(client);
        if (e == null || !e.waiting) {
            return Duration.ZERO;
        }
        long left = e.notBeforeNanos - clock.nanoTime();
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    public synchronized void failed(String client) {
        Entry e = clients.computeIfAbsent(client, k -> new Entry());
        Duration d = e.throttle.failed();
        e.waiting = !d.isZero();
        e.notBeforeNanos = clock.nanoTime() + d.toNanos();
        if (clients.size() > MAX_CLIENTS) {
            Iterator<String> eldest = clients.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
    }

    public synchronized void succeeded(String client) {
        clients.remove(client);
    }
}
