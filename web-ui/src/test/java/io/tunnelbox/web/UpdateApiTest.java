package io.tunnelbox.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.hal.time.Clock;
import io.tunnelbox.management.Diagnostics;
import io.tunnelbox.management.Updates;
import io.tunnelbox.web.api.UpdateApi;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The update endpoint {@code tunnelbox-flash push} uses, over real HTTPS on loopback: HTTP Basic
 * admin login or a session with its CSRF token, the upload streamed to a file under the state
 * directory and removed afterwards, 202/400/409 as the contract says, clear JSON errors.
 */
class UpdateApiTest {
    static final String PASSWORD = "correct horse";

    @TempDir
    Path dir;
    TestBox box;
    final RecordingUpdates updates = new RecordingUpdates();
    WebClient tool;

    @BeforeEach
    void start() throws Exception {
        box = TestBox.start(dir, Clock.SYSTEM, 0, Diagnostics.NONE, updates);
        box.config.setAdminPassword("admin", PASSWORD.toCharArray(), "test");
        tool = new WebClient(box.base(), dir);
    }

    @AfterEach
    void stop() {
        box.close();
    }

    private static Map<String, String> basic(String user, String password) {
        return Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)),
                "Content-Type", "application/octet-stream");
    }

    private WebClient.Answer push(byte[] bundle, Map<String, String> headers) throws Exception {
        return tool.send("POST", "/api/update", bundle, headers);
    }

    private static byte[] bundle(int size) {
        byte[] b = new byte[size];
        new Random(7).nextBytes(b);
        return b;
    }

    private List<Path> uploadsLeft() throws Exception {
        Path uploads = dir.resolve("uploads");
        if (!Files.isDirectory(uploads)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(uploads)) {
            return s.toList();
        }
    }

    @Test
    void shouldStreamABundleToTheAgentWithAnHttpBasicLoginAndCleanUp() throws Exception {
        byte[] b = bundle(3 * 1024 * 1024 + 17);
        WebClient.Answer a = push(b, basic("admin", PASSWORD));
        assertEquals(202, a.status(), a.body());
        assertTrue(a.json().get("message").asText().startsWith("firmware 2.0 installed"), a.body());
        assertEquals(1, updates.installs.size());
        RecordingUpdates.Install got = updates.installs.getFirst();
        assertEquals(RecordingUpdates.sha256(b), got.sha256(), "the agent got the bytes sent, all of them");
        assertEquals(dir.resolve("uploads"), got.file().getParent(), "uploads go under the state directory");
        assertEquals("rw-------", got.mode());
        assertEquals(List.of(), uploadsLeft(), "the upload is removed once the agent is done with it");
    }

    @Test
    void shouldAnswerTheStatusToAToolAndToTheBrowser() throws Exception {
        WebClient.Answer a = tool.send("GET", "/api/update/status", null, basic("admin", PASSWORD));
        assertEquals(200, a.status(), a.body());
        assertEquals("1.0", a.json().get("version").asText());
        assertEquals("a", a.json().get("activeSlot").asText());
        WebClient browser = new WebClient(box.base(), dir);
        assertEquals(200, browser.login("admin", PASSWORD).status());
        assertEquals(200, browser.get("/api/update/status").status());
    }

    @Test
    void shouldRefuseAWrongLoginAndThrottleTheClientLikeThePageLogin() throws Exception {
        for (int i = 0; i < 4; i++) {
            WebClient.Answer a = push(bundle(100), basic("admin", "wrong-" + i));
            assertEquals(401, a.status(), a.body());
            assertEquals("wrong name or password", a.json().get("error").asText());
            assertTrue(a.raw().headers().firstValue("WWW-Authenticate").isEmpty(), "no challenge: a browser never shows a login dialog");
        }
        WebClient.Answer blocked = push(bundle(100), basic("admin", PASSWORD));
        assertEquals(429, blocked.status(), "even the right password waits: " + blocked.body());
        assertTrue(blocked.json().get("error").asText().contains("try again"), blocked.body());
        WebClient.Answer page = new WebClient(box.base(), dir).login("admin", PASSWORD);
        assertEquals(429, page.status(), "one throttle for the page's login and the tools': " + page.body());
        assertEquals(List.of(), updates.installs);
    }

    @Test
    void shouldNotTakeHttpBasicOnAnyOtherRoute() throws Exception {
        for (var r : box.web.router().routes()) {
            if (r.access() != io.tunnelbox.web.http.Router.Access.SESSION) {
                continue;
            }
            WebClient.Answer a = tool.send(r.method(), r.path().replace("{number}", "1").replace("{name}", "x"),
                    r.method().equals("GET") ? null : Map.of(), Map.of("Authorization", basic("admin", PASSWORD).get("Authorization")));
            assertEquals(401, a.status(), r.method() + " " + r.path() + ": " + a.body());
        }
    }

    @Test
    void shouldNeedTheCsrfTokenWhenUploadingFromThePage() throws Exception {
        WebClient browser = new WebClient(box.base(), dir);
        assertEquals(200, browser.login("admin", PASSWORD).status());
        String token = browser.csrf;
        browser.csrf = null;
        Map<String, String> octets = Map.of("Content-Type", "application/octet-stream");
        WebClient.Answer noToken = browser.send("POST", "/api/update", bundle(1000), octets);
        assertEquals(403, noToken.status(), noToken.body());
        assertEquals(List.of(), updates.installs);
        browser.csrf = token;
        WebClient.Answer ok = browser.send("POST", "/api/update", bundle(1000), octets);
        assertEquals(202, ok.status(), ok.body());
        assertEquals(1, updates.installs.size());
    }

    @Test
    void shouldAnswer409WhileAnUpdateRuns() throws Exception {
        updates.busy = Optional.of("an update is still on trial (slot b): wait until it is kept or rolled back");
        WebClient.Answer onTrial = push(bundle(1000), basic("admin", PASSWORD));
        assertEquals(409, onTrial.status(), onTrial.body());
        assertTrue(onTrial.json().get("error").asText().contains("still on trial"), onTrial.body());
        assertEquals(List.of(), updates.installs, "a busy box does not take the upload");

        // Two uploads at once: the second is told to wait while the first is being installed.
        updates.busy = Optional.empty();
        updates.hold = new CountDownLatch(1);
        CompletableFuture<WebClient.Answer> first = CompletableFuture.supplyAsync(() -> {
            try {
                return new WebClient(box.base(), dir).send("POST", "/api/update", bundle(5000), basic("admin", PASSWORD));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(updates.inside.await(20, TimeUnit.SECONDS), "the first upload reached the agent");
        WebClient.Answer second = push(bundle(1000), basic("admin", PASSWORD));
        assertEquals(409, second.status(), second.body());
        assertTrue(second.json().get("error").asText().contains("another upload is in progress"), second.body());
        updates.hold.countDown();
        assertEquals(202, first.get(20, TimeUnit.SECONDS).status());
        assertEquals(1, updates.installs.size());

        updates.answer = new Updates.Result(Updates.Outcome.BUSY, List.of("error: update refused: another update is being installed"));
        assertEquals(409, push(bundle(1000), basic("admin", PASSWORD)).status(), "busy as the agent found it");
    }

    @Test
    void shouldRefuseABadBundleWithEveryReason() throws Exception {
        updates.answer = new Updates.Result(Updates.Outcome.REFUSED, List.of(
                "error: update refused: signature does not verify", "error: update refused: lib/firmware.jar: SHA-256 mismatch"));
        WebClient.Answer a = push(bundle(1000), basic("admin", PASSWORD));
        assertEquals(400, a.status(), a.body());
        assertEquals("signature does not verify", a.json().get("errors").get(0).asText());
        assertEquals("lib/firmware.jar: SHA-256 mismatch", a.json().get("errors").get(1).asText());
        assertTrue(a.json().get("error").asText().startsWith("update refused: signature"), a.body());
        assertEquals(List.of(), uploadsLeft());
    }

    @Test
    void shouldRefuseAnEmptyBodyAnotherTypeAndATooLargeOneBeforeReadingIt() throws Exception {
        WebClient.Answer empty = push(new byte[0], basic("admin", PASSWORD));
        assertEquals(400, empty.status(), empty.body());
        assertTrue(empty.json().get("error").asText().contains("empty"), empty.body());
        Map<String, String> form = Map.of("Authorization", basic("admin", PASSWORD).get("Authorization"),
                "Content-Type", "application/x-www-form-urlencoded");
        WebClient.Answer wrongType = push(bundle(100), form);
        assertEquals(415, wrongType.status(), wrongType.body());
        assertTrue(wrongType.json().get("error").asText().contains("application/octet-stream"), wrongType.body());

        // Declares more than the limit and sends nothing: refused at once, from the header alone.
        String answer = rawRequest("POST /api/update HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                + basic("admin", PASSWORD).get("Authorization") + "\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                + (UpdateApi.MAX_BUNDLE + 1) + "\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
        assertTrue(answer.contains("request body larger than " + UpdateApi.MAX_BUNDLE + " bytes"), answer);
        assertEquals(List.of(), updates.installs);
        assertEquals(List.of(), uploadsLeft());
    }

    @Test
    void shouldDropAnUploadCutOffMidwayAndServeOn() throws Exception {
        try (SSLSocket s = (SSLSocket) WebClient.trustAll().getSocketFactory().createSocket("127.0.0.1", box.web.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/update HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + basic("admin", PASSWORD).get("Authorization")
                    + "\r\nContent-Type: application/octet-stream\r\nContent-Length: 1000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bundle(100_000));
            out.flush();
            // push interrupted: the connection goes with 900 kB still to come
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!uploadsLeft().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(List.of(), uploadsLeft(), "the partial upload is removed");
        assertEquals(List.of(), updates.installs, "nothing partial reaches the agent");
        WebClient.Answer next = push(bundle(1000), basic("admin", PASSWORD));
        // The cut-off request's login may still be checked (one check at a time per client): 429, try again.
        for (int i = 0; next.status() == 429 && i < 50; i++) {
            Thread.sleep(200);
            next = push(bundle(1000), basic("admin", PASSWORD));
        }
        assertEquals(202, next.status(), "the next upload is taken: " + next.body());
    }

    /** One request over TLS by hand (the JDK's client will not declare a length it does not send). */
    private String rawRequest(String head) throws Exception {
        try (SSLSocket s = (SSLSocket) WebClient.trustAll().getSocketFactory().createSocket("127.0.0.1", box.web.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            StringBuilder b = new StringBuilder();
            int n;
            while (!b.toString().contains("}") && (n = in.read(buf)) > 0) {
                b.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
            return b.toString();
        }
    }
}
