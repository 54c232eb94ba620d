package io.tunnelbox.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/** An IPv6 prefix as two longs (high and low 64 bits of the address), as the codecs carry IPv6. */
public record Ipv6Prefix(long hi, long lo, int length) implements IpPrefix {
    public Ipv6Prefix {
        if (length < 0 || length > 128) {
            throw new IllegalArgumentException("IPv6 prefix length " + length + " is not in 0..128");
        }
    }

    long hiMask() {
        return length == 0 ? 0 : length >= 64 ? -1L : -1L << (64 - length);
    }

    long loMask() {
        return length <= 64 ? 0 : length == 128 ? -1L : -1L << (128 - length);
    }

    @Override
    public boolean isNetwork() {
        return (hi & ~hiMask()) == 0 && (lo & ~loMask()) == 0;
    }

    @Override
    public Ipv6Prefix network() {
        return new Ipv6Prefix(hi & hiMask(), lo & loMask(), length);
    }

    @Override
    public String toString() {
        byte[] bytes = ByteBuffer.allocate(16).putLong(hi).putLong(lo).array();
        try {
            // A 16-byte array is always a valid IPv6 address: no lookup happens.
            String text = InetAddress.getByAddress(bytes).getHostAddress();
            return compress(text) + "/" + length;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JDK prints every group ("2001:db8:0:0:0:0:0:0"); people write the short form ("2001:db8::"). */
    static String compress(String full) {
        String[] groups = full.split(":");
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < groups.length; ) {
            if (groups[i].equals("0")) {
                int j = i;
                while (j < groups.length && groups[j].equals("0")) {
                    j++;
                }
                if (j - i > bestLen && j - i > 1) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestStart < 0) {
            return full;
        }
        String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLen, groups.length));
        return head + "::" + tail;
    }

    /** Parses an IPv6 literal, or returns null; never does a name lookup. */
    static long[] parseAddress(String text) {
        if (text.isEmpty() || !text.contains(":") || !text.matches("[0-9a-fA-F:.]+")) {
            return null;
        }
        try {
            InetAddress a = InetAddress.getByName(text); // a literal: parsed, not resolved
            if (!(a instanceof Inet6Address)) {
                return null;
            }
            ByteBuffer b = ByteBuffer.wrap(a.getAddress());
            return new long[] {b.getLong(), b.getLong()};
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
