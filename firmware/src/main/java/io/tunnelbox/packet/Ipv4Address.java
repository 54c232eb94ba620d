package io.tunnelbox.packet;

import io.tunnelbox.hal.port.Ipv4Text;

/**
 * IPv4 addresses held as an {@code int} (network order bits), as the codecs read them: text form
 * (hal's {@link Ipv4Address}, the one implementation), masks and address classes. Not for the hot path.
 */
public final class Ipv4Address {
    private Ipv4Address() {
    }

    public static String format(int address) {
        return Ipv4Text.format(address);
    }

    /**
     * Parses exactly four decimal octets 0-255 (no leading '+', no empty parts).
     *
     * @throws IllegalArgumentException such as {@code "300.1.1.1" is not an IPv4 address}
     */
    public static int parse(String text) {
        return Ipv4Text.parse(text);
    }

    /** True when {@code text} is a dotted quad; {@link #parseOrZero} then gives its value. */
    public static boolean isValid(String text) {
        return Ipv4Text.isValid(text);
    }

    /** The address, or 0 when {@code text} is not a dotted quad (0.0.0.0 is never a usable address here). */
    public static int parseOrZero(String text) {
        return isValid(text) ? Ipv4Text.parse(text) : 0;
    }

    /** Network mask of a prefix length 0-32, e.g. 24 -> 0xFFFFFF00. */
    public static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
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
