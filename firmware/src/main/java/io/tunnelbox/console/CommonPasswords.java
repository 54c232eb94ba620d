package io.tunnelbox.console;

import java.util.Locale;
import java.util.Set;

/**
 * Refuses the passwords every scanner tries first. A short list of the most common ones of 8 or
 * more characters (from the published breach-frequency lists), plus the patterns behind most of
 * the rest: one repeated character, a run of the keyboard or of digits.
 */
final class CommonPasswords {
    private static final Set<String> COMMON = Set.of(
            "12345678", "123456789", "1234567890", "password", "password1", "password123", "passw0rd",
            "qwertyuiop", "qwerty123", "iloveyou", "11111111", "00000000", "88888888", "87654321", "abcd1234",
            "1q2w3e4r", "1qaz2wsx", "qazwsxedc", "sunshine", "princess", "football", "baseball", "welcome1",
            "welcome123", "admin123", "administrator", "letmein1", "trustno1", "superman", "starwars",
            "changeme", "change-me", "tunnelbox", "raspberry", "default1", "p@ssw0rd", "zaq12wsx", "asdfghjkl",
            "q1w2e3r4", "q1w2e3r4t5", "1234qwer", "qwer1234", "monkey123", "dragon123", "master123");
    private static final String[] RUNS = {"0123456789", "9876543210", "abcdefghijklmnopqrstuvwxyz",
            "qwertyuiop", "asdfghjkl", "zxcvbnm"};

    private CommonPasswords() {
    }

    /** Why {@code password} is too easy to guess, or null when it is not on the list. */
    static String weakness(char[] password) {
        String p = new String(password).toLowerCase(Locale.ROOT);
        if (COMMON.contains(p)) {
            return "that is one of the most common passwords";
        }
        if (p.chars().distinct().count() == 1) {
            return "one character repeated is too easy to guess";
        }
        for (String run : RUNS) {
            if (run.contains(p)) {
                return "a run of the keyboard or of digits is too easy to guess";
            }
        }
        return null;
    }
}
