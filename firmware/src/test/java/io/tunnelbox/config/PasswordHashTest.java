package io.tunnelbox.config;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordHashTest {
    @Test
    void shouldVerifyTheRightPasswordOnly() {
        String h = PasswordHash.hash("correct horse".toCharArray(), 2_000);
        assertTrue(PasswordHash.isWellFormed(h));
        assertTrue(h.startsWith("pbkdf2-sha256$2000$"), h);
        assertTrue(PasswordHash.verify("correct horse".toCharArray(), h));
        assertFalse(PasswordHash.verify("correct horsE".toCharArray(), h));
        assertFalse(PasswordHash.verify("".toCharArray(), h));
    }

    @Test
    void shouldSaltEveryHash() {
        assertNotEquals(PasswordHash.hash("same".toCharArray(), 2_000), PasswordHash.hash("same".toCharArray(), 2_000));
    }

    @Test
    void shouldMatchTheRfc6070StyleVectorForPbkdf2Sha256() {
        // PBKDF2-HMAC-SHA256("password", "salt", 4096 iterations, 32 bytes), a published test vector.
        String encoded = "pbkdf2-sha256$4096$" + java.util.Base64.getEncoder().encodeToString("salt".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                + "$" + java.util.Base64.getEncoder().encodeToString(java.util.HexFormat.of()
                .parseHex("c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a"));
        assertTrue(PasswordHash.verify("password".toCharArray(), encoded));
    }

    @Test
    void shouldRefuseMalformedHashesWithoutThrowing() {
        for (String bad : new String[] {null, "", "plain", "pbkdf2-sha256$10$c2FsdHNhbHRzYWx0c2FsdA==$" + "A".repeat(44),
                "pbkdf2-sha1$4096$c2FsdHNhbHRzYWx0c2FsdA==$" + "A".repeat(44), "pbkdf2-sha256$4096$!!!!$????"}) {
            assertFalse(PasswordHash.isWellFormed(bad), String.valueOf(bad));
            assertFalse(PasswordHash.verify("x".toCharArray(), bad));
        }
    }

    @Test
    void shouldWipeAPassword() {
        char[] pw = "secret".toCharArray();
        PasswordHash.wipe(pw);
        assertEquals("\0\0\0\0\0\0", new String(pw));
    }
}
