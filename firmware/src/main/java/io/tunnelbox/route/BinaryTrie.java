package io.tunnelbox.route;

import java.util.Arrays;

/**
 * Longest-prefix match over keys of up to 128 bits (IPv4 keys sit in the top 32 bits of {@code hi}),
 * as a binary trie held in int arrays: a lookup walks at most one node per prefix bit, reads only
 * primitives and allocates nothing. Nodes are recycled through a free list so routes can come and go
 * for the life of the box without the arrays growing.
 *
 * <p>Single writer: mutated and read by the datapath thread only.
 */
final class BinaryTrie {
    static final int NONE = -1;
    private static final int ROOT = 0;

    /** child[2 * node + bit]; 0 means "no child" (the root is nobody's child). */
    private int[] child;
    /** Target of the prefix ending at a node, or NONE. */
    private int[] value;
    private int used = 1;
    private int freeHead = NONE;
    private int routes;

    BinaryTrie(int initialNodes) {
        int n = Math.max(2, initialNodes);
        child = new int[2 * n];
        value = new int[n];
        Arrays.fill(value, NONE);
    }

    int size() {
        return routes;
    }

    private static int bit(long hi, long lo, int i) {
        long word = i < 64 ? hi : lo;
        return (int) ((word >>> (63 - (i & 63))) & 1L);
    }

    /** Target of the longest prefix covering the key, or {@link #NONE}. */
    int lookup(long hi, long lo, int maxBits) {
        int[] c = child;
        int[] v = value;
        int node = ROOT;
        int best = v[ROOT];
        for (int i = 0; i < maxBits; i++) {
            node = c[2 * node + bit(hi, lo, i)];
            if (node == 0) {
                break;
            }
            int t = v[node];
            if (t != NONE) {
                best = t;
            }
        }
        return best;
    }

    /** Target stored for exactly this prefix, or {@link #NONE}. */
    int get(long hi, long lo, int length) {
        int node = ROOT;
        for (int i = 0; i < length; i++) {
            node = child[2 * node + bit(hi, lo, i)];
            if (node == 0) {
                return NONE;
            }
        }
        return value[node];
    }

    /** Sets the prefix's target; returns the previous one or {@link #NONE}. */
    int put(long hi, long lo, int length, int target) {
        if (target < 0) {
            throw new IllegalArgumentException("route target must be >= 0: " + target);
        }
        int node = ROOT;
        for (int i = 0; i < length; i++) {
            int slot = 2 * node + bit(hi, lo, i);
            int next = child[slot];
            if (next == 0) {
                next = newNode();
                child[slot] = next; // child may have been reallocated by newNode
            }
            node = next;
        }
        int old = value[node];
        value[node] = target;
        if (old == NONE) {
            routes++;
        }
        return old;
    }

    /** Removes the prefix; returns its target or {@link #NONE} if it was absent. */
    int remove(long hi, long lo, int length) {
        int[] path = new int[length + 1];
        int node = ROOT;
        path[0] = ROOT;
        for (int i = 0; i < length; i++) {
            node = child[2 * node + bit(hi, lo, i)];
            if (node == 0) {
                return NONE;
            }
            path[i + 1] = node;
        }
        int old = value[node];
        if (old == NONE) {
            return NONE;
        }
        value[node] = NONE;
        routes--;
        // prune the branch back up while it holds nothing
        for (int depth = length; depth > 0; depth--) {
            int n = path[depth];
            if (value[n] != NONE || child[2 * n] != 0 || child[2 * n + 1] != 0) {
                break;
            }
            child[2 * path[depth - 1] + bit(hi, lo, depth - 1)] = 0;
            release(n);
        }
        return old;
    }

    /** Calls {@code visitor} for every stored prefix, in key order (shorter before longer). */
    void forEach(Visitor visitor) {
        walk(ROOT, 0L, 0L, 0, visitor);
    }

    @FunctionalInterface
    interface Visitor {
        void visit(long hi, long lo, int length, int target);
    }

    private void walk(int node, long hi, long lo, int depth, Visitor visitor) {
        if (value[node] != NONE) {
            visitor.visit(hi, lo, depth, value[node]);
        }
        for (int b = 0; b < 2; b++) {
            int next = child[2 * node + b];
            if (next != 0) {
                long h = hi;
                long l = lo;
                if (b == 1) {
                    if (depth < 64) {
                        h |= 1L << (63 - depth);
                    } else {
                        l |= 1L << (127 - depth);
                    }
                }
                walk(next, h, l, depth + 1, visitor);
            }
        }
    }

    /** Nodes in use (root included): shows that removals give memory back. */
    int nodesInUse() {
        int free = 0;
        for (int f = freeHead; f != NONE; f = child[2 * f]) {
            free++;
        }
        return used - free;
    }

    private int newNode() {
        int n;
        if (freeHead != NONE) {
            n = freeHead;
            freeHead = child[2 * n];
            child[2 * n] = 0;
        } else {
            if (used == value.length) {
                int cap = value.length * 2;
                child = Arrays.copyOf(child, 2 * cap);
                value = Arrays.copyOf(value, cap);
                Arrays.fill(value, used, cap, NONE);
            }
            n = used++;
        }
        value[n] = NONE;
        return n;
    }

    private void release(int n) {
        value[n] = NONE;
        child[2 * n + 1] = 0;
        child[2 * n] = freeHead;
        freeHead = n;
    }
}
