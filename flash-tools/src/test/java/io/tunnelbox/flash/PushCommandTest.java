package io.tunnelbox.flash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** push against the documented contract: refusals, wrong logins and certificates are one clear line. */
class PushCommandTest {
    @TempDir
    Path dir;

    private Path bundle() {
        assertEquals(0, Cli.run("keygen", dir.resolve("k").toString()).code());
        Path out = dir.resolve("fw.tbx");
        assertEquals(0, Cli.run("bundle", "--key", dir.resolve("k.key").toString(), "--out", out.toString(), "--firmware-version", "5.0",
                "--firmware", Cli.firmwareTarget().toString(), "--board-configs", Cli.root().resolve("board-configs").toString()).code());
        return out;
    }

    private Path password(String p) throws Exception {
        Path f = dir.resolve("pw");
        Files.writeString(f, p + "\n");
        return f;
    }

    @Test
    void shouldReportARefusalInOneLine() throws Exception {
        Path bundle = bundle();
        try (UpdateApiStandIn api = new UpdateApiStandIn(dir, f -> "error: update refused: signed by key 0011, which is not trusted (trusted: 2233)",
                () -> null)) {
            Cli r = Cli.run("push", "--box", api.url(), "--bundle", bundle.toString(), "--fingerprint", api.fingerprint(),
                    "--password-file", password(UpdateApiStandIn.PASSWORD).toString());
            assertEquals(1, r.code());
            assertEquals("REFUSED 127.0.0.1: signed by key 0011, which is not trusted (trusted: 2233)", r.out().strip());
        }
    }

    @Test
    void shouldRefuseAWrongLoginAndAnUnexpectedCertificate() throws Exception {
        Path bundle = bundle();
        AtomicInteger uploads = new AtomicInteger();
        try (UpdateApiStandIn api = new UpdateApiStandIn(dir, f -> "firmware " + uploads.incrementAndGet(), () -> null)) {
            Cli login = Cli.run("push", "--box", api.url(), "--bundle", bundle.toString(), "--fingerprint", api.fingerprint(),
                    "--password-file", password("wrong").toString());
            assertEquals(1, login.code());
            assertTrue(login.out().contains("login refused for admin (HTTP 401)"), login.out());
            Cli cert = Cli.run("push", "--box", api.url(), "--bundle", bundle.toString(), "--fingerprint", "00".repeat(32),
                    "--password-file", password(UpdateApiStandIn.PASSWORD).toString());
            assertEquals(1, cert.code());
            assertTrue(cert.out().contains("not the expected 0000"), cert.out());
        }
        assertEquals(0, uploads.get(), "nothing was uploaded");
    }

    @Test
    void shouldGiveUpAfterTheTimeoutWhenTheBoxNeverComesBack() throws Exception {
        Path bundle = bundle();
        try (UpdateApiStandIn api = new UpdateApiStandIn(dir, f -> "firmware 5.0 installed into slot b", () -> null)) {
            Cli r = Cli.run("push", "--box", api.url(), "--bundle", bundle.toString(), "--fingerprint", api.fingerprint(),
                    "--password-file", password(UpdateApiStandIn.PASSWORD).toString(), "--timeout", "3");
            assertEquals(1, r.code());
            assertTrue(r.out().contains("TIMEOUT 127.0.0.1: no outcome after 3 s (last: HTTP 503)"), r.out());
        }
    }
}
