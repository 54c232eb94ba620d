package io.tunnelbox.route;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv6 prefix such as {@code 2001:db8:2::/48}, the address as two longs (high and low 64 bits).
 * Host bits must be zero, as for {@link Ipv4Prefix}.
 */
public record Ipv6Prefix(long hi, long lo, int length) {

    public Ipv6Prefix {
        if (length < 0 || length > 128) {
            throw new IllegalArgumentException("IPv6 prefix length " + length + " outside 0..128");
        }
        if ((hi & ~maskHi(length)) != 0 || (lo & ~maskLo(length)) != 0) {
            throw new IllegalArgumentException(formatAddress(hi, lo) + "/" + length + " has host bits set");
        }
    }

    static long maskHi(int length) {
        return length == 0 ? 0 : length >= 64 ? -1L : -1L << (64 - length);
    }

    static long maskLo(int length) {
        return length <= 64 ? 0 : length == 128 ? -1L : -1L << (128 - length);
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
        byte[] b = parseAddress(addr);
        return new Ipv6Prefix(word(b, 0), word(b, 8), len);
    }

    /** The 16 bytes of an IPv6 literal; rejects anything that is not one (no name lookups). */
    public static byte[] parseAddress(String text) {
        if (!text.contains(":") || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            throw new IllegalArgumentException("\"" + text + "\" is not an IPv6 address");
        }
        try {
            InetAddress a = InetAddress.getByName(text); // a literal: parsed, never resolved
            byte[] b = a.getAddress();
            if (a instanceof Inet6Address) {
                return b;
            }
            // Java turns ::ffff:a.b.c.d into an IPv4 address: map it back
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xFF;
            mapped[11] = (byte) 0xFF;
            System.arraycopy(b, 0, mapped, 12, 4);
            return mapped;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not an IPv6 address");
        }
    }

    static long word(byte[] b, int from) {
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

    public boolean contains(long aHi, long aLo) {
        return (aHi & maskHi(length)) == hi && (aLo & maskLo(length)) == lo;
    }

    @Override
    public String toString() {
        return formatAddress(hi, lo) + "/" + length;
    }
}
