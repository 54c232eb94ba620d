package io.tunnelbox.bench;

import io.tunnelbox.hal.port.PacketBatch;
import io.tunnelbox.hal.port.PacketPort;
import io.tunnelbox.hal.port.PortCounters;

/**
 * A port that receives nothing and swallows what is sent (counting it), so a benchmark or an
 * allocation test measures the switch pipeline alone, not a device.
 */
public final class SwitchSinkPort implements PacketPort {
    private final String name;
    private final Layer layer;
    private final PortCounters counters = new PortCounters();
    /** Packets and bytes sent so far (also a sink the JIT cannot remove). */
    public long sentPackets;
    public long sentBytes;

    public SwitchSinkPort(String name, Layer layer) {
        this.name = name;
        this.layer = layer;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Layer layer() {
        return layer;
    }

    @Override
    public int mtu() {
        return 1500;
    }

    @Override
    public int receive(PacketBatch batch) {
        return 0;
    }

    @Override
    public boolean awaitReadable(long timeoutNanos) {
        return false;
    }

    @Override
    public int send(PacketBatch batch, int[] slots, int n) {
        for (int k = 0; k < n; k++) {
            sentBytes += batch.length(slots[k]);
        }
        sentPackets += n;
        return n;
    }

    @Override
    public PortCounters counters() {
        return counters;
    }

    @Override
    public void close() {
    }
}
