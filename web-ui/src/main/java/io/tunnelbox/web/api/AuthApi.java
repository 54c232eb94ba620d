package io.tunnelbox.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunnelbox.config.CommitResult;
import io.tunnelbox.config.ConfigService;
import io.tunnelbox.config.PasswordHash;
import io.tunnelbox.web.auth.ClientThrottle;
import io.tunnelbox.web.auth.LoggedName;
import io.tunnelbox.web.auth.Sessions;
import io.tunnelbox.web.auth.SetupCode;
import io.tunnelbox.web.http.ApiException;
import io.tunnelbox.web.http.Request;
import io.tunnelbox.web.http.Response;
import io.tunnelbox.web.http.Router;
import io.tunnelbox.web.http.WebHandler;
import java.util.function.BooleanSupplier;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.tinylog.Logger;

/**
 * Login, logout, the first admin (with the one-time setup code) and password changes, against the
 * one account store the console uses (the configuration's admins, {@link PasswordHash}).
 */
public final class AuthApi {
    /** The console's rule for admin names. */
    private static final Pattern ADMIN_NAME = Pattern.compile("[a-z][a-z0-9_.-]{0,31}");
    public static final int MIN_PASSWORD = 8;
    private static final int MAX_PASSWORD = 256;

    private final ConfigService config;
    private final Sessions sessions;
    private final SetupCode setupCode;
    private final ClientThrottle throttle;
    private final BooleanSupplier secure;

    public AuthApi(ConfigService config, Sessions sessions, SetupCode setupCode, ClientThrottle throttle, BooleanSupplier secure) {
        this.config = config;
        this.sessions = sessions;
        this.setupCode = setupCode;
        this.throttle = throttle;
        this.secure = secure;
    }

    public void register(Router r) {
        r.add("GET", "/api/session", Router.Access.PUBLIC, this::session);
        r.add("POST", "/api/setup", Router.Access.PUBLIC, 4096, this::setup);
        r.add("POST", "/api/login", Router.Access.PUBLIC, 4096, this::login);
        r.add("POST", "/api/logout", Router.Access.SESSION, 4096, this::logout);
        r.add("POST", "/api/account/password", Router.Access.SESSION, 4096, this::password);
    }

    /** Who is logged in (with the CSRF token the page needs); 401 with whether setup is needed otherwise. */
    private Response session(Request req) {
        if (req.session() == null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("error", "not logged in");
            m.put("field", null);
            m.put("setupNeeded", !config.hasAdmin());
            return Response.json(401, m);
        }
        return Response.json(loggedIn(req.session()));
    }

    private Map<String, Object> loggedIn(Sessions.Session s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user", s.user());
        m.put("csrf", s.csrf());
        m.put("hostname", config.running().system().hostname());
        return m;
    }

    private Response setup(Request req) throws ApiException {
        notThrottled(req);
        if (config.hasAdmin()) {
            setupCode.use();
            throw new ApiException(403, "this box has an admin already: log in");
        }
        JsonNode body = req.json();
        if (!setupCode.matches(body.path("code").asText(null))) {
            throttle.failed(req.client());
            Logger.warn("web: wrong setup code from {}", req.client());
            throw new ApiException(403, "wrong setup code (it is shown on the serial console and in the log)", "code");
        }
        String name = body.path("name").asText("admin").strip();
        if (!ADMIN_NAME.matcher(name).matches()) {
            throw new ApiException(422, "a name is 1 to 32 lower-case letters, digits, '_', '.' or '-', starting with a letter", "name");
        }
        char[] password = password(body, "password");
        try {
            CommitResult r;
            synchronized (setupCode) {
                if (config.hasAdmin() || setupCode.current().isEmpty()) {
                    throw new ApiException(403, "this box has an admin already: log in");
                }
                r = config.setAdminPassword(name, password, "web:" + name);
                if (r.ok()) {
                    setupCode.use();
                }
            }
            if (!r.ok()) {
                throw new ApiException(500, "could not store the admin account: " + r.errors());
            }
        } finally {
            PasswordHash.wipe(password);
        }
        throttle.succeeded(req.client());
        Logger.info("web: first admin account {} created from {}", LoggedName.of(name), req.client());
        Sessions.Session s = sessions.create(name);
        return Response.json(loggedIn(s)).header("Set-Cookie", WebHandler.sessionCookie(s, secure.getAsBoolean()));
    }

