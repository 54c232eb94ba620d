package io.tunnelbox.config;

import java.time.Instant;

/**
 * One stored version: its number (counting up from 1; only committed versions count, so a refused
 * commit's number goes to the next one), when, who, and why. The comment holds no control
 * characters: they are escaped ({@link #escapeControls}) before they reach a log, a terminal or a file.
 */
public record ConfigVersion(int number, Instant time, String author, String comment) {
    public ConfigVersion {
        author = escapeControls(author);
        comment = escapeControls(comment);
    }

    /**
     * Writes control characters (C0, DEL, C1, and the Unicode line and paragraph separators and
     * direction overrides that can rewrite what a terminal shows) as {@code \xNN} or {@code \\uNNNN};
     * a backslash itself stays as it is.
     */
    public static String escapeControls(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
                    || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
            if (control && out == null) {
                out = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (out != null) {
                if (!control) {
                    out.append(c);
                } else if (c <= 0xff) {
                    out.append(String.format("\\x%02x", (int) c));
                } else {
                    out.append(String.format("\\u%04x", (int) c));
                }
            }
        }
        return out == null ? text : out.toString();
    }
}
