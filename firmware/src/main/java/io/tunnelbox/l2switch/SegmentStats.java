package io.tunnelbox.l2switch;

/**
 * Counters of one segment: frames and bytes (inner frames) from and to its tunnels, floods sent,
 * new MACs that found the table full, delivery packets sent as IPv4 fragments (larger than the WAN
 * MTU), frames dropped because their delivery packet would not fit the WAN MTU (the segment does
 * not fragment), and MAC entries held now.
 */
public record SegmentStats(long fromTunnelPackets, long fromTunnelBytes, long toTunnelPackets,
                           long toTunnelBytes, long floods, long macLimitHits, long fragmented,
                           long tooBig, int macEntries) {
}
