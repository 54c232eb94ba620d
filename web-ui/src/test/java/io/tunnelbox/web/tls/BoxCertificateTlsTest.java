package io.tunnelbox.web.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The page's TLS context, with its own key manager and no client trust: real handshakes over loopback. */
class BoxCertificateTlsTest {
    Path dir;
    BoxCertificate box;
    SSLServerSocket server;

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory("box-tls");
        box = BoxCertificate.loadOrMake(dir, "box1", List.of(new byte[] {127, 0, 0, 1}), Instant.now());
        server = (SSLServerSocket) box.sslContext().getServerSocketFactory().createServerSocket(0, 4, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void tearDown() throws Exception {
        server.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** A client trusting exactly the box's certificate, as a browser does once the admin checked the fingerprint. */
    private SSLContext client() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("box", box.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** The server's side of one connection: handshake, echo one byte back. */
    private CompletableFuture<Integer> serveOne() {
        return CompletableFuture.supplyAsync(() -> {
            try (SSLSocket s = (SSLSocket) server.accept()) {
                s.setSoTimeout(10_000);
                InputStream in = s.getInputStream();
                int b = in.read();
                OutputStream out = s.getOutputStream();
                out.write(b);
                out.flush();
                return b;
            } catch (Exception e) {
                return -1;
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void shouldServeTheBoxCertificateOverTls12And13(String protocol) throws Exception {
        CompletableFuture<Integer> served = serveOne();
        try (SSLSocket s = (SSLSocket) client().getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            s.setSoTimeout(10_000);
            s.setEnabledProtocols(new String[] {protocol});
            s.startHandshake();
            assertEquals(protocol, s.getSession().getProtocol());
            assertArrayEquals(new java.security.cert.Certificate[] {box.certificate()}, s.getSession().getPeerCertificates());
            s.getOutputStream().write(42);
            s.getOutputStream().flush();
            assertEquals(42, s.getInputStream().read());
        }
        assertEquals(42, served.get(10, TimeUnit.SECONDS));
    }

    @Test
    void shouldAskNoClientCertificateAndKeepFewSessions() throws Exception {
        CompletableFuture<Integer> served = serveOne();
        try (SSLSocket s = (SSLSocket) client().getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            s.setSoTimeout(10_000);
            s.startHandshake();
            assertNull(s.getSession().getLocalCertificates(), "the client sent no certificate");
            s.getOutputStream().write(1);
            s.getOutputStream().flush();
            assertEquals(1, s.getInputStream().read());
        }
        served.get(10, TimeUnit.SECONDS);
        SSLContext ctx = box.sslContext();
        assertEquals(BoxCertificate.SESSION_CACHE_SIZE, ctx.getServerSessionContext().getSessionCacheSize());
        assertEquals(BoxCertificate.SESSION_TIMEOUT_SECONDS, ctx.getServerSessionContext().getSessionTimeout());
        assertThrows(CertificateException.class, () -> new NoClientCertificates().checkClientTrusted(
                new X509Certificate[] {box.certificate()}, "EC"), "a client certificate, even the box's own, is trusted for nothing");
    }

    @Test
    void shouldRefuseAClientThatTrustsAnotherCertificate() throws Exception {
        serveOne();
        SSLContext stranger = SSLContext.getInstance("TLS");
        stranger.init(null, null, null); // the system's CAs: they never signed the box's own certificate
        try (SSLSocket s = (SSLSocket) stranger.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            s.setSoTimeout(10_000);
            assertThrows(SSLHandshakeException.class, s::startHandshake);
        }
    }
}
