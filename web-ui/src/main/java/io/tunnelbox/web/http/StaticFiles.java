package io.tunnelbox.web.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The page: plain files from the jar ({@code io/tunnelbox/web/static}), served as they are, with
 * nothing generated per request (so they carry no state and need no session).
 */
public final class StaticFiles {
    static final String ROOT = "/io/tunnelbox/web/static/";
    /** Every file the page has; anything else is a 404 (no directory walking). */
    public static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/app.js", "app.js",
            "/app.css", "app.css",
            "/favicon.svg", "favicon.svg");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml");
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    public Optional<Response> get(String path) throws IOException {
        String name = FILES.get(path);
        if (name == null) {
            return Optional.empty();
        }
        byte[] body = cache.get(name);
        if (body == null) {
            try (InputStream in = StaticFiles.class.getResourceAsStream(ROOT + name)) {
                if (in == null) {
                    throw new IOException("the web-ui jar lacks " + ROOT + name);
                }
                body = in.readAllBytes();
            }
            cache.put(name, body);
        }
        String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
        return Optional.of(Response.bytes(type, body).header("Cache-Control", "no-cache"));
    }
}
