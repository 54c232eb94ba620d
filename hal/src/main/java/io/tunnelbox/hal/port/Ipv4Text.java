package io.tunnelbox.hal.port;

/**
 * Dotted-quad text of IPv4 addresses held as an {@code int} (network order bits), as ports carry
 * them ({@link PacketBatch#peer}): the project's one implementation, here because hal cannot use the
 * firmware's codecs and the firmware builds on hal. Strict: exactly four decimal octets 0-255, no
 * sign, no empty parts, never a name lookup. Not for the hot path.
 */
public final class Ipv4Text {
    private Ipv4Text() {
    }

    public static String format(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "." + (address & 0xFF);
    }

    /** @throws IllegalArgumentException such as {@code "300.1.1.1" is not an IPv4 address} */
    public static int parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("IPv4 address is missing");
        }
        long value = value(text);
        if (value < 0) {
            throw new IllegalArgumentException("\"" + text + "\" is not an IPv4 address");
        }
        return (int) value;
    }

    /** True when {@code text} is a dotted quad that {@link #parse} accepts. */
    public static boolean isValid(String text) {
        return text != null && value(text) >= 0;
    }

    /** The address as an unsigned value, or -1 when {@code text} is not a dotted quad. */
    private static long value(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return -1;
        }
        long address = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3) {
                return -1;
            }
            int octet = 0;
            for (int i = 0; i < part.length(); i++) {
                char c = part.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                octet = octet * 10 + (c - '0');
            }
            if (octet > 255) {
                return -1;
            }
            address = (address << 8) | octet;
        }
        return address;
    }
}
