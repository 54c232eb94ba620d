package io.tunnelbox.mac;

/**
 * A snapshot of one MAC table entry for dumps. Ages are nanoseconds: since the entry was created
 * ({@code duration}), since it was last learned ({@code hardAge}, what the hard timeout counts
 * from) and since a frame last used it ({@code idleAge}). {@code hardTimeout} is 0 for static
 * entries.
 */
public record MacEntry(int segment, long mac, int port, int remote, boolean isStatic,
                       long duration, long hardAge, long idleAge, long hardTimeout,
                       long packets, long bytes) {
}
