package io.tunnelbox.packet;

/**
 * An IPv4 address with a prefix length: a network ({@code 192.168.2.0/24}, routes and route
 * tables) or an interface address ({@code 192.168.1.1/24}, host bits set). The one IPv4 prefix type
 * of the firmware; where only networks make sense, callers check {@link #isNetwork()}.
 */
public record Ipv4Prefix(int address, int length) implements IpPrefix {
    public Ipv4Prefix {
        if (length < 0 || length > 32) {
            throw new IllegalArgumentException("IPv4 prefix length " + length + " is not in 0..32");
        }
    }

    /** Parses {@code a.b.c.d/len}; a bare address means {@code /32}. */
    public static Ipv4Prefix parse(String text) {
        int slash = text.indexOf('/');
        int len = 32;
        if (slash >= 0) {
            try {
                len = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("\"" + text + "\": prefix length is not a number");
            }
        }
        return new Ipv4Prefix(Ipv4Address.parse(slash < 0 ? text : text.substring(0, slash)), len);
    }

    /** Parses a network: host bits set is refused (a route written so is almost always a typo). */
    public static Ipv4Prefix parseNetwork(String text) {
        Ipv4Prefix p = parse(text);
        if (!p.isNetwork()) {
            throw new IllegalArgumentException(p + " has host bits set");
        }
        return p;
    }

    /** Network mask of a prefix length ({@code 24 -> 0xFFFFFF00}). */
    public static int mask(int length) {
        return Ipv4Address.mask(length);
    }

    public int mask() {
        return mask(length);
    }

    @Override
    public boolean isNetwork() {
        return (address & ~mask()) == 0;
    }

    @Override
    public Ipv4Prefix network() {
        return new Ipv4Prefix(address & mask(), length);
    }

    public boolean contains(int ip) {
        return (ip & mask()) == (address & mask());
    }

    @Override
    public String toString() {
        return Ipv4Address.format(address) + "/" + length;
    }
}
