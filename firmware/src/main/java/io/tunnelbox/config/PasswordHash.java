package io.tunnelbox.config;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Admin password hashes: PBKDF2 with HMAC-SHA256, a random 16-byte salt, stored as
 * {@code pbkdf2-sha256$<iterations>$<salt, base64>$<hash, base64>} so the cost can be raised later
 * without breaking old hashes. Passwords are taken as char[] so callers can wipe them.
 */
public final class PasswordHash {
    public static final String FORMAT_HINT = "\"pbkdf2-sha256$<iterations>$<salt>$<hash>\"";
    /** Costly enough to slow guessing, cheap enough for a login on a small ARM board (~0.3 s). */
    public static final int DEFAULT_ITERATIONS = 210_000;
    static final int MIN_ITERATIONS = 1_000;
    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final Pattern FORMAT = Pattern.compile("pbkdf2-sha256\\$([0-9]{4,9})\\$([A-Za-z0-9+/=]{8,})\\$([A-Za-z0-9+/=]{32,})");
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHash() {
    }

    public static String hash(char[] password) {
        return hash(password, DEFAULT_ITERATIONS);
    }

    public static String hash(char[] password, int iterations) {
        if (iterations < MIN_ITERATIONS) {
            throw new IllegalArgumentException("at least " + MIN_ITERATIONS + " iterations, got " + iterations);
        }
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        byte[] h = derive(password, salt, iterations, 32);
        Base64.Encoder b64 = Base64.getEncoder();
        return "pbkdf2-sha256$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(h);
    }

    public static boolean isWellFormed(String encoded) {
        if (encoded == null) {
            return false;
        }
        var m = FORMAT.matcher(encoded);
        if (!m.matches() || Long.parseLong(m.group(1)) < MIN_ITERATIONS) {
            return false;
        }
        try {
            Base64.getDecoder().decode(m.group(2));
            return Base64.getDecoder().decode(m.group(3)).length >= 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** True when {@code password} matches; false for a wrong password or a malformed hash. */
    public static boolean verify(char[] password, String encoded) {
        if (!isWellFormed(encoded)) {
            return false;
        }
        String[] parts = encoded.split("\\$");
        int iterations = Integer.parseInt(parts[1]);
        byte[] salt = Base64.getDecoder().decode(parts[2]);
        byte[] expected = Base64.getDecoder().decode(parts[3]);
        byte[] actual = derive(password, salt, iterations, expected.length);
        return MessageDigest.isEqual(expected, actual); // constant time
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations, int bytes) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bytes * 8);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is part of every JDK", e);
        } finally {
            spec.clearPassword();
        }
    }

    /** Wipes a password the caller no longer needs. */
    public static void wipe(char[] password) {
        Arrays.fill(password, '\0');
    }
}
