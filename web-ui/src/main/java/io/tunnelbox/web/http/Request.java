package io.tunnelbox.web.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunnelbox.web.auth.Sessions;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One API request as a handler sees it: already authenticated (when its route asks for that), its
 * body read within the size limit.
 *
 * @param pathParameter what a route's trailing {@code {...}} matched, or null
 * @param body          the body; empty on a streamed route
 * @param stream        a streamed route's body, which throws {@link BodyTooLarge} past the route's
 *                      limit; an empty stream on other routes
 * @param length        the body's declared length (Content-Length), -1 when the client sent none
 * @param contentType   the body's Content-Type, "" when none
 * @param session       the browser session, or null (public routes, HTTP Basic logins)
 * @param admin         who is logged in (by session or HTTP Basic), or null
 * @param client        the client's address, for throttling and logs
 */
public record Request(String method, String path, String pathParameter, String query, byte[] body, InputStream stream,
                      long length, String contentType, Sessions.Session session, String admin, String client) {

    /** A streamed body went past its route's limit: answered 413. */
    public static final class BodyTooLarge extends IOException {
        private final long max;

        public BodyTooLarge(long max) {
            super("request body larger than " + max + " bytes");
            this.max = max;
        }

        public long max() {
            return max;
        }
    }

    /** The body as JSON; a clear 400 when it is not. */
    public JsonNode json() throws ApiException {
        if (body.length == 0) {
            throw new ApiException(400, "a JSON body is required");
        }
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            if (n == null || !n.isObject()) {
                throw new ApiException(400, "the body must be a JSON object");
            }
            return n;
        } catch (java.io.IOException e) {
            throw new ApiException(400, "the body is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    public Optional<String> param(String name) {
        if (query == null || query.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : query.split("&")) {
            int eq = kv.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
            m.putIfAbsent(k, v);
        }
        return Optional.ofNullable(m.get(name));
    }

    public int intParam(String name, int def, int min, int max) throws ApiException {
        Optional<String> v = param(name);
        if (v.isEmpty()) {
            return def;
        }
        try {
            int n = Integer.parseInt(v.get());
            if (n < min || n > max) {
                throw new ApiException(400, name + " must be " + min + ".." + max + ", got " + n, name);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ApiException(400, name + " must be a number, got \"" + v.get() + "\"", name);
        }
    }

    /** The logged-in admin's name ("" on public routes). */
    public String user() {
        return admin != null ? admin : session == null ? "" : session.user();
    }
}
