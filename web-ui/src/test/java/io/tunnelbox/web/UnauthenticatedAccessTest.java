package io.tunnelbox.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.config.Config;
import io.tunnelbox.hal.time.ManualClock;
import io.tunnelbox.web.http.Router;
import io.tunnelbox.web.http.StaticFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Walks every route the server has (read from its router, so a route added later is walked too)
 * and every page: without a session, with an expired session, and with a missing or another
 * session's CSRF token. Every answer is 401 or 403, and nothing changes on the box.
 */
class UnauthenticatedAccessTest {
    static final String PASSWORD = "correct horse";
    /** Public by design; walked too, with credentials that do not work. */
    static final Set<String> PUBLIC = Set.of("GET /api/session", "POST /api/setup", "POST /api/login");

    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(1_800_000_000_000L);
    TestBox box;
    final RecordingUpdates updates = new RecordingUpdates();

    @BeforeEach
    void start() throws Exception {
        box = TestBox.start(dir, clock, 0, io.tunnelbox.management.Diagnostics.NONE, updates);
        box.config.setAdminPassword("admin", PASSWORD.toCharArray(), "test");
        // A change for rollback and confirm to act on, if they were let through.
        var tree = box.config.runningTree();
        tree.withArray("tunnels").addObject().put("name", "to-b").put("remote", "203.0.113.1");
        box.config.commitConfirmed(tree, "test", Duration.ofMinutes(10));
    }

    @AfterEach
    void stop() {
        box.close();
    }

    /** A request that would change something if it got through. */
    private static Object body(Router.Route r) {
        return switch (r.path()) {
            case "/api/setup" -> Map.of("code", "AAAA-BBBB-CCCC", "name", "eve", "password", "eve-password");
            case "/api/login" -> Map.of("name", "admin", "password", "not the password");
            case "/api/account/password" -> Map.of("current", PASSWORD, "password", "eve-password");
            case "/api/config/rollback" -> Map.of("version", 1);
            case "/api/diag/ping" -> Map.of("address", "192.0.2.1");
            case "/api/update" -> new byte[] {'T', 'B', 'X', 'B', 'N', 'D', 'L', '1'};
            default -> Map.of("config", Map.of("tunnels", List.of()));
        };
    }

    private static String path(Router.Route r) {
        return r.path().replace("{number}", "1").replace("{name}", "x");
    }

    private void walk(WebClient client, String how, boolean includePublic) throws Exception {
        Config before = box.config.running();
        int version = box.config.runningVersion();
        List<Router.Route> routes = box.web.router().routes();
        assertTrue(routes.size() >= 20, "the router lists every route: " + routes.size());
        for (Router.Route r : routes) {
            String key = r.method() + " " + r.path();
            if (!includePublic && PUBLIC.contains(key)) {
                continue;
            }
            WebClient.Answer a = client.send(r.method(), path(r), r.method().equals("GET") ? null : body(r), headers(r));
            assertTrue(a.status() == 401 || a.status() == 403, how + ": " + key + " answered " + a.status() + " " + a.body());
            assertTrue(a.json() != null && a.json().has("error"), how + ": " + key + " gives a JSON error: " + a.body());
            assertFalse(a.body().contains("pbkdf2") || a.body().contains("203.0.113.1"), how + ": " + key + " leaks: " + a.body());
        }
        assertEquals(version, box.config.runningVersion(), how + ": nothing changed");
        assertEquals(before, box.config.running(), how + ": nothing changed");
        assertTrue(box.config.confirmDeadline().isPresent(), how + ": the pending commit is neither confirmed nor rolled back");
        assertTrue(box.config.checkPassword("admin", PASSWORD.toCharArray()), how + ": the password is unchanged");
        assertEquals(List.of(), updates.installs, how + ": no firmware was installed");
    }

    private static Map<String, String> headers(Router.Route r) {
        return r.path().equals("/api/update") ? Map.of("Content-Type", "application/octet-stream") : Map.of();
    }

    @Test
    void shouldRefuseEveryRouteWithoutASession() throws Exception {
        WebClient anonymous = new WebClient(box.base(), dir);
        walk(anonymous, "no session", true);
        // A made-up session id is no better.
        anonymous.cookie = "tbx_session=" + "A".repeat(43);
        anonymous.csrf = "B".repeat(43);
        walk(anonymous, "forged session", true);
    }

    @Test
    void shouldServeThePagesWithoutStateAndTheApiNotAtAll() throws Exception {
        WebClient anonymous = new WebClient(box.base(), dir);
        for (String page : StaticFiles.FILES.keySet()) {
            WebClient.Answer a = anonymous.get(page);
            assertEquals(200, a.status(), page);
            assertFalse(a.body().contains("203.0.113.1") || a.body().contains("pbkdf2") || a.body().contains("to-b"),
                    page + " is static and holds no state");
        }
    }

    @Test
    void shouldRefuseEveryRouteWithAnExpiredSession() throws Exception {
        WebClient idle = new WebClient(box.base(), dir);
        assertEquals(200, idle.login("admin", PASSWORD).status());
        assertEquals(200, idle.get("/api/config").status());
        clock.advance(Duration.ofMinutes(15).plusSeconds(1));
        walk(idle, "idle session", false);

        WebClient old = new WebClient(box.base(), dir);
        assertEquals(200, old.login("admin", PASSWORD).status());
        for (int i = 0; i < 8 * 6; i++) { // active every 10 minutes, for 8 hours
            clock.advance(Duration.ofMinutes(10));
            if (old.get("/api/config").status() != 200) {
                break;
            }
        }
        walk(old, "session past its absolute lifetime", false);
    }

    @Test
    void shouldRefuseStateChangesWithAMissingOrForeignCsrfToken() throws Exception {
        WebClient mine = new WebClient(box.base(), dir);
        assertEquals(200, mine.login("admin", PASSWORD).status());
        WebClient other = new WebClient(box.base(), dir);
        assertEquals(200, other.login("admin", PASSWORD).status());
        String foreign = other.csrf;

        mine.csrf = null;
        walkChanges(mine, "missing CSRF token");
        mine.csrf = foreign;
        walkChanges(mine, "another session's CSRF token");
    }

    private void walkChanges(WebClient client, String how) throws Exception {
        int version = box.config.runningVersion();
        for (Router.Route r : box.web.router().routes()) {
            if (r.method().equals("GET") || (r.access() != Router.Access.SESSION && r.access() != Router.Access.ADMIN)) {
                continue;
            }
            WebClient.Answer a = client.send(r.method(), path(r), body(r), headers(r));
            assertEquals(403, a.status(), how + ": " + r.method() + " " + r.path() + " " + a.body());
            assertTrue(a.json().get("error").asText().contains("CSRF"), a.body());
        }
        assertEquals(version, box.config.runningVersion(), how + ": nothing changed");
        assertEquals(List.of(), updates.installs, how + ": no firmware was installed");
        assertTrue(box.config.confirmDeadline().isPresent(), how + ": still pending");
        assertEquals(200, client.get("/api/config").status(), how + ": the session itself is fine for reading");
    }
}
