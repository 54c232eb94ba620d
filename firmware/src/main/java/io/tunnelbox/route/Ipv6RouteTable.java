package io.tunnelbox.route;

import io.tunnelbox.packet.Ipv6Prefix;
import java.util.ArrayList;
import java.util.List;

/**
 * IPv6 routes: prefix -> target, longest prefix match on the address given as two longs, without
 * allocating. Single writer: the datapath thread.
 */
public final class Ipv6RouteTable {
    public static final int NO_ROUTE = BinaryTrie.NONE;

    public record Route(Ipv6Prefix prefix, int target) { }

    private final BinaryTrie trie = new BinaryTrie(256);

    public int put(Ipv6Prefix prefix, int target) {
        if (!prefix.isNetwork()) {
            throw new IllegalArgumentException(prefix + " has host bits set");
        }
        return trie.put(prefix.hi(), prefix.lo(), prefix.length(), target);
    }

    public int remove(Ipv6Prefix prefix) {
        return trie.remove(prefix.hi(), prefix.lo(), prefix.length());
    }

    public int get(Ipv6Prefix prefix) {
        return trie.get(prefix.hi(), prefix.lo(), prefix.length());
    }

    /** Target of the longest prefix covering {@code hi:lo}, or {@link #NO_ROUTE}. Hot path. */
    public int lookup(long hi, long lo) {
        return trie.lookup(hi, lo, 128);
    }

    public int size() {
        return trie.size();
    }

    public List<Route> routes() {
        List<Route> out = new ArrayList<>(trie.size());
        trie.forEach((hi, lo, len, t) -> out.add(new Route(new Ipv6Prefix(hi, lo, len), t)));
        return out;
    }

    public int removeTarget(int target) {
        int n = 0;
        for (Route r : routes()) {
            if (r.target() == target) {
                remove(r.prefix());
                n++;
            }
        }
        return n;
    }

    int nodesInUse() {
        return trie.nodesInUse();
    }
}
