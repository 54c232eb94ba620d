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
    private static final long MS = 1_000_000L;
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
        // The first round doubles the table four times (1024 -> 16384 slots). After it the JIT may
        // still recompile or deoptimize now and then (seen: 1-2 KB once, as late as round 8), so
        // the check is the quietest of the last four rounds: an allocation per call would put at
        // least 1.6 MB into every round.
        long quietest = Long.MAX_VALUE;
        for (int warm = 0; warm < 8; warm++) {
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
            if (warm >= 4) {
                quietest = Math.min(quietest, allocated);
            }
        }
        assertTrue(quietest < 1024, "allocated " + quietest + " bytes in the quietest round of 100 000 calls");
        assertTrue(t.resizes() == 4 && t.slotCount() == 16_384, "grew in the first round only");
        assertTrue(sink != 0);
    }

    private static long randomMac(SplittableRandom rnd) {
        return rnd.nextLong() & 0xFEFF_FFFF_FFFFL; // unicast
    }

    @Test
    void shouldStartSmallAndDoubleOnlyWhenHalfFull() {
        MacTable t = new MacTable(100_000, 11);
        assertEquals(MacTable.MIN_SLOTS, t.slotCount(), "64 KB, whatever the capacity");
        for (int mac = 1; mac <= MacTable.MIN_SLOTS / 2; mac++) {
            assertEquals(MacTable.LEARNED, t.learn(0, mac, 2, 0, 0));
        }
        assertEquals(MacTable.MIN_SLOTS, t.slotCount(), "half full: still the first table");
        assertEquals(0, t.resizes());
        assertEquals(MacTable.LEARNED, t.learn(0, 0xABCDEF, 2, 0, 0));
        assertEquals(2 * MacTable.MIN_SLOTS, t.slotCount());
        assertEquals(1, t.resizes());
        assertTrue(t.lastResizeNanos() > 0);
    }

    @Test
    void shouldGrowToTheSizeCapacityNeedsAndNoFurther() {
        MacTable t = new MacTable(100_000, 12);
        SplittableRandom rnd = new SplittableRandom(12);
        int learned = 0;
        while (learned < 100_000) {
            if (t.learn(rnd.nextInt(8), randomMac(rnd), 2, 0, 0) == MacTable.LEARNED) {
                learned++;
            }
            assertTrue(2 * t.size() <= t.slotCount(), "load at most 1/2");
        }
        assertEquals(262_144, t.slotCount(), "the size a table built for 100 000 entries had up front");
        assertEquals(t.maxSlotCount(), t.slotCount());
        assertEquals(8, t.resizes(), "1024 -> 262144: eight doublings");
        assertEquals(MacTable.FULL, t.learn(9, 1, 2, 0, 0));
        assertEquals(262_144, t.slotCount());
        assertTrue(t.longestProbe() < 64, "longest probe " + t.longestProbe());
    }

    /** Every entry keeps its place, counters, ages and deadline across a doubling. */
    @Test
    void shouldKeepEveryEntryAcrossGrowth() {
        MacTable t = new MacTable(10_000, 13);
        t.ageing(3, 60 * S);
        SplittableRandom rnd = new SplittableRandom(13);
        for (int i = 0; i < 500; i++) {
            int seg = i % 4;
            long mac = randomMac(rnd);
            if (i % 50 == 0) {
                assertTrue(t.putStatic(seg, mac, 1, 0, i * MS));
            } else {
                assertEquals(MacTable.LEARNED, t.learn(seg, mac, 2 + i % 3, 0x0a000000 + i, i * MS));
            }
            if (i % 7 == 0) {
                t.hit(t.lookup(seg, mac, i * MS), 100 + i, i * MS);
            }
        }
        long now = S;
        List<MacEntry> before = t.entries(now);
        int slots = t.slotCount();
        for (int i = 0; i < 600; i++) {
            t.learn(5, randomMac(rnd), 2, 0, now);
        }
        assertTrue(t.slotCount() > slots, "grew");
        List<MacEntry> after = t.entries(now).stream().filter(e -> e.segment() != 5).toList();
        assertEquals(before, after);
        for (MacEntry e : before) {
            int slot = t.lookup(e.segment(), e.mac(), now);
            assertNotEquals(MacTable.MISS, slot);
            assertEquals(e.port(), t.port(slot));
            assertEquals(e.remote(), t.remote(slot));
        }
        // Deadlines came along: segment 3's entries (60 s) are gone at their time, the others not.
        long segment3 = before.stream().filter(e -> e.segment() == 3 && !e.isStatic()).count();
        assertTrue(segment3 > 0);
        assertEquals(segment3, t.expire(now + 60 * S));
        MacEntry fixed = before.stream().filter(MacEntry::isStatic).findFirst().orElseThrow();
        assertEquals(MacTable.STATIC, t.learn(fixed.segment(), fixed.mac(), 3, 9, now), "static entries stay static");
    }

    @Test
    void shouldExpireEverySliceOfAGrownTable() {
        MacTable t = new MacTable(100_000, 14);
        for (int mac = 1; mac <= 5000; mac++) {
            t.learn(mac % 3, mac, 2, 0, mac % 2 == 0 ? 0 : 100 * S);
        }
        assertEquals(16_384, t.slotCount());
        int removed = 0;
        for (int calls = 0; calls * 1000 < t.slotCount(); calls++) {
            removed += t.expire(350 * S, 1000);
        }
        assertEquals(2500, removed, "the sliced walk covers the grown table");
        assertEquals(2500, t.size());
        assertEquals(2500, t.expire(400 * S));
        assertEquals(0, t.size());
    }

    /** A hostile LAN cannot make the table grow past what the segment limits allow. */
    @Test
    void shouldNotGrowPastWhatTheSegmentLimitsAllow() {
        MacTable t = new MacTable(100_000, 15);
        t.limit(0, 4096);
        t.limit(1, 1000);
        SplittableRandom rnd = new SplittableRandom(15);
        for (int i = 0; i < 200_000; i++) {
            t.learn(i & 1, randomMac(rnd), 2, 0, i);
        }
        assertEquals(5096, t.size());
        assertEquals(16_384, t.slotCount(), "5096 entries at load <= 1/2");
        assertEquals(200_000 - 5096, t.fullTotal());
        MacTable small = new MacTable(300, 15);
        for (int i = 0; i < 10_000; i++) {
            small.learn(i % 5, randomMac(rnd), 2, 0, i);
        }
        assertEquals(300, small.size(), "the box-wide cap holds across segments");
        assertTrue(small.slotCount() <= small.maxSlotCount());
        assertEquals(1024, small.maxSlotCount());
    }

    @Test
    void shouldKeepEntriesWhenALimitIsRaised() {
        MacTable t = new MacTable(100_000, 16);
        t.limit(2, 600);
        for (int mac = 1; mac <= 700; mac++) {
            t.learn(2, mac, 2, 0, 0);
        }
        assertEquals(600, t.size(2));
        t.limit(2, 2000);
        assertEquals(600, t.size(2), "raising the limit keeps every entry");
        for (int mac = 1; mac <= 600; mac++) {
            assertNotEquals(MacTable.MISS, t.lookup(2, mac, S));
        }
        assertEquals(MacTable.LEARNED, t.learn(2, 701, 2, 0, S), "and makes room");
    }

    @Test
    void shouldTrimTheEntriesClosestToTheirTimeoutWhenALimitIsLowered() {
        MacTable t = new MacTable(100_000, 17);
        t.putStatic(1, 0xEEEE, 1, 0, 0);
        for (int mac = 1; mac <= 3000; mac++) {
            t.learn(1, mac, 2, 0, mac * S / 1000); // mac 1 expires first
            t.learn(0, mac, 2, 0, 0);
        }
        assertEquals(3001, t.size(1));
        int slots = t.slotCount();
        t.limit(1, 1001);
        assertEquals(1001, t.size(1));
        assertEquals(2000, t.trimmedTotal());
        assertNotEquals(MacTable.MISS, t.lookup(1, 0xEEEE, 0), "static entries stay");
        for (int mac = 1; mac <= 3000; mac++) {
            assertEquals(mac > 2000, t.lookup(1, mac, 3 * S) != MacTable.MISS, "mac " + mac);
            assertNotEquals(MacTable.MISS, t.lookup(0, mac, 3 * S), "other segments keep theirs");
        }
        assertEquals(MacTable.FULL, t.learn(1, 5000, 2, 0, 4 * S));
        assertEquals(slots, t.slotCount(), "4001 entries still need the same table");
        t.limit(1, 1);
        assertEquals(1, t.size(1), "only the static entry");
        assertEquals(3000 + 1, t.size());
    }

    @Test
    void shouldShrinkWhenSegmentsGo() {
        MacTable t = new MacTable(100_000, 18);
        for (int mac = 1; mac <= 20_000; mac++) {
            t.learn(mac & 3, mac, 2, 0, 0);
        }
        assertEquals(65_536, t.slotCount());
        t.removeSegment(0);
        assertEquals(65_536, t.slotCount(), "15 000 entries would fill more than a quarter of 32 768 slots");
        t.removeSegment(1);
        t.removeSegment(2);
        assertEquals(32_768, t.slotCount(), "5 000 entries: halved while a quarter holds them");
        for (int mac = 3; mac <= 20_000; mac += 4) {
            assertNotEquals(MacTable.MISS, t.lookup(3, mac, 0), "segment 3's entries came along");
        }
        t.flushLearned(3);
        assertEquals(MacTable.MIN_SLOTS, t.slotCount());
        assertEquals(0, t.size());
        assertEquals(MacTable.LEARNED, t.learn(1, 7, 2, 0, 0));
        assertNotEquals(MacTable.MISS, t.lookup(1, 7, 0));
    }

    /** The model check again, on tables large enough to double, shrink and trim. */
    @Test
    void shouldAgreeWithNaiveModelAcrossResizes() {
        long trimmed = 0;
        int shrinks = 0;
        for (long run = 0; run < 6; run++) {
            SplittableRandom rnd = new SplittableRandom(100 + run);
            int capacity = 1500 + rnd.nextInt(3000);
            MacTable t = new MacTable(capacity, run);
            int[] limit = {capacity, capacity, capacity};
            Map<Long, Long> model = new HashMap<>(); // key -> expires
            long now = 0;
            int slots = t.slotCount();
            for (int op = 0; op < 40_000; op++) {
                int seg = rnd.nextInt(3);
                long mac = 1 + rnd.nextInt(2000);
                long key = ((long) seg << 48) | mac;
                int r = rnd.nextInt(1000);
                if (r < 750) {
                    long segCount = model.keySet().stream().filter(k -> (k >>> 48) == seg).count();
                    int got = t.learn(seg, mac, 2, 0, now);
                    if (model.containsKey(key)) {
                        model.put(key, now + 300 * S);
                    } else if (model.size() < capacity && segCount < limit[seg]) {
                        assertEquals(MacTable.LEARNED, got);
                        model.put(key, now + 300 * S);
                    } else {
                        assertEquals(MacTable.FULL, got);
                    }
                } else if (r < 870) {
                    Long e = model.get(key);
                    assertEquals(e != null && e > now, t.lookup(seg, mac, now) != MacTable.MISS);
                } else if (r < 990) {
                    now += rnd.nextLong(S);
                    long at = now;
                    model.values().removeIf(v -> v <= at);
                    t.expire(now);
                } else if (r < 993) {
                    model.keySet().removeIf(k -> (k >>> 48) == seg);
                    t.removeSegment(seg);
                } else {
                    limit[seg] = 1 + rnd.nextInt(capacity);
                    // The model trims as the table does: learned entries closest to their deadline.
                    List<Map.Entry<Long, Long>> mine = model.entrySet().stream()
                            .filter(en -> (en.getKey() >>> 48) == seg)
                            .sorted(Map.Entry.comparingByValue()).toList();
                    int excess = mine.size() - limit[seg];
                    t.limit(seg, limit[seg]);
                    if (excess > 0) {
                        long cut = mine.get(excess - 1).getValue();
                        long atCut = mine.stream().filter(en -> en.getValue() == cut).count();
                        long beforeCut = mine.stream().filter(en -> en.getValue() < cut).count();
                        for (Map.Entry<Long, Long> en : mine) {
                            if (en.getValue() < cut) {
                                model.remove(en.getKey());
                            }
                        }
                        // Which of the entries at the cut go is the table's choice: follow it.
                        if (atCut > excess - beforeCut) {
                            for (Map.Entry<Long, Long> en : mine) {
                                long m = en.getKey() & 0xFFFF_FFFF_FFFFL;
                                if (en.getValue() == cut && t.lookup(seg, m, Long.MIN_VALUE) == MacTable.MISS) {
                                    model.remove(en.getKey());
                                }
                            }
                        } else {
                            mine.stream().filter(en -> en.getValue() == cut).forEach(en -> model.remove(en.getKey()));
                        }
                    }
                }
                assertEquals(model.size(), t.size(), "op " + op + " kind " + r + " segment " + seg);
                assertTrue(2 * t.size() <= t.slotCount() && t.slotCount() <= t.maxSlotCount());
                shrinks += t.slotCount() < slots ? 1 : 0;
                slots = t.slotCount();
            }
            assertTrue(t.resizes() > 0, "run " + run + " resized");
            trimmed += t.trimmedTotal();
        }
        assertTrue(trimmed > 0, "limits were lowered below what segments held");
        assertTrue(shrinks > 0, "tables shrank");
    }

    /** Once grown, learning known MACs, lookups and hits allocate nothing (the datapath's steady state). */
    @Test
    void shouldNotAllocateOnceGrown() {
        MacTable t = new MacTable(100_000, 19);
        for (int mac = 1; mac <= 50_000; mac++) {
            t.learn(mac & 7, mac, 2, 0, 0);
        }
        com.sun.management.ThreadMXBean bean =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sink = 0;
        long allocated = -1;
        for (int warm = 0; warm < 3; warm++) {
            long before = bean.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 200_000; i++) {
                int mac = 1 + i % 50_000;
                t.learn(mac & 7, mac, 2 + (i & 1), 0, i);
                int slot = t.lookup(mac & 7, mac, i);
                t.hit(slot, 64, i);
                sink += t.port(slot);
            }
            allocated = bean.getCurrentThreadAllocatedBytes() - before;
        }
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes");
        assertTrue(sink != 0);
    }
}
