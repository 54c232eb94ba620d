package io.tunnelbox.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tunnelbox.hal.time.Clock;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON API over real HTTPS on loopback: set-up, login, configuration changes, live state, limits. */
class WebApiTest {
    static final String PASSWORD = "correct horse";

    @TempDir
    Path dir;
    TestBox box;
    WebClient client;

    @BeforeEach
    void start() throws Exception {
        box = TestBox.start(dir, Clock.SYSTEM, 0);
        client = new WebClient(box.base(), dir);
    }

    @AfterEach
    void stop() {
        box.close();
    }

    private void setUp() throws Exception {
        WebClient.Answer a = client.post("/api/setup", Map.of("code", box.web.setupCode().orElseThrow(), "name", "admin", "password", PASSWORD));
        assertEquals(200, a.status(), a.body());
    }

    private ObjectNode running() throws Exception {
        return (ObjectNode) client.get("/api/config").json().get("config");
    }

    private static ObjectNode withTunnel(ObjectNode config, String name, String remote) {
        ObjectNode c = config.deepCopy();
        ((ArrayNode) c.get("tunnels")).addObject().put("name", name).put("remote", remote);
        return c;
    }

    @Test
    void shouldCreateTheFirstAdminOnlyWithTheSetupCodeAndOnlyOnce() throws Exception {
        WebClient.Answer wrong = client.post("/api/setup", Map.of("code", "AAAA-BBBB-CCCC", "name", "admin", "password", PASSWORD));
        assertEquals(403, wrong.status());
        assertEquals("code", wrong.json().get("field").asText());
        assertFalse(box.config.hasAdmin());

        String code = box.web.setupCode().orElseThrow();
        WebClient.Answer ok = client.post("/api/setup", Map.of("code", code.toLowerCase(), "name", "admin", "password", PASSWORD));
        assertEquals(200, ok.status(), ok.body());
        assertTrue(box.config.hasAdmin());
        assertTrue(box.web.setupCode().isEmpty(), "the code dies once used");
        assertEquals(200, client.get("/api/config").status(), "setup logs the admin in");

        WebClient other = new WebClient(box.base(), dir);
        assertEquals(403, other.post("/api/setup", Map.of("code", code, "name", "eve", "password", PASSWORD)).status());
        assertTrue(box.config.running().system().admin("eve").isEmpty());
    }

    @Test
    void shouldSetHardenedCookieAndSecurityHeaders() throws Exception {
        setUp();
        client.cookie = null;
        WebClient.Answer login = client.login("admin", PASSWORD);
        assertEquals(200, login.status());
        String cookie = login.raw().headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("Secure") && cookie.contains("SameSite=Strict"), cookie);
        for (String path : List.of("/", "/app.js", "/api/state")) {
            var h = client.get(path).raw().headers();
            assertTrue(h.firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"), path);
            assertFalse(h.firstValue("Content-Security-Policy").orElse("").contains("unsafe-inline"), path);
            assertEquals("nosniff", h.firstValue("X-Content-Type-Options").orElse(""), path);
            assertEquals("no-referrer", h.firstValue("Referrer-Policy").orElse(""), path);
        }
    }

    @Test
    void shouldThrottleRepeatedFailedLogins() throws Exception {
        setUp();
        WebClient guesser = new WebClient(box.base(), dir);
        for (int i = 0; i < 3; i++) {
            assertEquals(401, guesser.login("admin", "wrong-" + i).status());
        }
        assertEquals(401, guesser.login("admin", "wrong-4").status(), "the fourth failure starts the wait");
        WebClient.Answer blocked = guesser.login("admin", PASSWORD);
        assertEquals(429, blocked.status(), "even the right password waits: " + blocked.body());
        assertTrue(blocked.json().get("error").asText().contains("try again"));
    }

    @Test
    void shouldThrottleGuessesAtTheCurrentPasswordOnTheAccountPage() throws Exception {
        // A session left open (or stolen) must not be an unthrottled oracle for the password,
        // which also logs in on the serial console and through HTTP Basic.
        setUp();
        for (int i = 0; i < 4; i++) {
            WebClient.Answer wrong = client.post("/api/account/password", Map.of("current", "guess-" + i, "password", "eve-password-1"));
            assertEquals(403, wrong.status(), wrong.body());
        }
        WebClient.Answer blocked = client.post("/api/account/password", Map.of("current", PASSWORD, "password", "eve-password-1"));
        assertEquals(429, blocked.status(), "even the right current password waits: " + blocked.body());
        assertTrue(box.config.checkPassword("admin", PASSWORD.toCharArray()), "the password did not change");
        assertEquals(429, new WebClient(box.base(), dir).login("admin", PASSWORD).status(), "one throttle per client for logins too");
    }

