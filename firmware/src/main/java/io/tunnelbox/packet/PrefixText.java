package io.tunnelbox.packet;

/** The {@code /len} part of a prefix's text, shared by {@link Ipv4Prefix} and {@link Ipv6Prefix}. */
final class PrefixText {
    private PrefixText() {
    }

    /** The text before the slash: the address. */
    static String address(String text) {
        int slash = text.indexOf('/');
        return slash < 0 ? text : text.substring(0, slash);
    }

    /** The number after the slash, or {@code hostLength} (a bare address) when there is none. */
    static int length(String text, int hostLength) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return hostLength;
        }
        try {
            return Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + text + "\": prefix length is not a number");
        }
    }
}
