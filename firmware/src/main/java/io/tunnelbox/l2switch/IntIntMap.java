package io.tunnelbox.l2switch;

import java.util.Arrays;

/**
 * A small int -> int map with open addressing, for the lookups the pipeline does per packet
 * (tunnel id -> segment, remote address -> tunnel port). Rebuilt on reconfiguration, read without
 * allocation; every int is a valid key, {@link #MISSING} is returned for absent keys.
 */
final class IntIntMap {
    static final int MISSING = -1;

    private long[] keys = new long[16]; // key | USED; 0 = empty
    private int[] values = new int[16];
    private int size;
    private static final long USED = 1L << 32;

    int get(int key) {
        long k = (key & 0xFFFF_FFFFL) | USED;
        int mask = keys.length - 1;
        int i = mix(key) & mask;
        while (true) {
            long found = keys[i];
            if (found == k) {
                return values[i];
            }
            if (found == 0) {
                return MISSING;
            }
            i = (i + 1) & mask;
        }
    }

    void put(int key, int value) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        long k = (key & 0xFFFF_FFFFL) | USED;
        int mask = keys.length - 1;
        int i = mix(key) & mask;
        while (keys[i] != 0 && keys[i] != k) {
            i = (i + 1) & mask;
        }
        if (keys[i] == 0) {
            size++;
        }
        keys[i] = k;
        values[i] = value;
    }

    void clear() {
        Arrays.fill(keys, 0);
        size = 0;
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                put((int) oldKeys[i], oldValues[i]);
            }
        }
    }

    private static int mix(int key) {
        int h = key * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
