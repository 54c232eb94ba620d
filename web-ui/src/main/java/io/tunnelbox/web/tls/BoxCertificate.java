package io.tunnelbox.web.tls;

import io.tunnelbox.config.AtomicFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.tinylog.Logger;

/**
 * The box's TLS key and certificate: made on first start, kept under the state directory (owner-only
 * files) and reused across restarts, so the fingerprint an admin checked once stays valid.
 */
public final class BoxCertificate {
    static final String KEY_FILE = "tls-key.pem";
    static final String CERT_FILE = "tls-cert.pem";
    private static final Duration VALIDITY = Duration.ofDays(3650);
    /** Server-side TLS sessions kept for resumption: a handful of admins' browsers, not the JDK's 20,480 for a day. */
    static final int SESSION_CACHE_SIZE = 64;
    static final int SESSION_TIMEOUT_SECONDS = 3600;

    private final PrivateKey key;
    private final X509Certificate certificate;

    private BoxCertificate(PrivateKey key, X509Certificate certificate) {
        this.key = key;
        this.certificate = certificate;
    }

    /** Loads the key and certificate from {@code dir}, or makes and stores them when absent. */
    public static BoxCertificate loadOrMake(Path dir, String hostname, List<byte[]> addresses, Instant now) throws IOException {
        Path keyFile = dir.resolve(KEY_FILE);
        Path certFile = dir.resolve(CERT_FILE);
        try {
            if (Files.exists(keyFile) && Files.exists(certFile)) {
                return load(keyFile, certFile);
            }
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            SelfSignedCertificate.Made m = SelfSignedCertificate.make(hostname, List.of(hostname), addresses, now, VALIDITY);
            AtomicFile.write(keyFile, pem("PRIVATE KEY", m.keys().getPrivate().getEncoded()));
            AtomicFile.write(certFile, pem("CERTIFICATE", m.certificate().getEncoded()));
            BoxCertificate c = new BoxCertificate(m.keys().getPrivate(), m.certificate());
            Logger.info("web: made a TLS key and self-signed certificate, SHA-256 fingerprint {}", c.fingerprint());
            return c;
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS key or certificate in " + dir + " unusable: " + e.getMessage(), e);
        }
    }

    private static BoxCertificate load(Path keyFile, Path certFile) throws IOException, GeneralSecurityException {
        byte[] keyDer = unpem(Files.readString(keyFile, StandardCharsets.US_ASCII), keyFile);
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(keyDer));
        byte[] certDer = unpem(Files.readString(certFile, StandardCharsets.US_ASCII), certFile);
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certDer));
        return new BoxCertificate(key, cert);
    }

    /** SHA-256 of the certificate, as browsers show it: {@code AB:CD:...}. */
    public String fingerprint() {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 and an encodable certificate are always there", e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * A server-side TLS context over this key (TLS 1.2 and 1.3, the JDK's default suites), with the
     * key handed over directly ({@link BoxKeyManager}) and no client trust ({@link NoClientCertificates}).
     */
    public SSLContext sslContext() throws IOException {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(new KeyManager[] {new BoxKeyManager(key, certificate)}, new TrustManager[] {new NoClientCertificates()}, null);
            ctx.getServerSessionContext().setSessionCacheSize(SESSION_CACHE_SIZE);
            ctx.getServerSessionContext().setSessionTimeout(SESSION_TIMEOUT_SECONDS);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static byte[] pem(String type, byte[] der) {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return ("-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] unpem(String text, Path file) throws IOException {
        String body = text.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is not PEM: " + e.getMessage(), e);
        }
    }
}
