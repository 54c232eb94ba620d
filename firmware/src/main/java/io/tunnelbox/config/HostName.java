package io.tunnelbox.config;

import java.util.regex.Pattern;

/**
 * A DNS host name as RFC 1123 section 2.1 allows it (labels of letters, digits and inner hyphens,
 * 1 to 63 characters each, 253 in all), used where a peer may sit behind a dynamic address.
 * A name whose last label is all digits is refused: it is a mistyped IPv4 address, not a name.
 */
public final class HostName {
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    private HostName() {
    }

    public static boolean isValid(String text) {
        if (text.isEmpty() || text.length() > 253) {
            return false;
        }
        String[] labels = text.split("\\.", -1);
        for (String l : labels) {
            if (!LABEL.matcher(l).matches()) {
                return false;
            }
        }
        return !labels[labels.length - 1].chars().allMatch(Character::isDigit);
    }
}