    @Test
    void shouldNeverAnswerWithPasswordHashesOrTheMetricsToken() throws Exception {
        setUp();
        ObjectNode c = running();
        ((ObjectNode) c.get("web")).put("metricsToken", "prometheus-scrape-token-1234");
        assertEquals(200, client.post("/api/config/commit", Map.of("config", c)).status());
        String config = client.get("/api/config").body();
        String history = client.get("/api/config/history").body();
        String version = client.get("/api/config/versions/" + box.config.runningVersion()).body();
        for (String answer : List.of(config, history, version)) {
            assertFalse(answer.contains("pbkdf2"), answer);
            assertFalse(answer.contains("prometheus-scrape-token-1234"), answer);
        }
        assertTrue(config.contains("<hidden>"));
        // Sending the redacted tree back keeps the real secrets.
        assertEquals(200, client.post("/api/config/commit", Map.of("config", withTunnel(running(), "to-b", "203.0.113.1"))).status());
        assertTrue(box.config.checkPassword("admin", PASSWORD.toCharArray()));
        assertEquals("prometheus-scrape-token-1234", box.config.running().web().metricsToken());
    }

    @Test
    void shouldNameTheFieldOfAValidationError() throws Exception {
        setUp();
        int before = box.config.runningVersion();
        WebClient.Answer bad = client.post("/api/config/validate", Map.of("config", withTunnel(running(), "to-b", "300.1.1.1")));
        assertEquals(422, bad.status());
        assertEquals("tunnels[0].remote", bad.json().get("field").asText());
        assertTrue(bad.json().get("error").asText().contains("not an IPv4 address"), bad.body());
        WebClient.Answer commit = client.post("/api/config/commit", Map.of("config", withTunnel(running(), "to-b", "300.1.1.1")));
        assertEquals(422, commit.status());
        assertEquals(before, box.config.runningVersion(), "a refused commit changes nothing");
        assertEquals(200, client.post("/api/config/validate", Map.of("config", withTunnel(running(), "to-b", "203.0.113.1"))).status());
    }

    @Test
    void shouldDiffCommitAndRollBack() throws Exception {
        setUp();
        int v0 = box.config.runningVersion();
        ObjectNode next = withTunnel(running(), "to-b", "203.0.113.1");
        JsonNode diff = client.post("/api/config/diff", Map.of("config", next)).json();
        assertTrue(diff.get("valid").asBoolean());
        assertTrue(diff.get("changes").toString().contains("tunnels[to-b].remote"), diff.toString());
        assertEquals("tunnels +to-b", diff.get("summary").asText());

        WebClient.Answer c = client.post("/api/config/commit", Map.of("config", next, "comment", "tunnel to B"));
        assertEquals(200, c.status(), c.body());
        int v1 = c.json().get("version").asInt();
        assertTrue(v1 > v0);
        assertTrue(box.config.running().tunnel("to-b").isPresent());
        JsonNode history = client.get("/api/config/history").json();
        assertEquals(v1, history.get("versions").get(0).get("number").asInt());
        assertEquals("web:admin", history.get("versions").get(0).get("author").asText());
        assertEquals("tunnel to B", history.get("versions").get(0).get("comment").asText());

        WebClient.Answer back = client.post("/api/config/rollback", Map.of("version", v0));
        assertEquals(200, back.status(), back.body());
        assertTrue(box.config.running().tunnel("to-b").isEmpty());
        assertEquals(409, client.post("/api/config/rollback", Map.of("version", box.config.runningVersion())).status());
        assertEquals(404, client.post("/api/config/rollback", Map.of("version", 999)).status());
    }

