package io.tunnelbox.web.auth;

import io.tunnelbox.hal.time.Clock;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Logged-in browser sessions, in memory (a restart logs everyone out). An id is 256 random bits;
 * each session has its own CSRF token. A session ends after {@code idle} without a request or
 * {@code absolute} after login, whichever comes first; at most {@code max} live at once (the
 * oldest goes).
 */
public final class Sessions {
    public static final Duration DEFAULT_IDLE = Duration.ofMinutes(15);
    public static final Duration DEFAULT_ABSOLUTE = Duration.ofHours(8);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;
    private final long idleNanos;
    private final long absoluteNanos;
    private final int max;
    private final Map<String, Session> byId = new LinkedHashMap<>();

    /** One login. Only the id travels in the cookie; the CSRF token in a header. */
    public static final class Session {
        private final String id;
        private final String user;
        private final String csrf;
        private final long createdNanos;
        private long lastSeenNanos;

        private Session(String id, String user, String csrf, long now) {
            this.id = id;
            this.user = user;
            this.csrf = csrf;
            this.createdNanos = now;
            this.lastSeenNanos = now;
        }

        public String id() {
            return id;
        }

        public String user() {
            return user;
        }

        public String csrf() {
            return csrf;
        }

        /** Constant-time comparison with the token a request carried. */
        public boolean csrfMatches(String token) {
            return token != null && MessageDigest.isEqual(csrf.getBytes(StandardCharsets.US_ASCII),
                    token.getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public String toString() {
            return "Session[" + user + "]"; // the id and token stay out of logs
        }
    }

    public Sessions(Clock clock, Duration idle, Duration absolute, int max) {
        this.clock = clock;
        this.idleNanos = idle.toNanos();
        this.absoluteNanos = absolute.toNanos();
        this.max = max;
    }

    public synchronized Session create(String user) {
        long now = clock.nanoTime();
        expire(now);
        while (byId.size() >= max) {
            Iterator<String> oldest = byId.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        Session s = new Session(token(), user, token(), now);
        byId.put(s.id, s);
        return s;
    }

    /** The live session with this id (and it counts as activity), or empty when unknown or expired. */
    public synchronized Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        long now = clock.nanoTime();
        Session s = byId.get(id);
        if (s == null) {
            return Optional.empty();
        }
        if (expired(s, now)) {
            byId.remove(id);
            return Optional.empty();
        }
        s.lastSeenNanos = now;
        return Optional.of(s);
    }

    public synchronized void remove(String id) {
        byId.remove(id);
    }

    /** Ends every session of {@code user} (after a password change) except {@code keep}. */
    public synchronized void removeUser(String user, String keep) {
        byId.values().removeIf(s -> s.user.equals(user) && !s.id.equals(keep));
    }

    public synchronized int size() {
        expire(clock.nanoTime());
        return byId.size();
    }

    private void expire(long now) {
        byId.values().removeIf(s -> expired(s, now));
    }

    private boolean expired(Session s, long now) {
        return now - s.lastSeenNanos >= idleNanos || now - s.createdNanos >= absoluteNanos;
    }

    static String token() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
