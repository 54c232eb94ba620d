package io.tunnelbox.flash;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A stand-in for the box's update endpoint (the web UI's {@code UpdateApi}), for
 * {@link PushCommandTest}'s cases a real box cannot play on demand (a refusal, a box that never
 * comes back): the documented contract of {@link PushCommand} on an HTTPS server with a
 * self-signed certificate (keytool) and an admin login, passing uploads to a handler. The
 * end-to-end test pushes to the real endpoint.
 */
public final class UpdateApiStandIn implements AutoCloseable {
    public static final String USER = "admin";
    public static final String PASSWORD = "correct horse";

    private final HttpsServer server;
    private final String fingerprint;

    /**
     * @param update  takes the uploaded bundle file, answers the box's text: "firmware ..." when
     *                accepted, "error: update refused: ..." lines when not
     * @param status  the status JSON, or null while the box is not answering
     */
    public UpdateApiStandIn(Path dir, Function<Path, String> update, Supplier<String> status) throws Exception {
        Path ks = dir.resolve("box.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", "box", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=tunnelbox", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", "changeit").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("keytool: " + out);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        fingerprint = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(store.getCertificate("box").getEncoded()));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(store, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ctx));
        server.createContext("/api/update", ex -> handle(ex, () -> {
            if (!ex.getRequestMethod().equals("POST")) {
                reply(ex, 405, "{}");
                return;
            }
            Path upload = Files.createTempFile(dir, "upload-", ".tbx");
            Files.write(upload, body(ex));
            String answer = update.apply(upload);
            if (answer.startsWith("firmware ")) {
                reply(ex, 202, "{\"message\": " + quote(answer) + "}");
            } else {
                StringBuilder errors = new StringBuilder();
                answer.lines().forEach(l -> errors.append(errors.isEmpty() ? "" : ", ").append(quote(l.replaceFirst("^error: update refused: ", ""))));
                reply(ex, 400, "{\"errors\": [" + errors + "]}");
            }
        }));
        server.createContext("/api/update/status", ex -> handle(ex, () -> {
            String s = status.get();
            if (s == null) {
                reply(ex, 503, "{}");
            } else {
                reply(ex, 200, s);
            }
        }));
        server.start();
    }

    public String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    public String fingerprint() {
        return fingerprint;
    }

    private interface Body {
        void run() throws IOException;
    }

    private static final String BODY = "upload";

    private static byte[] body(HttpExchange ex) {
        return (byte[]) ex.getAttribute(BODY);
    }

    private static void handle(HttpExchange ex, Body body) throws IOException {
        String expected = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        try (ex) {
            ex.setAttribute(BODY, ex.getRequestBody().readAllBytes()); // read whole even when refused, as a server must
            if (!expected.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                reply(ex, 401, "{}");
                return;
            }
            body.run();
        }
    }

    private static void reply(HttpExchange ex, int code, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(code, b.length);
        ex.getResponseBody().write(b);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
