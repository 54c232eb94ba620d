package io.tunnelbox.ipsec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

/**
 * The box's own IPsec key pair for certificate authentication: an ECDSA P-256 key and a
 * self-signed certificate (CN = the box's WAN address, 10 years), made by {@code openssl} the first
 * time a peer uses certificates and kept in the state directory so it survives restarts and
 * updates. The admin gives this certificate to the peer as its {@code ca} (a self-signed
 * certificate is its own CA), or replaces both files with ones their own CA signed.
 */
final class BoxCertificate {
    static final String CERT = "box-cert.pem";
    static final String KEY = "box-key.pem";

    private BoxCertificate() {
    }

    /** Makes the pair in {@code home} if missing, copies it into swanctl's folders; the certificate's file name. */
    static String ensure(Path swanctlDir, Path home) throws IOException {
        Path cert = home.resolve(CERT);
        Path key = home.resolve(KEY);
        if (!Files.exists(cert) || !Files.exists(key)) {
            Files.createDirectories(home);
            Files.deleteIfExists(key);
            Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "3650", "-subj", "/CN=tunnelbox",
                    "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
            try {
                String out = new String(p.getInputStream().readAllBytes());
                if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IOException("openssl could not make the box's IPsec key pair: " + out.strip());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while making the box's IPsec key pair");
            }
            Logger.info("ipsec: made the box's key pair; give {} to the peers as their \"ca\"", cert);
        }
        Files.createDirectories(swanctlDir.resolve("x509"));
        Files.createDirectories(swanctlDir.resolve("private"));
        Files.copy(cert, swanctlDir.resolve("x509").resolve(CERT), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(key, swanctlDir.resolve("private").resolve(KEY), StandardCopyOption.REPLACE_EXISTING);
        return CERT;
    }
}
