package io.tunnelbox.ipsec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.hal.testing.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The box's IPsec key pair (needs Debian's openssl). */
class BoxCertificateTest {
    @TempDir
    Path dir;

    @Test
    void shouldMakeThePairOnceWithThePrivateKeyOwnerOnlyEverywhere() throws Exception {
        Requirements.tool("openssl");
        Path home = dir.resolve("home"), swanctl = dir.resolve("swanctl");
        assertEquals(BoxCertificate.CERT, BoxCertificate.ensure(swanctl, home));
        String cert = Files.readString(home.resolve(BoxCertificate.CERT));
        assertTrue(cert.contains("BEGIN CERTIFICATE"), cert);
        for (Path key : new Path[] {home.resolve(BoxCertificate.KEY), swanctl.resolve("private").resolve(BoxCertificate.KEY)}) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)), key.toString());
            assertTrue(Files.readString(key).contains("PRIVATE KEY"), key.toString());
        }
        assertFalse(Files.exists(home.resolve(BoxCertificate.KEY + ".new")), "no temporary file left");

        BoxCertificate.ensure(swanctl, home);
        assertEquals(cert, Files.readString(home.resolve(BoxCertificate.CERT)), "kept across restarts");
    }

    @Test
    void shouldMakeBothAnewWhenACrashLeftHalfAPair() throws Exception {
        Requirements.tool("openssl");
        Path home = dir.resolve("home"), swanctl = dir.resolve("swanctl");
        BoxCertificate.ensure(swanctl, home);
        String cert = Files.readString(home.resolve(BoxCertificate.CERT));
        Files.delete(home.resolve(BoxCertificate.KEY));

        BoxCertificate.ensure(swanctl, home);
        assertNotEquals(cert, Files.readString(home.resolve(BoxCertificate.CERT)), "a new pair, not a certificate without its key");
        assertTrue(Files.exists(home.resolve(BoxCertificate.KEY)));
    }
}
