package io.tunnelbox.web.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.tunnelbox.web.auth.BasicLogins;
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

    /** How much of a refused request body is read and dropped so the client still gets the answer. */
    static final long REFUSED_BODY_DRAIN = 1 << 20;

    private final Router router;
    private final StaticFiles files;
    private final Sessions sessions;
    private final Supplier<String> metricsToken;
    private final BasicLogins basic;

    public WebHandler(Router router, StaticFiles files, Sessions sessions, Supplier<String> metricsToken, BasicLogins basic) {
        this.router = router;
        this.files = files;
        this.sessions = sessions;
        this.metricsToken = metricsToken;
        this.basic = basic;
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
                if (streamed(ex)) {
                    // An upload refused (or cut off) before its end leaves bytes in the connection:
                    // it cannot carry the client's next request, so the client is told so.
                    ex.getResponseHeaders().set("Connection", "close");
                }
                r = dispatch(ex);
            } catch (ApiException e) {
                r = Response.error(e.status(), e.getMessage(), e.field());
            } catch (Request.BodyTooLarge e) {
                r = Response.error(413, e.getMessage(), null);
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

    private boolean streamed(HttpExchange ex) {
        String path = ex.getRequestURI().getPath();
        return router.find(ex.getRequestMethod().toUpperCase(Locale.ROOT), path == null ? "/" : path)
                .map(m -> m.route().streamed()).orElse(false);
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
        String client = ex.getRemoteAddress().getAddress().getHostAddress();
        // Read the (bounded) body before any refusal: a refused request whose body is left unread
        // can stall the connection for the client's next request. A streamed body (an upload of
        // megabytes) is read by its handler only after the checks; refused, the connection closes.
        long declared;
        byte[] body;
        try {
            declared = declaredLength(ex, route.maxBody());
            body = route.streamed() ? new byte[0] : readBody(ex, route.maxBody());
        } catch (ApiException e) {
            if (!route.streamed()) {
                discardBody(ex);
            }
            throw e;
        }
        Sessions.Session session = null;
        String admin = null;
        switch (route.access()) {
            case SESSION -> {
                session = sessions.find(cookie(ex, SESSION_COOKIE)).orElseThrow(() ->
                        new ApiException(401, "not logged in, or the session expired: log in again"));
                if (!read && !session.csrfMatches(ex.getRequestHeaders().getFirst(CSRF_HEADER))) {
                    throw new ApiException(403, "missing or wrong CSRF token (" + CSRF_HEADER + " header)");
                }
            }
            case ADMIN -> {
                session = sessions.find(cookie(ex, SESSION_COOKIE)).orElse(null);
                String authorization = ex.getRequestHeaders().getFirst("Authorization");
                if (session != null) {
                    if (!read && !session.csrfMatches(ex.getRequestHeaders().getFirst(CSRF_HEADER))) {
                        throw new ApiException(403, "missing or wrong CSRF token (" + CSRF_HEADER + " header)");
                    }
                } else if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
                    // No CSRF token here: a browser sends Basic credentials on its own only after a
                    // WWW-Authenticate challenge, which this server never sends (so never a login dialog).
                    BasicLogins.Login login = basic.check(authorization, client);
                    if (!login.retryAfter().isZero()) {
                        throw new ApiException(429, "too many failed attempts: try again in "
                                + Math.max(1, (login.retryAfter().toMillis() + 999) / 1000) + " s");
                    }
                    if (!login.ok()) {
                        throw new ApiException(401, "wrong name or password");
                    }
                    admin = login.admin();
                } else {
                    throw new ApiException(401, "log in: a session, or an HTTP Basic admin login");
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
        InputStream stream = route.streamed() ? new BoundedInput(ex.getRequestBody(), route.maxBody()) : InputStream.nullInputStream();
        if (session != null && admin == null) {
            admin = session.user();
        }
        return route.handler().handle(new Request(method, path, match.get().parameter(), uri.getRawQuery(), body, stream,
                declared, Optional.ofNullable(ex.getRequestHeaders().getFirst("Content-Type")).orElse(""), session, admin, client));
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

    /** The Content-Length the client declared (-1: none, chunked); 413 beyond {@code max}. */
    private static long declaredLength(HttpExchange ex, long max) throws ApiException {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length == null) {
            return -1;
        }
        long n;
        try {
            n = Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            throw new ApiException(400, "bad Content-Length: " + length);
        }
        if (n > max) {
            throw new ApiException(413, "request body larger than " + max + " bytes");
        }
        return n;
    }

    private static byte[] readBody(HttpExchange ex, long max) throws IOException, ApiException {
        // Not closed here when too large: closing would drain only the server's default and then
        // reset; discardBody reads more of it first.
        InputStream in = ex.getRequestBody();
        byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        if (b.length > max) {
            throw new ApiException(413, "request body larger than " + max + " bytes");
        }
        in.close();
        return b;
    }

    /**
     * Reads and drops what is left of a refused small-route body, up to {@link #REFUSED_BODY_DRAIN}:
     * closing with unread bytes makes the kernel reset the connection, and a client still sending
     * then sees the reset instead of the 413 that says what was wrong. Anything larger is not worth
     * reading: the connection closes. Upload routes never come here (their client may not send at all).
     */
    private static void discardBody(HttpExchange ex) {
        try (InputStream in = ex.getRequestBody()) {
            long left = REFUSED_BODY_DRAIN;
            byte[] sink = new byte[8192];
            int n;
            while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
                left -= n;
            }
        } catch (IOException e) {
            Logger.debug("web: refused body not drained: {}", e.getMessage());
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

    /** A streamed body, cut off with {@link Request.BodyTooLarge} past the route's limit (a chunked upload has no length). */
    private static final class BoundedInput extends java.io.FilterInputStream {
        private final long max;
        private long count;

        BoundedInput(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        private void counted(int n) throws Request.BodyTooLarge {
            count += n;
            if (count > max) {
                throw new Request.BodyTooLarge(max);
            }
        }
    }
}
