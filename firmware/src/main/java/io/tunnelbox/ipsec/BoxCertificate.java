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
 * self-signed certificate (CN=tunnelbox, 10 years), made by {@code openssl} the first time a peer
 * uses certificates and kept in the state directory so it survives restarts and updates. Both are
 * made under temporary names and renamed into place, so a crash never leaves half a pair behind
 * (a missing one makes both anew); the key is 0600 wherever it is copied. The admin gives this certificate to the peer as its {@code ca} (a self-signed
 * certificate is its own CA), or replaces both files with ones their own CA signed.
 */
final class BoxCertificate {
    static final String CERT = "box-cert.pem";
    static final String KEY = "box-key.pem";
    private static final java.nio.file.attribute.FileAttribute<?> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private BoxCertificate() {
    }

    /** Makes the pair in {@code home} if missing, copies it into swanctl's folders; the certificate's file name. */
    static String ensure(Path swanctlDir, Path home) throws IOException {
        Path cert = home.resolve(CERT);
        Path key = home.resolve(KEY);
        if (!Files.exists(cert) || !Files.exists(key)) {
            Files.createDirectories(home);
            Path newKey = home.resolve(KEY + ".new");
            Path newCert = home.resolve(CERT + ".new");
            Files.deleteIfExists(newKey);
            Files.deleteIfExists(newCert);
            Files.createFile(newKey, OWNER_ONLY);
            Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "3650", "-subj", "/CN=tunnelbox",
                    "-keyout", newKey.toString(), "-out", newCert.toString()).redirectErrorStream(true).start();
            try {
                String out = new String(p.getInputStream().readAllBytes());
                if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IOException("openssl could not make the box's IPsec key pair: " + out.strip());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while making the box's IPsec key pair");
            }
            Files.move(newKey, key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(newCert, cert, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Logger.info("ipsec: made the box's key pair; give {} to the peers as their \"ca\"", cert);
        }
        Files.createDirectories(swanctlDir.resolve("x509"));
        Files.createDirectories(swanctlDir.resolve("private"));
        Files.copy(cert, swanctlDir.resolve("x509").resolve(CERT), StandardCopyOption.REPLACE_EXISTING);
        Path keyCopy = swanctlDir.resolve("private").resolve(KEY);
        Files.deleteIfExists(keyCopy);
        Files.createFile(keyCopy, OWNER_ONLY);
        Files.write(keyCopy, Files.readAllBytes(key));
        return CERT;
    }
}
