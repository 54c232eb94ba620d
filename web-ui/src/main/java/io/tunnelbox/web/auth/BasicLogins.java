package io.tunnelbox.web.auth;

import io.tunnelbox.config.AdminAccount;
import io.tunnelbox.config.ConfigService;
import io.tunnelbox.config.PasswordHash;
import io.tunnelbox.hal.time.Clock;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.tinylog.Logger;

/**
 * HTTP Basic admin logins, for tools ({@code tunnelbox-flash push}): the same accounts and
 * {@link PasswordHash} as the console and the page, throttled per client with the login's
 * {@link ClientThrottle}. A tool asks for the update status every second while it follows an
 * update, and a PBKDF2 check costs a small board a good part of a second, so a login that passed
 * is remembered for a minute: under an HMAC of the header with a key made at start (never the
 * password itself), together with the account's hash at that time, so a password change ends it.
 */
public final class BasicLogins {
    static final Duration REMEMBER = Duration.ofMinutes(1);
    private static final int MAX_REMEMBERED = 16;

    /** The outcome: the admin's name, or null with how long the client must wait (zero: the login was wrong). */
    public record Login(String admin, Duration retryAfter) {
        public boolean ok() {
            return admin != null;
        }
    }

    private record Remembered(String admin, String hash, long untilNanos) {
    }

    private final ConfigService config;
    private final ClientThrottle throttle;
    private final Clock clock;
    private final byte[] key = new byte[32];
    private final Map<String, Remembered> remembered = new LinkedHashMap<>();

    public BasicLogins(ConfigService config, ClientThrottle throttle, Clock clock) {
        this.config = config;
        this.throttle = throttle;
        this.clock = clock;
        new SecureRandom().nextBytes(key);
    }

    /** Checks an {@code Authorization: Basic ...} header from {@code client}. */
    public Login check(String header, String client) {
        Duration wait = throttle.wait(client);
        if (!wait.isZero()) {
            return new Login(null, wait);
        }
        String tag = tag(header);
        Optional<String> known = recall(tag);
        if (known.isPresent()) {
            return new Login(known.get(), Duration.ZERO);
        }
        String name = "";
        char[] password = new char[0];
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring("Basic ".length()).strip()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon > 0) {
                name = decoded.substring(0, colon);
                password = decoded.substring(colon + 1).toCharArray();
            }
        } catch (IllegalArgumentException e) {
            // not Base64: a wrong login like any other
        }
        String user = name;
        char[] given = password;
        Optional<Boolean> ok;
        try {
            ok = throttle.attempt(client, () -> !user.isEmpty() && config.checkPassword(user, given));
        } finally {
            PasswordHash.wipe(password);
        }
        if (ok.isEmpty()) {
            Duration left = throttle.wait(client);
            return new Login(null, left.isZero() ? Duration.ofSeconds(1) : left);
        }
        if (!ok.get()) {
            Logger.warn("web: failed HTTP Basic login for {} from {}", LoggedName.of(name), client);
            return new Login(null, Duration.ZERO);
        }
        Logger.info("web: {} authenticated with HTTP Basic from {}", LoggedName.of(name), client);
        remember(tag, name);
        return new Login(name, Duration.ZERO);
    }

    private synchronized Optional<String> recall(String tag) {
        long now = clock.nanoTime();
        remembered.values().removeIf(r -> now - r.untilNanos >= 0);
        Remembered r = remembered.get(tag);
        if (r == null || !r.hash.equals(hash(r.admin))) {
            return Optional.empty();
        }
        return Optional.of(r.admin);
    }

    private synchronized void remember(String tag, String admin) {
        remembered.put(tag, new Remembered(admin, hash(admin), clock.nanoTime() + REMEMBER.toNanos()));
        while (remembered.size() > MAX_REMEMBERED) {
            Iterator<String> oldest = remembered.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    private String hash(String admin) {
        return config.running().system().admin(admin).map(AdminAccount::passwordHash).orElse("");
    }

    private String tag(String header) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(header.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
