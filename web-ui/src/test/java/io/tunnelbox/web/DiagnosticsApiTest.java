package io.tunnelbox.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.hal.time.Clock;
import io.tunnelbox.management.Diagnostics;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ping and capture through the API, with the box's diagnostics played by the test. */
class DiagnosticsApiTest {
    @TempDir
    Path dir;
    TestBox box;
    WebClient client;
    final CountDownLatch captureMayEnd = new CountDownLatch(1);
    final CountDownLatch captureRunning = new CountDownLatch(1);

    final Diagnostics fake = new Diagnostics() {
        @Override
        public List<String> ping(String address, int count) {
            return List.of("PING " + address + " " + count + " packets", count + " packets transmitted, " + count + " received");
        }

        @Override
        public void capture(String name, Duration duration, long maxBytes, OutputStream out) throws java.io.IOException {
            out.write(("pcap of " + name + " for " + duration.toSeconds() + " s, at most " + maxBytes).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            captureRunning.countDown();
            try {
                captureMayEnd.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    };

    @BeforeEach
    void start() throws Exception {
        box = TestBox.start(dir, Clock.SYSTEM, 0, fake);
        client = new WebClient(box.base(), dir);
        assertEquals(200, client.post("/api/setup", Map.of("code", box.web.setupCode().orElseThrow(), "name", "admin",
                "password", "correct horse")).status());
        var c = box.config.runningTree();
        c.withArray("tunnels").addObject().put("name", "to-b").put("remote", "203.0.113.1");
        assertTrue(box.config.commit(c, "test", "tunnel").ok());
    }

    @AfterEach
    void stop() {
        captureMayEnd.countDown();
        box.close();
    }

    @Test
    void shouldPingFromTheBoxAndCheckTheAddress() throws Exception {
        WebClient.Answer a = client.post("/api/diag/ping", Map.of("address", "203.0.113.1", "count", 2));
        assertEquals(200, a.status());
        assertEquals("PING 203.0.113.1 2 packets", a.json().get("lines").get(0).asText());
        WebClient.Answer bad = client.post("/api/diag/ping", Map.of("address", "203.0.113.1; reboot"));
        assertEquals(422, bad.status());
        assertEquals("address", bad.json().get("field").asText());
        assertEquals(422, client.post("/api/diag/ping", Map.of("address", "192.0.2.1", "count", 1000)).status());
    }

    @Test
    void shouldCaptureOneAtATimeWithinTheLimits() throws Exception {
        assertEquals(404, client.get("/api/diag/pcap?name=nothing&seconds=5").status());
        assertEquals(400, client.get("/api/diag/pcap?name=to-b&seconds=3600").status());
        CompletableFuture<WebClient.Answer> first = CompletableFuture.supplyAsync(() -> {
            try {
                return client.get("/api/diag/pcap?name=to-b&seconds=5");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(captureRunning.await(20, TimeUnit.SECONDS));
        assertEquals(429, client.get("/api/diag/pcap?name=to-b&seconds=5").status(), "one capture at a time");
        captureMayEnd.countDown();
        WebClient.Answer a = first.get(20, TimeUnit.SECONDS);
        assertEquals(200, a.status());
        assertEquals("pcap of to-b for 5 s, at most 8388608", a.body());
        assertTrue(a.raw().headers().firstValue("Content-Disposition").orElse("").contains("to-b.pcap"));
        assertEquals(200, client.post("/api/diag/ping", Map.of("address", "203.0.113.1")).status(), "free again");
    }
}
