package io.tunnelbox.web.auth;

import io.tunnelbox.console.LoginThrottle;
import io.tunnelbox.hal.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Slows password (and setup code) guessing per client address with the console's
 * {@link LoginThrottle} rule: a few free failures, then each one doubles the wait, up to a minute.
 * A web server cannot make a client wait, so it refuses attempts until the wait is over.
 */
public final class ClientThrottle {
    private static final int MAX_CLIENTS = 1024;
    private final Clock clock;
    private final Map<String, Entry> clients = new LinkedHashMap<>(16, 0.75f, true);
    /** Clients with a check running now (one each). */
    private final Set<String> checking = new HashSet<>();

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

    /**
     * Runs {@code check} (a password check) for {@code client} and counts its outcome, one check at
     * a time per client: checks run side by side (the web server takes requests in parallel) would
     * all pass {@link #wait} before the first failure is counted, so hundreds of guesses would fit
     * in one wait, and as many PBKDF2 runs would load the board at once. Empty, without running the
     * check, while the client must wait or has a check running: the caller refuses like a wait.
     */
    public Optional<Boolean> attempt(String client, BooleanSupplier check) {
        synchronized (this) {
            if (!wait(client).isZero() || !checking.add(client)) {
                return Optional.empty();
            }
        }
        boolean ok = false;
        try {
            ok = check.getAsBoolean();
            return Optional.of(ok);
        } finally {
            synchronized (this) {
                if (ok) {
                    succeeded(client);
                } else {
                    failed(client);
                }
                checking.remove(client);
            }
        }
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
