package io.tunnelbox.route;

import io.tunnelbox.packet.Ipv4Prefix;
import java.util.ArrayList;
import java.util.List;

/**
 * IPv4 routes: prefix -> target (an index the datapath gives meaning to, such as a tunnel number),
 * looked up by longest prefix match without allocating. Single writer: the datapath thread.
 */
public final class Ipv4RouteTable {
    /** What {@link #lookup} returns when no prefix covers the address. */
    public static final int NO_ROUTE = BinaryTrie.NONE;

    /** A route as listed by {@link #routes()}. */
    public record Route(Ipv4Prefix prefix, int target) { }

    private final BinaryTrie trie = new BinaryTrie(64);

    private static long key(int address) {
        return (address & 0xFFFFFFFFL) << 32;
    }

    /** Adds or replaces a route; returns the previous target or {@link #NO_ROUTE}. */
    public int put(Ipv4Prefix prefix, int target) {
        if (!prefix.isNetwork()) {
            throw new IllegalArgumentException(prefix + " has host bits set");
        }
        return trie.put(key(prefix.address()), 0L, prefix.length(), target);
    }

    /** Removes a route; returns its target or {@link #NO_ROUTE} if there was none. */
    public int remove(Ipv4Prefix prefix) {
        return trie.remove(key(prefix.address()), 0L, prefix.length());
    }

    /** Target of exactly this prefix, or {@link #NO_ROUTE}. */
    public int get(Ipv4Prefix prefix) {
        return trie.get(key(prefix.address()), 0L, prefix.length());
    }

    /** Target of the longest prefix covering {@code address}, or {@link #NO_ROUTE}. Hot path. */
    public int lookup(int address) {
        return trie.lookup(key(address), 0L, 32);
    }

    public int size() {
        return trie.size();
    }

    /** Every route, shorter prefixes first within a branch (for "show routes"). */
    public List<Route> routes() {
        List<Route> out = new ArrayList<>(trie.size());
        trie.forEach((hi, lo, len, t) -> out.add(new Route(new Ipv4Prefix((int) (hi >>> 32), len), t)));
        return out;
    }

    /** Removes every route whose target is {@code target} (a tunnel went away); returns how many. */
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
