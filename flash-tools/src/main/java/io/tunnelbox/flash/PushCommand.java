package io.tunnelbox.flash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tunnelbox.update.BundleCheck;
import io.tunnelbox.update.BundleReader;
import io.tunnelbox.update.TrustedKeys;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Pushes a bundle to a running box over its HTTPS management API and follows it to the end. The
 * contract (the web UI serves it):
 * <pre>
 * POST /api/update          body: the bundle (application/octet-stream); HTTP Basic admin login
 *   202 {"message": "..."}  accepted: the box installs it and restarts into it
 *   400 {"errors": [...]}   refused (signature, hashes, configuration format); nothing changed
 *   401                     wrong login;  409: an update is already running
 * GET /api/update/status    {"state": "running"|"trial", "version", "slot", "activeSlot", "lastResult"}
 * </pre>
 * While the box restarts the status cannot be fetched; that is expected and waited out.
 */
@Command(name = "push", mixinStandardHelpOptions = true, description = {
        "Upload a bundle to a running box (HTTPS, admin login), follow it through install, restart and",
        "health check, and report the outcome in one line: exit 0 when the new version was kept."})
final class PushCommand implements Callable<Integer> {
    @Option(names = "--box", required = true, paramLabel = "URL", description = "e.g. https://192.168.1.1")
    URI box;

    @Option(names = "--bundle", required = true, paramLabel = "FILE")
    Path bundle;

    @Option(names = "--user", defaultValue = "admin", description = "Admin name (default: ${DEFAULT-VALUE}).")
    String user;

    @Option(names = "--password-env", defaultValue = "TUNNELBOX_PASSWORD", paramLabel = "VAR",
            description = "Environment variable holding the password (default: ${DEFAULT-VALUE}); asked for when unset.")
    String passwordEnv;

    @Option(names = "--password-file", paramLabel = "FILE", description = "A file whose first line is the password (for scripts).")
    Path passwordFile;

    @Option(names = "--fingerprint", paramLabel = "SHA256",
            description = "The box certificate's SHA-256 fingerprint (hex, colons allowed): trust exactly that certificate.")
    String fingerprint;

    @Option(names = "--trust", paramLabel = "KEY", description = "Check the bundle against this public key before uploading.")
    Path trust;

    @Option(names = "--timeout", defaultValue = "600", description = "Seconds to wait for the outcome (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Integer call() throws Exception {
        if (trust != null) {
            BundleCheck c = BundleReader.verify(bundle, TrustedKeys.fromPaths(java.util.List.of(trust)));
            if (!c.ok()) {
                throw new FlashException("not pushing a bad bundle: " + String.join("; ", c.problems()));
            }
        }
        BundleCheck local = BundleReader.verify(bundle, new TrustedKeys(java.util.List.of()));
        String version = local.manifest().orElseThrow(() -> new FlashException(bundle + ": " + String.join("; ", local.problems()))).version();
        HttpClient http = client();
        String auth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password()).getBytes(StandardCharsets.UTF_8));
        // Login and certificate first, with a small request: a refused upload of megabytes ends in a reset, not an answer.
        HttpResponse<String> hello = http.send(HttpRequest.newBuilder(box.resolve("/api/update/status")).timeout(Duration.ofSeconds(20))
                .header("Authorization", auth).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (hello.statusCode() == 401 || hello.statusCode() == 403) {
            throw new FlashException(box + ": login refused for " + user + " (HTTP " + hello.statusCode() + ")");
        }
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(box.resolve("/api/update")).timeout(Duration.ofMinutes(5))
                .header("Authorization", auth).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofFile(bundle)).build(), HttpResponse.BodyHandlers.ofString());
        switch (r.statusCode()) {
            case 202 -> { }
            case 400 -> {
                System.out.println("REFUSED " + box.getHost() + ": " + errors(r.body()));
                return 1;
            }
            case 401, 403 -> throw new FlashException(box + ": login refused for " + user + " (HTTP " + r.statusCode() + ")");
            case 409 -> throw new FlashException(box + ": an update is already in progress there");
            default -> throw new FlashException(box + ": HTTP " + r.statusCode() + " " + r.body().strip());
        }
        System.err.println("uploaded " + version + "; waiting for the box to install, restart and check its health ...");
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        long start = System.nanoTime();
        String last = "no answer yet";
        while (System.nanoTime() < deadline) {
            Thread.sleep(1000);
            JsonNode s;
            try {
                HttpResponse<String> st = http.send(HttpRequest.newBuilder(box.resolve("/api/update/status")).timeout(Duration.ofSeconds(5))
                        .header("Authorization", auth).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (st.statusCode() != 200) {
                    last = "HTTP " + st.statusCode();
                    continue;
                }
                s = JSON.readTree(st.body());
            } catch (IOException e) {
                last = "box not answering (restarting)";
                continue;
            }
            String state = s.path("state").asText();
            String running = s.path("version").asText();
            String result = s.path("lastResult").asText();
            long secs = Duration.ofNanos(System.nanoTime() - start).toSeconds();
            if (state.equals("running") && running.equals(version) && s.path("slot").asText().equals(s.path("activeSlot").asText())) {
                System.out.println("OK " + box.getHost() + " runs " + version + " from slot " + s.path("slot").asText() + ", healthy (" + secs + " s)");
                return 0;
            }
            if (state.equals("running") && !running.equals(version) && result.startsWith("rolled back")) {
                System.out.println("ROLLED BACK " + box.getHost() + " runs " + running + " again: " + result);
                return 1;
            }
            last = state + " " + running + (result.isEmpty() ? "" : ": " + result);
        }
        System.out.println("TIMEOUT " + box.getHost() + ": no outcome after " + timeoutSeconds + " s (last: " + last + ")");
        return 1;
    }

    private static String errors(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n.path("errors").isArray()) {
                StringBuilder b = new StringBuilder();
                n.path("errors").forEach(e -> b.append(b.isEmpty() ? "" : "; ").append(e.asText()));
                return b.toString();
            }
            return n.path("error").asText(body.strip());
        } catch (IOException e) {
            return body.strip();
        }
    }

    private String password() throws IOException {
        if (passwordFile != null) {
            return java.nio.file.Files.readAllLines(passwordFile).stream().findFirst().orElse("");
        }
        String p = System.getenv(passwordEnv);
        if (p != null && !p.isEmpty()) {
            return p;
        }
        if (System.console() == null) {
            throw new FlashException("no password: set " + passwordEnv + " or run in a terminal");
        }
        return new String(System.console().readPassword("password for %s at %s: ", user, box.getHost()));
    }

    private HttpClient client() throws Exception {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (fingerprint != null) {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new PinnedCertificate(fingerprint)}, null);
            b.sslContext(ctx);
        }
        return b.build();
    }

    /** Trusts exactly one certificate, named by its SHA-256: a box's self-signed certificate, shown on its console and page. */
    static final class PinnedCertificate extends javax.net.ssl.X509ExtendedTrustManager {
        private final String expected;

        PinnedCertificate(String fingerprint) {
            this.expected = fingerprint.replace(":", "").strip().toLowerCase(java.util.Locale.ROOT);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                String actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded()));
                if (!actual.equals(expected)) {
                    throw new CertificateException("the box's certificate has SHA-256 " + actual + ", not the expected " + expected);
                }
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new CertificateException(e);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("not a server");
        }

        // Extended: JSSE would otherwise add a host name check, which a pinned certificate makes moot
        // (a box is reached by an address its self-signed certificate cannot know in advance).
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine) throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) throws CertificateException {
            throw new CertificateException("not a server");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine) throws CertificateException {
            throw new CertificateException("not a server");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
