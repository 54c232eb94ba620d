package io.tunnelbox.router;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Per-tunnel counters: written by the datapath thread, read by "show tunnels" on another
 * (opaque access: whole 64-bit values without fences on the hot path).
 */
public final class TunnelCounters {
    static final int RX_PACKETS = 0;
    static final int RX_BYTES = 1;
    static final int TX_PACKETS = 2;
    static final int TX_BYTES = 3;
    static final int RX_DROPS = 4;
    static final int TX_DROPS = 5;
    static final int KEEPALIVES_SENT = 6;
    static final int KEEPALIVE_REPLIES = 7;
    static final int KEEPALIVES_REFLECTED = 8;
    static final int TOO_BIG = 9;
    static final int FRAGMENTED = 10;
    static final int MSS_CLAMPED = 11;
    static final int PMTU_LEARNED = 12;
    private static final int SIZE = 13;

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private final long[] v = new long[SIZE];
    /** This tunnel's share of the router's drops, by {@link RouterDrops} reason. */
    private final long[] dropsByReason = new long[RouterDrops.COUNT];

    void add(int index, long delta) {
        LONGS.setOpaque(v, index, (long) LONGS.getOpaque(v, index) + delta);
    }

    void drop(int reason, int direction) {
        add(direction, 1);
        LONGS.setOpaque(dropsByReason, reason, (long) LONGS.getOpaque(dropsByReason, reason) + 1);
    }

    /** Drops of this tunnel by reason name, non-zero ones, in reason order (allocates: management). */
    public java.util.Map<String, Long> dropReasons() {
        java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (int r = 0; r < RouterDrops.COUNT; r++) {
            long n = (long) LONGS.getOpaque(dropsByReason, r);
            if (n != 0) {
                out.put(RouterDrops.name(r), n);
            }
        }
        return out;
    }

    private long get(int index) {
        return (long) LONGS.getOpaque(v, index);
    }

    /** Inner packets decapsulated and delivered to the LAN. */
    public long rxPackets() { return get(RX_PACKETS); }
    /** Inner bytes delivered to the LAN. */
    public long rxBytes() { return get(RX_BYTES); }
    /** Inner packets encapsulated into the tunnel (fragments count one each). */
    public long txPackets() { return get(TX_PACKETS); }
    /** Inner bytes encapsulated. */
    public long txBytes() { return get(TX_BYTES); }
    /** Packets from this tunnel's remote refused (key, checksum, sequence, inner packet). */
    public long rxDrops() { return get(RX_DROPS); }
    /** Packets routed to this tunnel and not sent (down, TTL, too big). */
    public long txDrops() { return get(TX_DROPS); }
    public long keepalivesSent() { return get(KEEPALIVES_SENT); }
    public long keepaliveReplies() { return get(KEEPALIVE_REPLIES); }
    /** The peer's keepalives we sent back to it. */
    public long keepalivesReflected() { return get(KEEPALIVES_REFLECTED); }
    /** ICMP fragmentation-needed / packet-too-big messages sent for this tunnel. */
    public long tooBig() { return get(TOO_BIG); }
    /** Inner IPv4 packets split into fragments before encapsulation. */
    public long fragmented() { return get(FRAGMENTED); }
    /** TCP SYNs whose MSS was lowered, both directions. */
    public long mssClamped() { return get(MSS_CLAMPED); }
    /** Underlay fragmentation-needed messages that lowered the tunnel MTU. */
    public long pmtuLearned() { return get(PMTU_LEARNED); }

    void clear() {
        for (int i = 0; i < SIZE; i++) {
            LONGS.setOpaque(v, i, 0L);
        }
        for (int r = 0; r < RouterDrops.COUNT; r++) {
            LONGS.setOpaque(dropsByReason, r, 0L);
        }
    }
}
