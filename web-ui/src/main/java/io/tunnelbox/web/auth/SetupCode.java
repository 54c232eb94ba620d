package io.tunnelbox.web.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;

/**
 * The one-time code that lets the first admin be created from the web page: shown on the serial
 * console and in the log of a box without an admin, so only someone who can read those (who holds
 * the box) can claim it from the network. It dies once used.
 */
public final class SetupCode {
    /** No 0/O, 1/I/L: read off a terminal and typed on a phone. */
    private static final String ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private String code;

    private SetupCode(String code) {
        this.code = code;
    }

    /** A fresh code: 12 characters in three groups, about 59 bits. */
    public static SetupCode fresh() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            if (i > 0 && i % 4 == 0) {
                b.append('-');
            }
            b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return new SetupCode(b.toString());
    }

    /** The code while it is alive. */
    public synchronized Optional<String> current() {
        return Optional.ofNullable(code);
    }

    /** Constant-time check, forgiving case, blanks and dashes; false once used. */
    public synchronized boolean matches(String given) {
        if (code == null || given == null) {
            return false;
        }
        byte[] a = normal(code);
        byte[] b = normal(given);
        return MessageDigest.isEqual(a, b);
    }

    /** Kills the code: it was used (or an admin exists by other means). */
    public synchronized void use() {
        code = null;
    }

    private static byte[] normal(String s) {
        return s.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return "SetupCode[hidden]";
    }
}
