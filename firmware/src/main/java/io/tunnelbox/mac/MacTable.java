package io.tunnelbox.mac;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The learning switch's MAC table: (segment, MAC) -> where that MAC lives (a tunnel port and,
 * for flow-based ports, a remote VTEP address), with hard-timeout ageing on the caller's clock.
 *
 * <p>Open addressing with linear probing over one primitive array: a lookup is a hash and a few
 * adjacent probes, so it costs the same at 1 000 or 100 000 entries. Deletion shifts the probe
 * chain back instead of leaving tombstones, so lookups never slow down after churn.
 *
 * <p>Memory follows what is used, within fixed bounds. The table starts with {@value #MIN_SLOTS}
 * slots (64 KB) and doubles when an insert would fill more than half of them, up to the slots
 * that {@link #capacity()} entries need; it never holds more entries than the box-wide capacity
 * or a segment more than its {@link #limit(int) limit}, so what a hostile LAN or tunnel can make
 * it allocate is bounded by the configuration (a segment's default limit of 4096 entries: 8192
 * slots, 512 KB), not by traffic. Sizing it up front for the box-wide capacity cost 16 MB of heap
 * at 100 000 entries on every VTEP, most of which a branch office never uses; sizing it from the
 * sum of the segments' limits would still reserve for MACs that never show up, and would have to
 * be redone on every reconfiguration anyway. A doubling rehashes every entry on the datapath
 * thread, between two packets of a batch: a rare event (at most {@code log2(capacity / 512)}
 * times, 8 up to 100 000 entries, each counted in {@link #resizes()} with its duration), whose
 * pause grows with the table ({@code SwitchCpuTime}, firmware/BENCHMARKS.md: 0.1 ms at 4096
 * entries, 1-10 ms at 32 768 and at 65 536, the larger figures when the new array makes the box's
 * small heap collect); packets that arrive meanwhile wait in the sockets' queues. Preparing the
 * bigger array on another thread would save only the allocation, not the rehash, and would need
 * a second writer. Each rehash draws a new hash seed, so no insertion order can carry clusters
 * from one size to the next. Removing a segment, flushing it or lowering its limit shrinks the
 * table again once a quarter of it would hold what is left.
 *
 * <p>Ageing follows the seed's br-tun {@code learn(hard_timeout=300)}: an entry lives
 * {@code ageing} nanoseconds after it was last (re)learned from a frame *sent by* that MAC; frames
 * sent *to* it do not keep it alive. Expired entries stop matching at once and are removed by
 * {@link #expire(long)}, or a slice of the table at a time by {@link #expire(long, int)}.
 *
 * <p>A full table (or a segment at its limit) does not evict live entries: the new MAC is not
 * learned ({@link #FULL}) and frames to it keep flooding; the caller counts that. Lowering a
 * segment's limit below what it holds is the one exception: the learned entries closest to their
 * hard timeout go, so that the segment fits its new limit at once (the others stay).
 *
 * <p>Single writer: all methods run on the datapath thread. No method on the hot path
 * ({@link #lookup}, {@link #learn}, {@link #hit}) allocates, except {@link #learn} on the rare
 * insert that doubles the table.
 */
public final class MacTable {

    /** Largest segment index (keys hold it in 15 bits). */
    public static final int MAX_SEGMENTS = 1 << 15;
    /** {@link #lookup} result when there is no live entry. */
    public static final int MISS = -1;

    /** {@link #learn} results. */
    public static final int LEARNED = 0, REFRESHED = 1, MOVED = 2, FULL = 3, STATIC = 4, STICKY = 5;
    /** {@link #learn(int, long, int, int, long, int)} without a sticky port. */
    public static final int NO_PORT = -1;

    private static final long USED = 1L << 63;
    private static final long MAC_MASK = 0xFFFF_FFFF_FFFFL;
    private static final long NEVER = Long.MAX_VALUE;
    /** Slots of a new table (64 KB): 512 entries before the first doubling. */
    public static final int MIN_SLOTS = 1024;
    private static final int MIN_SEGMENTS = 16;
    private static final long DEFAULT_AGEING = 300_000_000_000L;

    private final int capacity;
    /** Most slots the table may grow to: at least twice {@link #capacity}, so its load stays at most 1/2. */
    private final int maxSlots;
    private int mask;
    private long seed;

    /*
     * One slot = STRIDE longs, side by side so that a lookup and the counter update after it touch
     * one or two cache lines, whatever the table size:
     *   [KEY] used bit | segment << 48 | MAC (0 = empty)   [EXPIRES] nanos, NEVER for static
     *   [PLACE] port << 32 | remote                         [PACKETS] [BYTES] [LAST_HIT]
     *   [CREATED] [LEARNED_AT]
     */
    private static final int STRIDE = 8;
    private static final int KEY = 0, EXPIRES = 1, PLACE = 2, PACKETS = 3, BYTES = 4, LAST_HIT = 5,
            CREATED = 6, LEARNED_AT = 7;
    private long[] slots;
    private int slotCount;

    // Per segment, grown to the highest segment number in use (segments are numbered from 0 up).
    private int[] segmentCount = new int[MIN_SEGMENTS];
    private int[] segmentLimit = new int[MIN_SEGMENTS];
    private long[] segmentAgeing = new long[MIN_SEGMENTS];

    private int size;
    private int sweepCursor;
    private long learnedTotal, refreshedTotal, movedTotal, fullTotal, staticConflictTotal, expiredTotal,
            stickyTotal, trimmedTotal;
    private int resizes;
    private long lastResizeNanos;

    /**
     * A table for at most {@code capacity} entries (learned and static) over all segments.
     * {@code seed} randomizes the hash so that a sender cannot pick MACs that collide.
     */
    public MacTable(int capacity, long seed) {
        if (capacity < 1 || capacity > (1 << 24)) {
            throw new IllegalArgumentException("MAC table capacity " + capacity + " outside 1.." + (1 << 24));
        }
        this.capacity = capacity;
        maxSlots = Integer.highestOneBit(capacity) << 2; // > 2 * capacity: load <= 1/2
        this.seed = seed;
        allocate(Math.min(MIN_SLOTS, maxSlots));
        Arrays.fill(segmentLimit, capacity);
        Arrays.fill(segmentAgeing, DEFAULT_AGEING);
    }

    private void allocate(int slots) {
        slotCount = slots;
        mask = slots - 1;
        this.slots = new long[slots * STRIDE];
        sweepCursor = 0;
    }

    /** Most entries the table holds over all segments (the box-wide cap). */
    public int capacity() {
        return capacity;
    }

    /** Most slots the table grows to (those {@link #capacity()} entries need). */
    public int maxSlotCount() {
        return maxSlots;
    }

    /** Entries held now, including expired ones not yet swept by {@link #expire}. */
    public int size() {
        return size;
    }

    public int size(int segment) {
        return segment < segmentCount.length ? segmentCount[segment] : 0;
    }

    /**
     * Most entries segment {@code segment} may hold (static ones included). Raising it keeps every
     * entry; lowering it below what the segment holds removes the learned entries closest to their
     * hard timeout until the segment fits (static entries stay, even above the limit).
     */
    public void limit(int segment, int limit) {
        checkSegment(segment);
        if (limit < 0) {
            throw new IllegalArgumentException("MAC limit " + limit + " is negative");
        }
        ensureSegment(segment);
        segmentLimit[segment] = limit;
        if (segmentCount[segment] > limit) {
            trim(segment, segmentCount[segment] - limit);
            shrinkToFit();
        }
    }

    public int limit(int segment) {
        return segment < segmentLimit.length ? segmentLimit[segment] : capacity;
    }

    /** Hard timeout of learned entries of {@code segment}, in nanoseconds. */
    public void ageing(int segment, long nanos) {
        checkSegment(segment);
        if (nanos <= 0) {
            throw new IllegalArgumentException("MAC ageing " + nanos + " ns is not positive");
        }
        ensureSegment(segment);
        segmentAgeing[segment] = nanos;
    }

    public long ageing(int segment) {
        return segment < segmentAgeing.length ? segmentAgeing[segment] : DEFAULT_AGEING;
    }

    /** Grows the per-segment arrays to hold {@code segment} (configuration, or a first insert). */
    private void ensureSegment(int segment) {
        int n = segmentCount.length;
        if (segment < n) {
            return;
        }
        int grown = Math.min(MAX_SEGMENTS, Integer.highestOneBit(segment) << 1);
        segmentCount = Arrays.copyOf(segmentCount, grown);
        segmentLimit = Arrays.copyOf(segmentLimit, grown);
        segmentAgeing = Arrays.copyOf(segmentAgeing, grown);
        Arrays.fill(segmentLimit, n, grown, capacity);
        Arrays.fill(segmentAgeing, n, grown, DEFAULT_AGEING);
    }

    /** Room for one more entry of {@code segment}, by the box-wide cap and the segment's limit. */
    private boolean roomFor(int segment) {
        if (size >= capacity) {
            return false;
        }
        ensureSegment(segment);
        return segmentCount[segment] < segmentLimit[segment];
    }

    private static void checkSegment(int segment) {
        if (segment < 0 || segment >= MAX_SEGMENTS) {
            throw new IllegalArgumentException("segment index " + segment + " outside 0.." + (MAX_SEGMENTS - 1));
        }
    }

    private static long key(int segment, long mac) {
        return USED | ((long) segment << 48) | (mac & MAC_MASK);
    }

    private int home(long key) {
        // Murmur3's 64-bit finalizer: every key bit reaches the low bits we index with.
        long h = key ^ seed;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h & mask;
    }

    private static long place(int port, int remote) {
        return (long) port << 32 | (remote & 0xFFFF_FFFFL);
    }

    /** Slot of {@code key}, or the negated (minus one) empty slot where it would go. */
    private int find(long key) {
        int i = home(key);
        while (true) {
            long k = slots[i * STRIDE + KEY];
            if (k == key) {
                return i;
            }
            if (k == 0) {
                return -i - 1;
            }
            i = (i + 1) & mask;
        }
    }

    /**
     * The slot of the live entry for ({@code segment}, {@code mac}) at time {@code now}, or
     * {@link #MISS}. The slot stays valid until the next {@link #expire}, {@link #remove},
     * {@link #removeSegment}, {@link #flushLearned}, {@link #limit(int, int)}, or {@link #learn} or
     * {@link #putStatic} of a new entry (which may resize the table).
     */
    public int lookup(int segment, long mac, long now) {
        int i = find(key(segment, mac));
        if (i < 0 || slots[i * STRIDE + EXPIRES] <= now) {
            return MISS;
        }
        return i;
    }

    /** Counts one frame of {@code length} bytes forwarded by the entry in {@code slot}. */
    public void hit(int slot, int length, long now) {
        int b = slot * STRIDE;
        slots[b + PACKETS]++;
        slots[b + BYTES] += length;
        slots[b + LAST_HIT] = now;
    }

    /**
     * Learns that {@code mac} of {@code segment} lives behind ({@code port}, {@code remote}) as of
     * {@code now}: a new entry ({@link #LEARNED}), the same place again ({@link #REFRESHED}, its
     * hard timeout restarts), another place ({@link #MOVED}), no room ({@link #FULL}) or a static
     * entry that learning never overrides ({@link #STATIC}).
     */
    public int learn(int segment, long mac, int port, int remote, long now) {
        return learn(segment, mac, port, remote, now, NO_PORT);
    }

    /**
     * As {@link #learn(int, long, int, int, long)}, except that a live entry on {@code stickyPort}
     * stays where it is when the MAC shows up on another port ({@link #STICKY}, nothing changes):
     * the Linux bridge's {@code sticky} FDB flag, applied to every entry learned on that port.
     */
    public int learn(int segment, long mac, int port, int remote, long now, int stickyPort) {
        long key = key(segment, mac);
        long where = place(port, remote);
        int i = find(key);
        if (i >= 0) {
            int b = i * STRIDE;
            long expires = slots[b + EXPIRES];
            if (expires == NEVER) {
                if (slots[b + PLACE] != where) {
                    staticConflictTotal++;
                }
                return STATIC;
            }
            boolean live = expires > now;
            boolean samePlace = slots[b + PLACE] == where;
            if (live && port != stickyPort && (int) (slots[b + PLACE] >>> 32) == stickyPort) {
                stickyTotal++;
                return STICKY;
            }
            slots[b + EXPIRES] = now + segmentAgeing[segment];
            slots[b + LEARNED_AT] = now;
            if (live && samePlace) {
                refreshedTotal++;
                return REFRESHED;
            }
            slots[b + PLACE] = where;
            if (live) {
                movedTotal++;
                return MOVED;
            }
            // An expired entry comes back as a new one: fresh counters and duration.
            slots[b + CREATED] = now;
            slots[b + LAST_HIT] = now;
            slots[b + PACKETS] = 0;
            slots[b + BYTES] = 0;
            learnedTotal++;
            return LEARNED;
        }
        if (!roomFor(segment)) {
            fullTotal++;
            return FULL;
        }
        if (2 * (size + 1) > slotCount) {
            resize(slotCount << 1);
            i = find(key);
        }
        insert(-i - 1, key, segment, where, now, now + segmentAgeing[segment]);
        learnedTotal++;
        return LEARNED;
    }

    private void insert(int i, long key, int segment, long where, long now, long expiresAt) {
        int b = i * STRIDE;
        slots[b + KEY] = key;
        slots[b + EXPIRES] = expiresAt;
        slots[b + PLACE] = where;
        slots[b + PACKETS] = 0;
        slots[b + BYTES] = 0;
        slots[b + LAST_HIT] = now;
        slots[b + CREATED] = now;
        slots[b + LEARNED_AT] = now;
        size++;
        segmentCount[segment]++;
    }

    /**
     * Adds or replaces a static entry (never ages, never moved by learning). Returns false if the
     * table or the segment is full.
     */
    public boolean putStatic(int segment, long mac, int port, int remote, long now) {
        checkSegment(segment);
        long key = key(segment, mac);
        int i = find(key);
        if (i >= 0) {
            int b = i * STRIDE;
            slots[b + PLACE] = place(port, remote);
            slots[b + EXPIRES] = NEVER;
            slots[b + LEARNED_AT] = now;
            return true;
        }
        if (!roomFor(segment)) {
            return false;
        }
        if (2 * (size + 1) > slotCount) {
            resize(slotCount << 1);
            i = find(key);
        }
        insert(-i - 1, key, segment, place(port, remote), now, NEVER);
        return true;
    }

    /**
     * Moves every entry into a table of {@code slots} slots under a new hash seed. Slot numbers
     * handed out before are void afterwards. Times itself: the pause a packet sees.
     */
    private void resize(int slots) {
        long started = System.nanoTime();
        long[] old = this.slots;
        int oldCount = slotCount;
        allocate(slots);
        seed = nextSeed(seed);
        for (int j = 0; j < oldCount; j++) {
            int b = j * STRIDE;
            long k = old[b + KEY];
            if (k != 0) {
                int i = home(k);
                while (this.slots[i * STRIDE + KEY] != 0) {
                    i = (i + 1) & mask;
                }
                System.arraycopy(old, b, this.slots, i * STRIDE, STRIDE);
            }
        }
        resizes++;
        lastResizeNanos = System.nanoTime() - started;
    }

    private static long nextSeed(long seed) {
        long z = seed + 0x9E37_79B9_7F4A_7C15L; // SplitMix64: a new seed unrelated to the last
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }

    /**
     * After entries went by configuration: halves the table while a quarter of it holds them (so
     * the next learns do not double it straight back), down to {@link #MIN_SLOTS}.
     */
    private void shrinkToFit() {
        int target = slotCount;
        while (target > MIN_SLOTS && 4 * size <= target / 2) {
            target >>= 1;
        }
        if (target < slotCount) {
            resize(target);
        }
    }

    /** Removes {@code excess} learned entries of {@code segment}, those closest to their hard timeout first. */
    private void trim(int segment, int excess) {
        long[] deadlines = new long[segmentCount[segment]];
        int n = 0;
        for (int i = 0; i < slotCount; i++) {
            int b = i * STRIDE;
            long k = slots[b + KEY];
            if (k != 0 && segmentOf(k) == segment && slots[b + EXPIRES] != NEVER) {
                deadlines[n++] = slots[b + EXPIRES];
            }
        }
        if (n == 0) {
            return;
        }
        Arrays.sort(deadlines, 0, n);
        int target = Math.min(excess, n);
        long cut = deadlines[target - 1];
        // Everything before the cut goes, and of the entries at the cut as many as still needed.
        int below = 0;
        while (deadlines[below] < cut) { // ends: deadlines[target - 1] == cut
            below++;
        }
        int atCut = target - below;
        int removed = 0;
        int i = 0;
        while (i < slotCount && removed < target) {
            int b = i * STRIDE;
            long k = slots[b + KEY];
            long expires = slots[b + EXPIRES];
            if (k != 0 && segmentOf(k) == segment && expires != NEVER
                    && (expires < cut || (expires == cut && atCut > 0))) {
                if (expires == cut) {
                    atCut--;
                }
                delete(i); // the back shift may refill slot i: look at it again
                removed++;
            } else {
                i++;
            }
        }
        trimmedTotal += removed;
    }

    /** Removes the entry of ({@code segment}, {@code mac}), learned or static; false if none. */
    public boolean remove(int segment, long mac) {
        int i = find(key(segment, mac));
        if (i < 0) {
            return false;
        }
        delete(i);
        return true;
    }

    /** Removes every entry of {@code segment}; returns how many. The table shrinks if it can. */
    public int removeSegment(int segment) {
        int n = sweep(segment, Long.MIN_VALUE, true);
        shrinkToFit();
        return n;
    }

    /** Removes the learned entries of {@code segment} (static ones stay); returns how many. */
    public int flushLearned(int segment) {
        int n = sweep(segment, Long.MIN_VALUE, false);
        shrinkToFit();
        return n;
    }

    /** Removes learned entries whose hard timeout has passed at {@code now}; returns how many. */
    public int expire(long now) {
        int n = sweep(-1, now, false);
        expiredTotal += n;
        return n;
    }

    /**
     * Like {@link #expire(long)} but looks at only the next {@code budget} slots, continuing where
     * the last call stopped, so a periodic caller spreads the walk over time. Expired entries stop
     * matching at once anyway; this only frees their slots.
     */
    public int expire(long now, int budget) {
        int removed = 0;
        int i = sweepCursor;
        int seen = 0;
        int limit = Math.min(budget, slotCount);
        while (seen < limit) {
            int b = i * STRIDE;
            long expires = slots[b + EXPIRES];
            if (slots[b + KEY] != 0 && expires != NEVER && expires <= now) {
                delete(i); // the back shift may refill slot i: look at it again (ends: entries are finite)
                removed++;
            } else {
                i = (i + 1) & mask;
                seen++;
            }
        }
        sweepCursor = i;
        expiredTotal += removed;
        return removed;
    }

    /** Slots in the table now (at least twice the entries; grows and shrinks, see the class comment). */
    public int slotCount() {
        return slotCount;
    }

    /**
     * One pass over all slots, deleting matching entries. After a delete the same slot is looked
     * at again, because the back shift may have moved a not yet visited entry into it; an entry
     * wrapped around from the start may be looked at twice, which is harmless.
     */
    private int sweep(int segment, long now, boolean includeStatic) {
        int removed = 0;
        int i = 0;
        while (i < slotCount) {
            int b = i * STRIDE;
            long k = slots[b + KEY];
            long expires = slots[b + EXPIRES];
            if (k != 0 && (segment < 0 || segmentOf(k) == segment)
                    && (includeStatic || expires != NEVER)
                    && (now == Long.MIN_VALUE || expires <= now)) {
                delete(i);
                removed++;
            } else {
                i++;
            }
        }
        return removed;
    }

    private static int segmentOf(long key) {
        return (int) ((key >>> 48) & 0x7FFF);
    }

    /** Backward-shift deletion for linear probing (Knuth's algorithm R; no tombstones). */
    private void delete(int hole) {
        segmentCount[segmentOf(slots[hole * STRIDE + KEY])]--;
        size--;
        int j = hole;
        while (true) {
            j = (j + 1) & mask;
            long k = slots[j * STRIDE + KEY];
            if (k == 0) {
                break;
            }
            int h = home(k);
            // k may stay where it is if its home lies cyclically in (hole, j].
            boolean stays = hole <= j ? (hole < h && h <= j) : (hole < h || h <= j);
            if (!stays) {
                System.arraycopy(slots, j * STRIDE, slots, hole * STRIDE, STRIDE);
                hole = j;
            }
        }
        slots[hole * STRIDE + KEY] = 0;
    }

    // Per-slot reads for the pipeline and the dumps.
    public int port(int slot) {
        return (int) (slots[slot * STRIDE + PLACE] >>> 32);
    }

    public int remote(int slot) {
        return (int) slots[slot * STRIDE + PLACE];
    }

    public long packets(int slot) {
        return slots[slot * STRIDE + PACKETS];
    }

    public long bytes(int slot) {
        return slots[slot * STRIDE + BYTES];
    }

    // Totals since start (for counters and tests).
    public long learnedTotal() {
        return learnedTotal;
    }

    public long refreshedTotal() {
        return refreshedTotal;
    }

    public long movedTotal() {
        return movedTotal;
    }

    /** New MACs not learned because the table or their segment was full. */
    public long fullTotal() {
        return fullTotal;
    }

    /** Moves refused because the entry was on the sticky port. */
    public long stickyTotal() {
        return stickyTotal;
    }

    public long staticConflictTotal() {
        return staticConflictTotal;
    }

    public long expiredTotal() {
        return expiredTotal;
    }

    /** Learned entries removed because their segment's limit was lowered below what it held. */
    public long trimmedTotal() {
        return trimmedTotal;
    }

    /** Times the table was rehashed into another size (doubled, or shrunk after reconfiguration). */
    public int resizes() {
        return resizes;
    }

    /** How long the last rehash took, in nanoseconds (0 before the first). */
    public long lastResizeNanos() {
        return lastResizeNanos;
    }

    /**
     * A copy of every live entry at {@code now}, ordered by segment then MAC (for dumps; allocates).
     */
    public List<MacEntry> entries(long now) {
        List<MacEntry> out = new ArrayList<>(size);
        for (int i = 0; i < slotCount; i++) {
            int b = i * STRIDE;
            long k = slots[b + KEY];
            long expires = slots[b + EXPIRES];
            if (k != 0 && expires > now) {
                boolean isStatic = expires == NEVER;
                out.add(new MacEntry(segmentOf(k), k & MAC_MASK, port(i), remote(i), isStatic,
                        now - slots[b + CREATED], now - slots[b + LEARNED_AT], now - slots[b + LAST_HIT],
                        isStatic ? 0 : segmentAgeing[segmentOf(k)], slots[b + PACKETS], slots[b + BYTES]));
            }
        }
        out.sort(Comparator.comparingInt(MacEntry::segment).thenComparingLong(MacEntry::mac));
        return out;
    }

    /** Longest probe sequence in use (tests and diagnostics: stays short whatever the size). */
    public int longestProbe() {
        int longest = 0;
        for (int i = 0; i < slotCount; i++) {
            long k = slots[i * STRIDE + KEY];
            if (k != 0) {
                int distance = (i - home(k)) & mask;
                longest = Math.max(longest, distance + 1);
            }
        }
        return longest;
    }
}
