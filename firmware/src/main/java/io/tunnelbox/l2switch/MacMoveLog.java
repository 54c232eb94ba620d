package io.tunnelbox.l2switch;

import io.tunnelbox.packet.Ipv4Address;
import io.tunnelbox.packet.MacAddress;
import java.util.function.IntFunction;
import org.tinylog.Logger;

/**
 * Says once per MAC per minute that a tunnel frame tried to take over a LAN host's MAC, however
 * many such frames arrive. The datapath records denied moves on the hot path (array writes, no
 * allocation, no logging); {@link #flush} writes the log lines from {@code tick()}. Memory is
 * bounded: a MAC the table has no room for is counted in a summary line instead.
 */
final class MacMoveLog {
    static final long INTERVAL_NANOS = 60_000_000_000L;
    private static final int SLOTS = 1024;
    private static final int PROBES = 16;
    private static final int PENDING = 64;

    // Recently logged (segment, MAC) keys and when; a slot older than INTERVAL is free again.
    private final long[] keys = new long[SLOTS];
    private final long[] loggedAt = new long[SLOTS];
    // Denied moves waiting to be logged.
    private final int[] pendingSegment = new int[PENDING];
    private final long[] pendingMac = new long[PENDING];
    private final int[] pendingRemote = new int[PENDING];
    private int pendingCount;
    private long unlogged;

    /** Records a denied move; cheap, and a no-op for a MAC already logged within the minute. */
    void record(int segment, long mac, int remote, long now) {
        long key = ((long) (segment + 1) << 48) | mac;
        int home = Long.hashCode(key * 0x9E37_79B9_7F4A_7C15L) & (SLOTS - 1);
        int free = -1;
        for (int p = 0; p < PROBES; p++) {
            int i = (home + p) & (SLOTS - 1);
            if (keys[i] == key) {
                if (now - loggedAt[i] < INTERVAL_NANOS) {
                    return; // said within the minute
                }
                free = i;
                break;
            }
            if (free < 0 && (keys[i] == 0 || now - loggedAt[i] >= INTERVAL_NANOS)) {
                free = i;
            }
        }
        if (free < 0 || pendingCount == PENDING) {
            unlogged++;
            return;
        }
        keys[free] = key;
        loggedAt[free] = now;
        pendingSegment[pendingCount] = segment;
        pendingMac[pendingCount] = mac;
        pendingRemote[pendingCount] = remote;
        pendingCount++;
    }

    /**
     * Writes the recorded lines and returns how many; {@code labels} names a segment by index (null
     * if it is gone).
     */
    int flush(String datapath, IntFunction<String> labels) {
        int lines = pendingCount;
        for (int k = 0; k < pendingCount; k++) {
            String label = labels.apply(pendingSegment[k]);
            Logger.warn("{}: {}: MAC {} was learned on the LAN; a frame from VTEP {} that claims it was dropped "
                    + "(macMove deny; counted as mac-move-denied, logged once a minute per MAC)", datapath,
                    label == null ? "segment " + pendingSegment[k] : label, MacAddress.format(pendingMac[k]),
                    Ipv4Address.format(pendingRemote[k]));
        }
        pendingCount = 0;
        if (unlogged > 0) {
            Logger.warn("{}: {} more denied MAC moves not logged one by one (too many MACs at once)", datapath,
                    unlogged);
            unlogged = 0;
            lines++;
        }
        return lines;
    }
}
