package io.tunnelbox.web.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.tunnelbox.web.auth.Sessions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.tinylog.Logger;

/**
 * Every request goes through here: the page's files, then the API's routes with the route's access
 * rule enforced before its handler runs (session, CSRF token on state-changing methods, same-origin,
 * JSON bodies within a size limit), and the security headers on every answer.
 */
public final class WebHandler implements HttpHandler {
    public static final String SESSION_COOKIE = "tbx_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    /** No inline script or style, nothing from elsewhere, never in a frame. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private final Router router;
    private final StaticFiles files;
    private final Sessions sessions;
    private final Supplier<String> metricsToken;

    public WebHandler(Router router, StaticFiles files, Sessions sessions, Supplier<String> metricsToken) {
        this.router = router;
        this.files = files;
        this.sessions = sessions;
        this.metricsToken = metricsToken;
    }

    /** The Set-Cookie value for a new session (or, with null, one that clears it); Secure over HTTPS. */
    public static String sessionCookie(Sessions.Session s, boolean secure) {
        String attrs = "; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
        return s == null ? SESSION_COOKIE + "=; Max-Age=0" + attrs : SESSION_COOKIE + "=" + s.id() + attrs;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            Response r;
            try {
                r = dispatch(ex);
            } catch (ApiException e) {
                r = Response.error(e.status(), e.getMessage(), e.field());
            } catch (Exception e) {
                Logger.error(e, "web: {} {} failed", ex.getRequestMethod(), ex.getRequestURI().getPath());
                r = Response.error(500, "internal error: " + e.getClass().getSimpleName(), null);
            }
            try {
                send(ex, r);
            } finally {
                r.sent();
            }
        } catch (IOException e) {
            Logger.debug("web: client went away: {}", e.getMessage());
        }
    }

    private Response dispatch(HttpExchange ex) throws Exception {
        String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
        URI uri = ex.getRequestURI();
        String path = uri.getPath() == null ? "/" : uri.getPath();
        boolean read = method.equals("GET") || method.equals("HEAD");
        if (read) {
            Optional<Response> file = files.get(path);
            if (file.isPresent()) {
                return file.get();
            }
        }
        Optional<Router.Match> match = router.find(method.equals("HEAD") ? "GET" : method, path);
        if (match.isEmpty()) {
            throw router.knowsPath(path) ? new ApiException(405, method + " is not allowed on " + path)
                    : new ApiException(404, "no such page or API route: " + path);
        }
        Router.Route route = match.get().route();
        // Read the (bounded) body before any refusal: a refused request whose body is left unread
        // can stall the connection for the client's next request.
        byte[] body = readBody(ex, route.maxBody());
        Sessions.Session session = null;
        switch (route.access()) {
            case SESSION -> {
                session = sessions.find(cookie(ex, SESSION_COOKIE)).orElseThrow(() ->
                        new ApiException(401, "not logged in, or the session expired: log in again"));
                if (!read && !session.csrfMatches(ex.getRequestHeaders().getFirst(CSRF_HEADER))) {
                    throw new ApiException(403, "missing or wrong CSRF token (" + CSRF_HEADER + " header)");
                }
            }
            case METRICS_TOKEN -> {
                String token = metricsToken.get();
                String given = ex.getRequestHeaders().getFirst("Authorization");
                if (token.isEmpty() || given == null || !MessageDigest.isEqual(("Bearer " + token).getBytes(StandardCharsets.UTF_8),
                        given.getBytes(StandardCharsets.UTF_8))) {
                    throw new ApiException(401, token.isEmpty() ? "metrics are off (set web.metricsToken)"
                            : "a bearer token (web.metricsToken) is required");
                }
            }
            case PUBLIC -> session = sessions.find(cookie(ex, SESSION_COOKIE)).orElse(null);
        }
        if (!read) {
            sameOrigin(ex);
            if (route.access() == Router.Access.PUBLIC) {
                requireJson(ex);
            }
        }
        String client = ex.getRemoteAddress().getAddress().getHostAddress();
        return route.handler().handle(new Request(method, path, match.get().parameter(), uri.getRawQuery(), body, session, client));
    }

    /** A browser sends Origin on cross-site requests: refuse any that is not this page's. */
    private static void sameOrigin(HttpExchange ex) throws ApiException {
        String origin = ex.getRequestHeaders().getFirst("Origin");
        String host = ex.getRequestHeaders().getFirst("Host");
        if (origin == null) {
            return;
        }
        String bare = origin.replaceFirst("^https?://", "");
        if (host == null || !bare.equalsIgnoreCase(host)) {
            throw new ApiException(403, "cross-origin request refused (Origin " + origin + ")");
        }
    }

    /** A plain HTML form cannot send JSON: public POSTs (login, setup) take JSON only. */
    private static void requireJson(HttpExchange ex) throws ApiException {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new ApiException(415, "send the body as application/json");
        }
    }

    private static byte[] readBody(HttpExchange ex, long max) throws IOException, ApiException {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.strip()) > max) {
                    throw new ApiException(413, "request body larger than " + max + " bytes");
                }
            } catch (NumberFormatException e) {
                throw new ApiException(400, "bad Content-Length: " + length);
            }
        }
        try (InputStream in = ex.getRequestBody()) {
            byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            if (b.length > max) {
                throw new ApiException(413, "request body larger than " + max + " bytes");
            }
            return b;
        }
    }

    static String cookie(HttpExchange ex, String name) {
        for (String header : ex.getRequestHeaders().getOrDefault("Cookie", java.util.List.of())) {
            for (String part : header.split(";")) {
                String p = part.strip();
                if (p.startsWith(name + "=")) {
                    return p.substring(name.length() + 1);
                }
            }
        }
        return null;
    }

    private static void send(HttpExchange ex, Response r) throws IOException {
        var h = ex.getResponseHeaders();
        h.set("Content-Security-Policy", CSP);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer");
        h.set("X-Frame-Options", "DENY");
        h.set("Cross-Origin-Opener-Policy", "same-origin");
        h.set("Cross-Origin-Resource-Policy", "same-origin");
        h.set("Cache-Control", "no-store");
        r.headers().forEach(h::set);
        if (r.contentType() != null) {
            h.set("Content-Type", r.contentType());
        }
        boolean head = ex.getRequestMethod().equalsIgnoreCase("HEAD");
        if (r.streamer() != null) {
            ex.sendResponseHeaders(r.status(), 0); // chunked: the length is not known yet
            try (OutputStream out = ex.getResponseBody()) {
                r.streamer().write(out);
            }
            return;
        }
        byte[] body = r.body();
        ex.sendResponseHeaders(r.status(), head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
