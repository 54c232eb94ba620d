package io.tunnelbox.mac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MacTableTest {
    private static final long S = 1_000_000_000L;
    private static final long MAC_A = 0xfa163e1f1955L;
    private static final long MAC_B = 0xfa163e000002L;

    @Test
    void shouldFindLearnedMacOnlyInItsOwnSegment() {
        MacTable t = new MacTable(16, 1);
        assertEquals(MacTable.LEARNED, t.learn(1, MAC_A, 3, 0x0a000002, 0));
        int slot = t.lookup(1, MAC_A, 0);
        assertNotEquals(MacTable.MISS, slot);
        assertEquals(3, t.port(slot));
        assertEquals(0x0a000002, t.remote(slot));
        assertEquals(MacTable.MISS, t.lookup(2, MAC_A, 0));
        assertEquals(MacTable.MISS, t.lookup(1, MAC_B, 0));
    }

    @Test
    void shouldExpireLearnedEntryAtItsHardTimeout() {
        MacTable t = new MacTable(16, 1);
        t.learn(1, MAC_A, 3, 0, 0);
        assertNotEquals(MacTable.MISS, t.lookup(1, MAC_A, 300 * S - 1));
        assertEquals(MacTable.MISS, t.lookup(1, MAC_A, 300 * S));
        assertEquals(1, t.size(), "still held until swept");
        assertEquals(1, t.expire(300 * S));
        assertEquals(0, t.size());
        assertEquals(0, t.size(1));
    }

    @Test
    void shouldRestartHardTimeoutWhenRelearnedButNotWhenUsed() {
        MacTable t = new MacTable(16, 1);
        t.learn(1, MAC_A, 3, 0, 0);
        t.hit(t.lookup(1, MAC_A, 250 * S), 100, 250 * S); // traffic *to* A does not refresh
        assertEquals(MacTable.REFRESHED, t.learn(1, MAC_A, 3, 0, 200 * S));
        assertNotEquals(MacTable.MISS, t.lookup(1, MAC_A, 499 * S));
        assertEquals(MacTable.MISS, t.lookup(1, MAC_A, 500 * S));
    }

    @Test
    void shouldUseSegmentAgeing() {
        MacTable t = new MacTable(16, 1);
        t.ageing(2, 10 * S);
        t.learn(2, MAC_A, 3, 0, 0);
        t.learn(1, MAC_A, 3, 0, 0);
        assertEquals(MacTable.MISS, t.lookup(2, MAC_A, 10 * S));
        assertNotEquals(MacTable.MISS, t.lookup(1, MAC_A, 10 * S));
    }

    @Test
    void shouldRelearnMacThatMovedToAnotherVtepOrTheLan() {
        MacTable t = new MacTable(16, 1);
        t.learn(1, MAC_A, 3, 0x0a000002, 0);
        assertEquals(MacTable.MOVED, t.learn(1, MAC_A, 2, 0x0a000003, S));
        assertEquals(2, t.port(t.lookup(1, MAC_A, S)));
        assertEquals(MacTable.MOVED, t.learn(1, MAC_A, 1, 0, 2 * S));
        assertEquals(1, t.port(t.lookup(1, MAC_A, 2 * S)));
        assertEquals(2, t.movedTotal());
        assertEquals(1, t.size());
    }

    @Test
    void shouldNotEvictLiveEntriesWhenSegmentIsAtItsLimit() {
        MacTable t = new MacTable(100, 1);
        t.limit(1, 2);
        t.learn(1, 1, 3, 0, 0);
        t.learn(1, 2, 3, 0, 0);
        assertEquals(MacTable.FULL, t.learn(1, 3, 3, 0, 0));
        assertEquals(MacTable.MISS, t.lookup(1, 3, 0));
        assertNotEquals(MacTable.MISS, t.lookup(1, 1, 0));
        assertNotEquals(MacTable.MISS, t.lookup(1, 2, 0));
        assertEquals(1, t.fullTotal());
        assertEquals(MacTable.LEARNED, t.learn(2, 3, 3, 0, 0), "other segments unaffected");
        // Room again once an entry expires.
        t.expire(300 * S);
        assertEquals(MacTable.LEARNED, t.learn(1, 3, 3, 0, 300 * S));
    }

    @Test
    void shouldRefuseNewMacsWhenWholeTableIsFull() {
        MacTable t = new MacTable(3, 1);
        for (int seg = 0; seg < 3; seg++) {
            assertEquals(MacTable.LEARNED, t.learn(seg, MAC_A, 3, 0, 0));
        }
        assertEquals(MacTable.FULL, t.learn(3, MAC_A, 3, 0, 0));
        assertFalse(t.putStatic(3, MAC_B, 1, 0, 0));
        assertEquals(MacTable.REFRESHED, t.learn(0, MAC_A, 3, 0, 1), "known MACs still refresh");
    }

    @Test
    void shouldKeepStaticEntriesAgainstLearningAndAgeing() {
        MacTable t = new MacTable(16, 1);
        assertTrue(t.putStatic(1, MAC_A, 1, 0, 0));
        assertEquals(MacTable.STATIC, t.learn(1, MAC_A, 3, 0x0a000002, S));
        assertEquals(1, t.staticConflictTotal());
        assertEquals(0, t.expire(10_000 * S));
        int slot = t.lookup(1, MAC_A, 10_000 * S);
        assertEquals(1, t.port(slot));
        assertEquals(0, t.flushLearned(1));
        assertTrue(t.remove(1, MAC_A));
        assertEquals(0, t.size());
    }

    @Test
    void shouldRemoveEverythingOfOneSegment() {
        MacTable t = new MacTable(1000, 7);
        for (int i = 0; i < 300; i++) {
            t.learn(i % 3, i, 2, 0, 0);
        }
        t.putStatic(1, 0xAAAA, 1, 0, 0);
        assertEquals(101, t.removeSegment(1));
        assertEquals(0, t.size(1));
        assertEquals(200, t.size());
        for (int i = 0; i < 300; i++) {
            assertEquals(i % 3 != 1, t.lookup(i % 3, i, 0) != MacTable.MISS, "mac " + i);
        }
    }

    @Test
    void shouldListLiveEntriesSortedWithAges() {
        MacTable t = new MacTable(16, 1);
        t.learn(2, MAC_B, 3, 0x0a000002, 0);
        t.learn(1, MAC_A, 2, 0, 5 * S);
        t.putStatic(1, MAC_B, 1, 0, 0);
        t.hit(t.lookup(1, MAC_A, 7 * S), 98, 7 * S);
        List<MacEntry> entries = t.entries(10 * S);
        assertEquals(3, entries.size());
        assertEquals(MAC_B, entries.get(0).mac());
        assertEquals(1, entries.get(0).segment());
        assertEquals(MAC_A, entries.get(1).mac());
        assertEquals(5 * S, entries.get(1).hardAge());
        assertEquals(3 * S, entries.get(1).idleAge());
        assertEquals(98, entries.get(1).bytes());
        assertTrue(entries.get(0).isStatic());
        assertEquals(2, entries.get(2).segment());
        assertEquals(2, t.entries(300 * S).size(), "expired entry no longer listed");
    }

    @Test
    void shouldExpireIncrementallyInSlices() {
        MacTable t = new MacTable(1000, 9);
        for (int i = 0; i < 1000; i++) {
            t.learn(i % 4, i, 2, 0, i % 2 == 0 ? 0 : 200 * S); // half expire at 300 s, half at 500 s
        }
        int removed = 0;
        int calls = 0;
        while (calls * 100 < t.slotCount()) {
            removed += t.expire(400 * S, 100);
            calls++;
        }
        assertEquals(500, removed, "one full walk in slices of 100 slots");
        assertEquals(500, t.size());
        assertEquals(0, t.expire(400 * S, t.slotCount()));
        assertEquals(500, t.expire(500 * S, t.slotCount()));
    }

    /** The hashed table against a plain map, on random learn/lookup/remove/expire operations. */
    @Test
    void shouldAgreeWithNaiveModelUnderRandomOperations() {
        for (long run = 0; run < 20; run++) {
            SplittableRandom rnd = new SplittableRandom(run);
            int capacity = 1 + rnd.nextInt(200);
            MacTable t = new MacTable(capacity, run);
            Map<Long, long[]> model = new HashMap<>(); // key -> {port, expires}
            long now = 0;
            for (int op = 0; op < 5000; op++) {
                int seg = rnd.nextInt(4);
                long mac = rnd.nextInt(300);
                long key = ((long) seg << 48) | mac;
                long[] m = model.get(key);
                boolean live = m != null && m[1] > now;
                switch (rnd.nextInt(5)) {
                    case 0, 1 -> {
                        int p = 1 + rnd.nextInt(3);
                        int r = t.learn(seg, mac, p, 0, now);
                        if (m != null) {
                            assertEquals(live ? (m[0] == p ? MacTable.REFRESHED : MacTable.MOVED)
                                    : MacTable.LEARNED, r);
                            m[0] = p;
                            m[1] = now + 300 * S;
                        } else if (model.size() < capacity) {
                            assertEquals(MacTable.LEARNED, r);
                            model.put(key, new long[] {p, now + 300 * S});
                        } else {
                            assertEquals(MacTable.FULL, r);
                        }
                    }
                    case 2 -> {
                        int slot = t.lookup(seg, mac, now);
                        assertEquals(live, slot != MacTable.MISS, "lookup " + key);
                        if (live) {
                            assertEquals(m[0], t.port(slot));
                        }
                    }
                    case 3 -> {
                        assertEquals(m != null, t.remove(seg, mac));
                        model.remove(key);
                    }
                    default -> {
                        now += rnd.nextLong(100 * S);
                        long at = now;
                        int before = model.size();
                        model.values().removeIf(v -> v[1] <= at);
                        assertEquals(before - model.size(), t.expire(now));
                    }
                }
                assertEquals(model.size(), t.size());
            }
        }
    }

    /** Probe sequences stay short at 100 000 entries: lookups cost the same as at 1 000. */
    @Test
    void shouldKeepProbesShortAtOneHundredThousandEntries() {
        MacTable t = new MacTable(100_000, 42);
        SplittableRandom rnd = new SplittableRandom(5);
        int learned = 0;
        while (learned < 100_000) {
            if (t.learn(rnd.nextInt(8), rnd.nextLong() & 0xFEFF_FFFF_FFFFL, 2, 0, 0) == MacTable.LEARNED) {
                learned++;
            }
        }
        assertEquals(100_000, t.size());
        assertTrue(t.longestProbe() < 64, "longest probe " + t.longestProbe());
        assertEquals(MacTable.FULL, t.learn(9, 1, 2, 0, 0));
    }

    @Test
    void shouldNotAllocateOnLookupLearnAndHit() {
        MacTable t = new MacTable(10_000, 3);
        com.sun.management.ThreadMXBean bean =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int warm = 0; warm < 3; warm++) {
            long before = bean.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100_000; i++) {
                t.learn(i & 3, i % 5000, 2, i, i);
                int slot = t.lookup(i & 3, (i * 7) % 5000, i);
                if (slot != MacTable.MISS) {
                    t.hit(slot, 64, i);
                    sink += t.remote(slot);
                }
            }
            long allocated = bean.getCurrentThreadAllocatedBytes() - before;
            if (warm == 2) {
                assertTrue(allocated < 1024, "allocated " + allocated + " bytes");
            }
        }
        assertTrue(sink != 0);
    }
}
