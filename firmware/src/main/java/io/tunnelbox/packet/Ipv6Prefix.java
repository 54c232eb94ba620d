package io.tunnelbox.packet;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv6 prefix as two longs (high and low 64 bits of the address), as the codecs carry IPv6: the
 * one IPv6 prefix type of the firmware (configuration, route tables, the router's own address).
 */
public record Ipv6Prefix(long hi, long lo, int length) implements IpPrefix {
    public Ipv6Prefix {
        if (length < 0 || length > 128) {
            throw new IllegalArgumentException("IPv6 prefix length " + length + " is not in 0..128");
        }
    }

    /** Parses {@code addr/len}; a bare address means {@code /128}. Literals only, never DNS. */
    public static Ipv6Prefix parse(String text) {
        int slash = text.indexOf('/');
        String addr = slash < 0 ? text : text.substring(0, slash);
        int len = 128;
        if (slash >= 0) {
            try {
                len = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("\"" + text + "\": prefix length is not a number");
            }
        }
        long[] a = parseAddress(addr);
        if (a == null) {
            throw new IllegalArgumentException("\"" + addr + "\" is not an IPv6 address");
        }
        return new Ipv6Prefix(a[0], a[1], len);
    }

    /** Parses a network: host bits set is refused. */
    public static Ipv6Prefix parseNetwork(String text) {
        Ipv6Prefix p = parse(text);
        if (!p.isNetwork()) {
            throw new IllegalArgumentException(p + " has host bits set");
        }
        return p;
    }

    public static long maskHi(int length) {
        return length == 0 ? 0 : length >= 64 ? -1L : -1L << (64 - length);
    }

    public static long maskLo(int length) {
        return length <= 64 ? 0 : length == 128 ? -1L : -1L << (128 - length);
    }

    @Override
    public boolean isNetwork() {
        return (hi & ~maskHi(length)) == 0 && (lo & ~maskLo(length)) == 0;
    }

    @Override
    public Ipv6Prefix network() {
        return new Ipv6Prefix(hi & maskHi(length), lo & maskLo(length), length);
    }

    public boolean contains(long aHi, long aLo) {
        return (aHi & maskHi(length)) == (hi & maskHi(length)) && (aLo & maskLo(length)) == (lo & maskLo(length));
    }

    @Override
    public String toString() {
        return formatAddress(hi, lo) + "/" + length;
    }

    /** The address of an IPv6 literal as {hi, lo}, or null; never does a name lookup. */
    public static long[] parseAddress(String text) {
        if (text.isEmpty() || !text.contains(":") || !text.matches("[0-9a-fA-F:.]+")) {
            return null;
        }
        try {
            InetAddress a = InetAddress.getByName(text); // a literal: parsed, not resolved
            byte[] b = a.getAddress();
            if (!(a instanceof Inet6Address)) {
                // Java turns ::ffff:a.b.c.d into an IPv4 address: map it back
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xFF;
                mapped[11] = (byte) 0xFF;
                System.arraycopy(b, 0, mapped, 12, 4);
                b = mapped;
            }
            return new long[] {word(b, 0), word(b, 8)};
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static long word(byte[] b, int from) {
        long w = 0;
        for (int i = 0; i < 8; i++) {
            w = (w << 8) | (b[from + i] & 0xFF);
        }
        return w;
    }

    /** RFC 5952 text: lower-case hex, the longest run (2+) of zero groups shortened to "::". */
    public static String formatAddress(long hi, long lo) {
        int[] g = new int[8];
        for (int i = 0; i < 4; i++) {
            g[i] = (int) (hi >>> (48 - 16 * i)) & 0xFFFF;
            g[4 + i] = (int) (lo >>> (48 - 16 * i)) & 0xFFFF;
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] == 0) {
                int j = i;
                while (j < 8 && g[j] == 0) {
                    j++;
                }
                if (j - i > bestLen) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
