package io.tunnelbox.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.console.ConsoleDriver;
import io.tunnelbox.hal.serial.JSerialCommLine;
import io.tunnelbox.hal.serial.PtyPair;
import io.tunnelbox.hal.serial.SerialLine;
import io.tunnelbox.hal.testing.Requirements;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole box on the {@code sim} board with its web page, as {@code tunnelbox run --board sim}
 * starts it (its own process, the web UI found on the class path), the serial console on a socat
 * pty pair. The example configuration's LAN address (192.168.1.254) is not on this machine: the
 * page serves on loopback instead with one warning and no error, and the console's
 * {@code show web} gives the address it really answers on and the certificate fingerprint the page
 * really presents.
 */
class SimBoxWebTest {
    private static final String PROMPT = "branch-a> ";
    private static final Pattern PAGE = Pattern.compile("web page: (https://127\\.0\\.0\\.1(?::([0-9]+))?/) \\(on loopback only: cannot listen on 192\\.168\\.1\\.254:443: ([^)]+)\\)");
    private static final Pattern FINGERPRINT = Pattern.compile("certificate SHA-256 fingerprint: ([0-9A-F:]{95})");

    @TempDir
    static Path dir;
    private static PtyPair pty;
    private static Process box;
    private static JSerialCommLine screen;
    private static ConsoleDriver admin;

    @BeforeAll
    static void bootTheSimBox() throws Exception {
        Requirements.tool("socat");
        Path config = dir.resolve("example.json");
        try (InputStream in = SimBoxWebTest.class.getResourceAsStream("/config/example.json")) {
            Files.write(config, in.readAllBytes());
        }
        pty = PtyPair.start("simweb");
        box = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                "-Xmx96m", "-Dtinylog.configuration=tinylog.properties", "-cp", System.getProperty("java.class.path"), "io.tunnelbox.app.Main", "run", "--board", "sim",
                "--config", config.toString(), "--state-dir", dir.resolve("state").toString(), "--console", pty.a().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("box.log").toFile()).start();
        screen = new JSerialCommLine(pty.b().toString(), 115200);
        SerialLine.Connection c = screen.awaitConnection();
        admin = new ConsoleDriver(c.input(), c.output()).answeringSize(24);
        admin.send("");
        admin.logIn("admin", "change-me", "Welcome, admin.");
        admin.expect(PROMPT);
    }

    @AfterAll
    static void shutDown() throws Exception {
        if (admin != null) {
            admin.close();
        }
        if (screen != null) {
            screen.close();
        }
        if (box != null) {
            box.destroy();
            if (!box.waitFor(20, TimeUnit.SECONDS)) {
                box.destroyForcibly();
            }
        }
        if (pty != null) {
            pty.close();
        }
    }

    @Test
    void shouldShowWhereThePageAnswersAndTheCertificateItPresents() throws Exception {
        admin.send("show web");
        String shown = admin.expect(PROMPT);
        Matcher page = PAGE.matcher(shown);
        assertTrue(page.find(), "show web names the loopback address and why:\n" + shown + log());
        Matcher fp = FINGERPRINT.matcher(shown);
        assertTrue(fp.find(), "show web gives the certificate's fingerprint:\n" + shown);
        assertTrue(shown.contains("sessions: 0"), shown);

        URI url = URI.create(page.group(1));
        X509Certificate presented = certificateAt(url.getPort() < 0 ? 443 : url.getPort());
        assertEquals(colons(sha256(presented.getEncoded())), fp.group(1), "the console's fingerprint is the page's certificate");
        try (InputStream in = Files.newInputStream(dir.resolve("state/web/tls-cert.pem"))) {
            X509Certificate stored = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            assertEquals(stored, presented, "the page presents the certificate kept under the state directory");
        }
    }

    @Test
    void shouldFallBackToLoopbackWithOneWarningAndNoError() throws Exception {
        admin.send("show web");
        admin.expect(PROMPT);
        List<String> lines = Files.readAllLines(dir.resolve("box.log"));
        List<String> warnings = lines.stream().filter(l -> l.contains(" WARN ") && l.contains("cannot listen on 192.168.1.254:443")).toList();
        assertEquals(1, warnings.size(), "one warning naming the address:\n" + log());
        assertTrue(warnings.getFirst().contains("the page is on https://127.0.0.1"), warnings.getFirst());
        assertEquals(List.of(), lines.stream().filter(l -> l.contains(" ERROR ")).toList(), "no error:\n" + log());
    }

    private static String log() {
        try {
            return "\n--- box log:\n" + String.join("\n", Files.readAllLines(dir.resolve("box.log")));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    /** The certificate the page presents, taken from a TLS handshake with no trust decision. */
    private static X509Certificate certificateAt(int port) throws Exception {
        X509Certificate[] seen = new X509Certificate[1];
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                seen[0] = chain[0];
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.startHandshake();
        }
        return seen[0];
    }

    private static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }

    private static String colons(byte[] b) {
        return HexFormat.ofDelimiter(":").formatHex(b).toUpperCase(Locale.ROOT);
    }
}
