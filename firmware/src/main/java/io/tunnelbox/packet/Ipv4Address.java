package io.tunnelbox.packet;

/** Dotted-quad text form of IPv4 addresses held as an int (network order bits). Not for the hot path. */
public final class Ipv4Address {
    private Ipv4Address() {
    }

    public static String format(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "." + (address & 0xFF);
    }

    /**
     * Parses exactly four decimal octets 0-255 (no leading '+', no empty parts).
     *
     * @throws IllegalArgumentException such as {@code "300.1.1.1" is not an IPv4 address}
     */
    public static int parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("IPv4 address is missing");
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("\"" + text + "\" is not an IPv4 address");
        }
        int address = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3) {
                throw new IllegalArgumentException("\"" + text + "\" is not an IPv4 address");
            }
            int octet = 0;
            for (int i = 0; i < part.length(); i++) {
                char c = part.charAt(i);
                if (c < '0' || c > '9') {
                    throw new IllegalArgumentException("\"" + text + "\" is not an IPv4 address");
                }
                octet = octet * 10 + (c - '0');
            }
            if (octet > 255) {
                throw new IllegalArgumentException("\"" + text + "\" is not an IPv4 address");
            }
            address = (address << 8) | octet;
        }
        return address;
    }

    /** Network mask of a prefix length 0-32, e.g. 24 -> 0xFFFFFF00. */
    public static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }
}
