package io.tunnelbox.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.hal.time.Clock;
import io.tunnelbox.update.HealthProbe;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Web page answering" for the update health check: found by the box through ServiceLoader, and
 * healthy only while the page answers a real HTTPS request with its own certificate.
 */
class WebHealthProbeTest {
    @TempDir
    Path dir;

    private static HealthProbe probe() {
        List<HealthProbe> found = ServiceLoader.load(HealthProbe.class).stream().map(ServiceLoader.Provider::get).toList();
        assertEquals(1, found.size(), "the web UI's jar lists its probe: " + found);
        assertEquals("web", found.getFirst().name());
        return found.getFirst();
    }

    @Test
    void shouldBeHealthyOnlyWhileThePageAnswers() throws Exception {
        HealthProbe web = probe();
        assertEquals(Optional.of("the web page has not started"), web.problem());
        try (TestBox box = TestBox.start(dir, Clock.SYSTEM, 0)) {
            assertTrue(box.web.port() > 0);
            assertEquals(Optional.empty(), web.problem(), "a page on HTTPS answers");
        }
        assertEquals(Optional.of("the web page has not started"), web.problem(), "a closed page is not healthy");
    }

    @Test
    void shouldServeOnLoopbackWhenTheAddressIsNotOnTheBoxAndSayItIsNotWhereItShouldBe() throws Exception {
        // 192.0.2.77 (TEST-NET-1) is on no machine's interfaces: the sim board's situation.
        try (TestBox box = TestBox.startWith(dir, new WebService.Binding(java.net.InetAddress.getByName("192.0.2.77"), 0, true, 0))) {
            assertTrue(box.web.port() > 0, "the page listens somewhere");
            assertTrue(box.web.url().startsWith("https://127.0.0.1:"), box.web.url());
            assertTrue(box.web.status().getFirst().contains("(on loopback only: cannot listen on 192.0.2.77:0: "), box.web.status().toString());
            // Not where the admins reach it: a problem (held against a new firmware only when the old
            // one listened there: UpdateHealth records which checks failed before an update).
            Optional<String> p = probe().problem();
            assertTrue(p.isPresent() && p.get().startsWith("the web page answers on loopback only: cannot listen on 192.0.2.77:0 ("),
                    p.toString());
        }
    }

    @Test
    void shouldReportAPageThatCannotListen() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            // The port is taken on loopback itself: no fallback left, no page.
            TestBox box = TestBox.startBound(dir, taken.getLocalPort());
            try {
                Optional<String> p = probe().problem();
                assertTrue(p.isPresent() && p.get().contains("not listening"), p.toString());
            } finally {
                box.close();
            }
        }
    }
}
