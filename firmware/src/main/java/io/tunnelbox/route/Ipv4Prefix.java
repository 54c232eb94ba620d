package io.tunnelbox.route;

/**
 * An IPv4 prefix such as {@code 192.168.2.0/24}. Host bits must be zero: a route written as
 * {@code 192.168.2.1/24} is almost always a typo, so it is rejected rather than silently masked.
 */
public record Ipv4Prefix(int address, int length) {

    public Ipv4Prefix {
        if (length < 0 || length > 32) {
            throw new IllegalArgumentException("IPv4 prefix length " + length + " outside 0..32");
        }
        if ((address & ~mask(length)) != 0) {
            throw new IllegalArgumentException(formatAddress(address) + "/" + length + " has host bits set");
        }
    }

    /** Network mask of a prefix length ({@code 24 -> 0xFFFFFF00}). */
    public static int mask(int length) {
        return length == 0 ? 0 : -1 << (32 - length);
    }

    /** Parses {@code a.b.c.d/len}; a bare address means {@code /32}. */
    public static Ipv4Prefix parse(String text) {
        int slash = text.indexOf('/');
        String addr = slash < 0 ? text : text.substring(0, slash);
        int len = 32;
        if (slash >= 0) {
            try {
                len = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("\"" + text + "\": prefix length is not a number");
            }
        }
        return new Ipv4Prefix(parseAddress(addr), len);
    }

    /** Parses a dotted-quad IPv4 address. */
    public static int parseAddress(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("\"" + text + "\" is not an IPv4 address");
        }
        int a = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("\"" + text + "\" is not an IPv4 address");
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                throw new IllegalArgumentException("\"" + text + "\" is not an IPv4 address");
            }
            a = (a << 8) | v;
        }
        return a;
    }

    public static String formatAddress(int a) {
        return (a >>> 24) + "." + ((a >>> 16) & 0xFF) + "." + ((a >>> 8) & 0xFF) + "." + (a & 0xFF);
    }

    public boolean contains(int a) {
        return (a & mask(length)) == address;
    }

    @Override
    public String toString() {
        return formatAddress(address) + "/" + length;
    }
}