    private Response login(Request req) throws ApiException {
        notThrottled(req);
        JsonNode body = req.json();
        String name = body.path("name").asText("").strip();
        char[] password = body.path("password").asText("").toCharArray();
        Optional<Boolean> ok;
        try {
            ok = throttle.attempt(req.client(), () -> !name.isEmpty() && config.checkPassword(name, password));
        } finally {
            PasswordHash.wipe(password);
        }
        if (ok.isEmpty()) {
            throw busy(req);
        }
        if (!ok.get()) {
            Logger.warn("web: failed login for {} from {}", LoggedName.of(name), req.client());
            throw new ApiException(401, "wrong name or password", "password");
        }
        Logger.info("web: {} logged in from {}", LoggedName.of(name), req.client());
        Sessions.Session s = sessions.create(name);
        return Response.json(loggedIn(s)).header("Set-Cookie", WebHandler.sessionCookie(s, secure.getAsBoolean()));
    }

    private Response logout(Request req) {
        sessions.remove(req.session().id());
        Logger.info("web: {} logged out", req.user());
        return Response.json(Map.of("loggedOut", true)).header("Set-Cookie", WebHandler.sessionCookie(null, secure.getAsBoolean()));
    }

    private Response password(Request req) throws ApiException {
        // The current password is asked so that an open (or stolen) session cannot take the
        // account: guessing it here is throttled and logged like a login.
        notThrottled(req);
        JsonNode body = req.json();
        char[] current = body.path("current").asText("").toCharArray();
        Optional<Boolean> ok;
        try {
            ok = throttle.attempt(req.client(), () -> config.checkPassword(req.user(), current));
        } finally {
            PasswordHash.wipe(current);
        }
        if (ok.isEmpty()) {
            throw busy(req);
        }
        if (!ok.get()) {
            Logger.warn("web: wrong current password for {} from {} (password change)", req.user(), req.client());
            throw new ApiException(403, "the current password is wrong", "current");
        }
        char[] password = password(body, "password");
        try {
            CommitResult r = config.setAdminPassword(req.user(), password, "web:" + req.user());
            if (!r.ok()) {
                throw new ApiException(500, "could not store the password: " + r.errors());
            }
        } finally {
            PasswordHash.wipe(password);
        }
        sessions.removeUser(req.user(), req.session().id());
        return Response.json(Map.of("changed", true));
    }

    /** A check refused by {@link ClientThrottle#attempt}: the wait, or another check from the client still running. */
    private ApiException busy(Request req) {
        Duration wait = throttle.wait(req.client());
        long s = Math.max(1, (wait.toMillis() + 999) / 1000);
        return new ApiException(429, wait.isZero() ? "another login from your address is being checked: try again in 1 s"
                : "too many failed attempts: try again in " + s + " s");
    }

    private void notThrottled(Request req) throws ApiException {
        Duration wait = throttle.wait(req.client());
        if (!wait.isZero()) {
            long s = Math.max(1, (wait.toMillis() + 999) / 1000);
            throw new ApiException(429, "too many failed attempts: try again in " + s + " s");
        }
    }

    private static char[] password(JsonNode body, String field) throws ApiException {
        String p = body.path(field).asText("");
        if (p.length() < MIN_PASSWORD) {
            throw new ApiException(422, "at least " + MIN_PASSWORD + " characters", field);
        }
        if (p.length() > MAX_PASSWORD) {
            throw new ApiException(422, "at most " + MAX_PASSWORD + " characters", field);
        }
        return p.toCharArray();
    }
}
