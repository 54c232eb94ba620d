package io.tunnelbox.web.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The API's routes. Other packages add theirs through {@link io.tunnelbox.web.RouteProvider}
 * (a firmware upload, for one) and get the same authentication, CSRF check and limits for free:
 * the access level is part of the route, never left to the handler.
 */
public final class Router {
    /** Who may call a route. */
    public enum Access {
        /** Anyone: the login and first-admin setup, the session probe. */
        PUBLIC,
        /** A logged-in admin; a state-changing method also needs the session's CSRF token. */
        SESSION,
        /** A bearer token from the configuration ({@code web.metricsToken}): Prometheus. */
        METRICS_TOKEN,
        /**
         * An admin: a session as {@link #SESSION} (CSRF token included), or an HTTP Basic admin
         * login for tools ({@code tunnelbox-flash push}), checked against the same accounts and
         * throttled per client like the login.
         */
        ADMIN
    }

    @FunctionalInterface
    public interface Handler {
        Response handle(Request request) throws Exception;
    }

    /**
     * @param path exact, or ending in {@code /{name}} for one trailing segment
     * @param maxBody the largest body accepted, in bytes
     * @param streamed the handler reads the body itself ({@link Request#stream()}, bounded by
     *                 {@code maxBody}), after the access check: for uploads too large for memory
     */
    public record Route(String method, String path, Access access, long maxBody, boolean streamed, Handler handler) {
        boolean takesParameter() {
            return path.endsWith("}");
        }

        String prefix() {
            return takesParameter() ? path.substring(0, path.lastIndexOf('/') + 1) : path;
        }
    }

    /** What a request path resolved to. */
    public record Match(Route route, String parameter) {
    }

    public static final long DEFAULT_MAX_BODY = 256 * 1024;
    private final List<Route> routes = new ArrayList<>();

    public synchronized Router add(String method, String path, Access access, Handler handler) {
        return add(method, path, access, DEFAULT_MAX_BODY, handler);
    }

    public synchronized Router add(String method, String path, Access access, long maxBody, Handler handler) {
        return add(new Route(method, path, access, maxBody, false, handler));
    }

    /** A route whose handler streams the body (a firmware upload): read only once the access check passed. */
    public synchronized Router addStreamed(String method, String path, Access access, long maxBody, Handler handler) {
        return add(new Route(method, path, access, maxBody, true, handler));
    }

    private Router add(Route route) {
        String method = route.method();
        String path = route.path();
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("a route path starts with /: " + path);
        }
        if (find(method, path.replaceAll("\\{[^}]*}$", "x")).isPresent()) {
            throw new IllegalArgumentException("route registered twice: " + method + " " + path);
        }
        routes.add(route);
        return this;
    }

    public synchronized List<Route> routes() {
        return List.copyOf(routes);
    }

    /** True when some route has this path (with any method): 405 rather than 404. */
    public synchronized boolean knowsPath(String path) {
        return routes.stream().anyMatch(r -> matches(r, path) != null);
    }

    public synchronized Optional<Match> find(String method, String path) {
        for (Route r : routes) {
            if (r.method().equals(method)) {
                String p = matches(r, path);
                if (p != null) {
                    return Optional.of(new Match(r, p.isEmpty() && !r.takesParameter() ? null : p));
                }
            }
        }
        return Optional.empty();
    }

    /** null: no match; "": exact match; else the parameter. */
    private static String matches(Route r, String path) {
        if (!r.takesParameter()) {
            return r.path().equals(path) ? "" : null;
        }
        String prefix = r.prefix();
        if (path.startsWith(prefix) && path.length() > prefix.length() && path.indexOf('/', prefix.length()) < 0) {
            return path.substring(prefix.length());
        }
        return null;
    }
}