    @Test
    void shouldKeepAConfirmedCommitAndRollBackAnUnconfirmedOne() throws Exception {
        setUp();
        WebClient.Answer c = client.post("/api/config/commit", Map.of("config", withTunnel(running(), "to-b", "203.0.113.1"), "confirmSeconds", 600));
        assertEquals(200, c.status(), c.body());
        assertTrue(c.json().get("pending").get("secondsLeft").asInt() > 590);
        assertNotNull(client.get("/api/state").json().get("pending").get("deadline"));
        assertEquals(200, client.post("/api/config/confirm", Map.of()).status());
        assertTrue(box.config.confirmDeadline().isEmpty());
        assertEquals(409, client.post("/api/config/confirm", Map.of()).status(), "nothing left to confirm");

        WebClient.Answer tooShort = client.post("/api/config/commit", Map.of("config", running(), "confirmSeconds", 1));
        assertEquals(422, tooShort.status());
        assertEquals("confirmSeconds", tooShort.json().get("field").asText());

        client.post("/api/config/commit", Map.of("config", withTunnel(running(), "to-c", "192.0.2.1"), "confirmSeconds", 5));
        assertTrue(box.config.running().tunnel("to-c").isPresent());
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (box.config.running().tunnel("to-c").isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertTrue(box.config.running().tunnel("to-c").isEmpty(), "rolled back after 5 s");
        assertTrue(box.config.running().tunnel("to-b").isPresent(), "back to the confirmed version");
        assertTrue(client.get("/api/state").json().get("pending").isNull());
    }

    @Test
    void shouldServeLiveStateFromTheDeviceViewRecords() throws Exception {
        setUp();
        client.post("/api/config/commit", Map.of("config", withTunnel(running(), "to-b", "203.0.113.1")));
        JsonNode st = client.get("/api/state").json();
        JsonNode t = st.get("tunnels").get(0);
        assertEquals("to-b", t.get("name").asText());
        assertEquals("up", t.get("state").asText());
        assertEquals(1200, t.get("rxBytes").asLong());
        assertEquals(2, st.get("counters").get("router.drop.key-mismatch").asLong());
        assertEquals("02:00:00:00:00:0a", client.get("/api/state/mac").json().get("mac").get(0).get("mac").asText());
        assertTrue(client.get("/api/state/flows").json().get("flows").get(0).asText().startsWith("table=0"));
        assertEquals(503, client.post("/api/diag/ping", Map.of("address", "192.0.2.1")).status(), "no diagnostics on a test box");
    }

    @Test
    void shouldServeMetricsOnlyWithTheBearerToken() throws Exception {
        setUp();
        assertEquals(401, client.get("/metrics").status(), "off until a token is configured");
        ObjectNode c = withTunnel(running(), "to-b", "203.0.113.1");
        ((ObjectNode) c.get("web")).put("metricsToken", "prometheus-scrape-token-1234");
        assertEquals(200, client.post("/api/config/commit", Map.of("config", c)).status());
        WebClient scraper = new WebClient(box.base(), dir);
        assertEquals(401, scraper.get("/metrics").status());
        assertEquals(401, scraper.send("GET", "/metrics", null, Map.of("Authorization", "Bearer wrong-token-wrong-token")).status());
        WebClient.Answer m = scraper.send("GET", "/metrics", null, Map.of("Authorization", "Bearer prometheus-scrape-token-1234"));
        assertEquals(200, m.status());
        assertTrue(m.body().contains("tunnelbox_tunnel_up{tunnel=\"to-b\"} 1"), m.body());
        assertTrue(m.body().contains("tunnelbox_tunnel_rx_bytes_total{tunnel=\"to-b\"} 1200"), m.body());
        assertTrue(m.body().contains("tunnelbox_events_total{name=\"router.drop.key-mismatch\"} 2"), m.body());
        assertTrue(m.body().contains("tunnelbox_jvm_memory_used_bytes{area=\"heap\"}"), m.body());
    }

    @Test
    void shouldRefuseOversizedBodiesAndCrossOriginRequests() throws Exception {
        setUp();
        byte[] big = new byte[300 * 1024];
        java.util.Arrays.fill(big, (byte) ' ');
        assertEquals(413, client.send("POST", "/api/config/validate", big, Map.of()).status());
        assertEquals(403, client.send("POST", "/api/config/validate", Map.of("config", running()),
                Map.of("Origin", "https://evil.example")).status());
        assertEquals(415, client.send("POST", "/api/login", "name=admin".getBytes(), Map.of("Content-Type", "application/x-www-form-urlencoded")).status());
        WebClient.Answer notJson = client.send("POST", "/api/config/validate", "{nope".getBytes(), Map.of());
        assertEquals(400, notJson.status());
        assertTrue(notJson.json().has("error"));
        assertEquals(404, client.get("/api/nothing-here").status());
    }

    @Test
    void shouldAnswerATooLargeBodyWithItsErrorNotAReset() throws Exception {
        // A client that sends its whole body before reading (as most do) must read the 413, not a
        // reset: the server reads and drops up to 1 MB of a refused body before it closes.
        int size = 900 * 1024;
        try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) WebClient.trustAll().getSocketFactory()
                .createSocket("127.0.0.1", box.web.port())) {
            s.setSoTimeout(20_000);
            java.io.OutputStream out = s.getOutputStream();
            out.write(("POST /api/config/validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Connection: close\r\nContent-Length: " + size + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) ' ');
            for (int sent = 0; sent < size; sent += chunk.length) {
                out.write(chunk, 0, Math.min(chunk.length, size - sent));
            }
            out.flush();
            String answer = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
            assertTrue(answer.contains("request body larger than"), answer);
        }
    }

    @Test
    void shouldKeepTheCertificateAcrossRestartsInOwnerOnlyFiles() throws Exception {
        String fingerprint = box.web.fingerprint().orElseThrow();
        assertTrue(fingerprint.matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"), fingerprint);
        for (String f : List.of("tls-key.pem", "tls-cert.pem")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("web").resolve(f))));
        }
        box.close();
        box = TestBox.start(dir, Clock.SYSTEM, 0);
        assertEquals(fingerprint, box.web.fingerprint().orElseThrow());
        assertTrue(box.web.status().stream().anyMatch(l -> l.contains(fingerprint)));
    }

    @Test
    void shouldOnlyRedirectOnPlainHttp() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        box.close();
        box = TestBox.start(dir, Clock.SYSTEM, port);
        WebClient plain = new WebClient("http://127.0.0.1:" + port, dir);
        for (String path : List.of("/", "/api/config?x=1")) {
            WebClient.Answer a = plain.get(path);
            assertEquals(301, a.status());
            assertEquals("https://127.0.0.1:" + box.web.port() + path, a.raw().headers().firstValue("Location").orElseThrow());
            assertNull(a.json());
        }
    }
}
