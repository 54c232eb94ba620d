package io.tunnelbox.config;

/** Dotted-quad text for IPv4 addresses held as {@code int}, strict: four decimal numbers 0..255. */
public final class Ipv4Text {
    private Ipv4Text() {
    }

    /** True when {@code text} is a dotted quad; {@link #parseOrZero} then gives its value. */
    public static boolean isValid(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return false;
            }
            if (Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    /** The address, or 0 when {@code text} is not a dotted quad (0.0.0.0 is never a usable address here). */
    public static int parseOrZero(String text) {
        if (!isValid(text)) {
            return 0;
        }
        int value = 0;
        for (String p : text.split("\\.")) {
            value = value << 8 | Integer.parseInt(p);
        }
        return value;
    }

    public static String format(int address) {
        return io.tunnelbox.packet.Ipv4Address.format(address);
    }

    public static boolean isMulticast(int address) {
        return (address >>> 28) == 0xe;
    }

    /** Usable as a unicast peer: not 0/8, loopback, multicast, reserved or broadcast. */
    public static boolean isUnicast(int address) {
        int first = address >>> 24;
        return first != 0 && first != 127 && first < 224;
    }
}
