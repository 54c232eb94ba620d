package io.tunnelbox.hal.port;

/**
 * Per-port packet and byte counters. Written by the thread that drives the port; read by
 * management threads, which may see a value that is a moment old (opaque access keeps 64-bit
 * values whole without fences on the hot path).
 */
public final class PortCounters {
    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.arrayElementVarHandle(long[].class);

    private static final int RX_PACKETS = 0, RX_BYTES = 1, TX_PACKETS = 2, TX_BYTES = 3,
            RX_DROPS = 4, TX_DROPS = 5, RX_ERRORS = 6, TX_ERRORS = 7, SIZE = 8;

    private final long[] values = new long[SIZE];

    private void add(int index, long delta) {
        LONGS.setOpaque(values, index, (long) LONGS.getOpaque(values, index) + delta);
    }

    private long get(int index) {
        return (long) LONGS.getOpaque(values, index);
    }

    public void received(int packets, long bytes) { add(RX_PACKETS, packets); add(RX_BYTES, bytes); }
    public void sent(int packets, long bytes) { add(TX_PACKETS, packets); add(TX_BYTES, bytes); }
    public void rxDropped(int packets) { add(RX_DROPS, packets); }
    public void txDropped(int packets) { add(TX_DROPS, packets); }
    public void rxError() { add(RX_ERRORS, 1); }
    public void txError() { add(TX_ERRORS, 1); }

    public long rxPackets() { return get(RX_PACKETS); }
    public long rxBytes() { return get(RX_BYTES); }
    public long txPackets() { return get(TX_PACKETS); }
    public long txBytes() { return get(TX_BYTES); }
    public long rxDrops() { return get(RX_DROPS); }
    public long txDrops() { return get(TX_DROPS); }
    public long rxErrors() { return get(RX_ERRORS); }
    public long txErrors() { return get(TX_ERRORS); }

    /** Zeroes every counter ("clear counters"); call from the thread that drives the port. */
    public void clear() {
        for (int i = 0; i < SIZE; i++) {
            LONGS.setOpaque(values, i, 0L);
        }
    }
}
