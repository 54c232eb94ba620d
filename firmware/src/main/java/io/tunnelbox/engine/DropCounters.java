package io.tunnelbox.engine;

import io.tunnelbox.packet.Reason;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A datapath's drop counters, one per reason (VPP's per-node error counters): codes below
 * {@link Reason#COUNT} are the codecs' validation reasons, the datapath's own follow with the names
 * it gives. Counting is an array increment on the hot path; other threads read with opaque access,
 * so a snapshot never tears a 64-bit value.
 */
public class DropCounters {
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    private final String[] ownNames;
    private final long[] counts;

    /** @param ownNames names of the datapath's own reasons, codes {@link Reason#COUNT} and up */
    protected DropCounters(String... ownNames) {
        this.ownNames = ownNames.clone();
        this.counts = new long[Reason.COUNT + ownNames.length];
    }

    /** Counts one drop; hot path. */
    public final void count(int reason) {
        LONGS.setOpaque(counts, reason, (long) LONGS.getOpaque(counts, reason) + 1);
    }

    public final long get(int reason) {
        return (long) LONGS.getOpaque(counts, reason);
    }

    /** Drops of the reason with this name (0 if the name is unknown or never counted). */
    public final long get(String name) {
        long n = 0;
        for (int r = 0; r < counts.length; r++) {
            if (nameOf(r).equals(name)) {
                n += get(r);
            }
        }
        return n;
    }

    public final long total() {
        long t = 0;
        for (int r = 0; r < counts.length; r++) {
            t += get(r);
        }
        return t;
    }

    /** Non-zero counters by name, in code order (allocates: management side). */
    public final Map<String, Long> snapshot() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (int r = 0; r < counts.length; r++) {
            long v = get(r);
            if (v != 0) {
                out.merge(nameOf(r), v, Long::sum);
            }
        }
        return out;
    }

    public final String nameOf(int reason) {
        return reason < Reason.COUNT ? Reason.name(reason) : ownNames[reason - Reason.COUNT];
    }

    /** Zeroes every counter ("clear counters"). */
    public final void clear() {
        for (int r = 0; r < counts.length; r++) {
            LONGS.setOpaque(counts, r, 0L);
        }
    }
}
