package io.tunnelbox.packet;

/** Text form of MAC addresses held as the low 48 bits of a long. Not for the hot path. */
public final class MacAddress {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private MacAddress() {
    }

    /** "aa:bb:cc:dd:ee:ff", lower case. */
    public static String format(long mac) {
        char[] out = new char[17];
        for (int i = 0; i < 6; i++) {
            int b = (int) (mac >>> (40 - 8 * i)) & 0xFF;
            out[3 * i] = HEX[b >>> 4];
            out[3 * i + 1] = HEX[b & 0xF];
            if (i < 5) {
                out[3 * i + 2] = ':';
            }
        }
        return new String(out);
    }

    /**
     * Parses six hex octets separated by ':' or '-' (one or two digits each).
     *
     * @throws IllegalArgumentException naming the text and what is wrong with it
     */
    public static long parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("MAC address is missing");
        }
        String[] parts = text.split("[:-]", -1);
        if (parts.length != 6) {
            throw new IllegalArgumentException("\"" + text + "\" is not a MAC address: expected 6 octets, got " + parts.length);
        }
        long mac = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 2) {
                throw new IllegalArgumentException("\"" + text + "\" is not a MAC address: octet \"" + part + "\"");
            }
            int octet = 0;
            for (int i = 0; i < part.length(); i++) {
                int digit = Character.digit(part.charAt(i), 16);
                if (digit < 0) {
                    throw new IllegalArgumentException("\"" + text + "\" is not a MAC address: octet \"" + part + "\"");
                }
                octet = octet * 16 + digit;
            }
            mac = (mac << 8) | octet;
        }
        return mac;
    }
}
