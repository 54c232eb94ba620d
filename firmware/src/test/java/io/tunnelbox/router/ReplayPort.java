package io.tunnelbox.router;

import io.tunnelbox.hal.port.PacketBatch;
import io.tunnelbox.hal.port.PacketPort;
import io.tunnelbox.hal.port.PortCounters;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A port for measuring the datapath alone: every receive hands over a full burst of copies of one
 * packet (as a NIC's DMA would fill the ring), every send is counted and forgotten. Nothing here
 * allocates after construction, so whatever a measurement sees allocated is the datapath's.
 */
public final class ReplayPort implements PacketPort {
    private final String name;
    private final int mtu;
    private final PortCounters counters = new PortCounters();
    private final MemorySegment template;
    private final int length;
    private final int burst;
    private int remaining = Integer.MAX_VALUE;
    private long sentPackets;
    private long sentBytes;

    /** Replays {@code packet} {@code burst} times per receive; {@code packet} may be empty (a sink). */
    public ReplayPort(String name, int mtu, byte[] packet, int burst) {
        this.name = name;
        this.mtu = mtu;
        this.template = Arena.ofAuto().allocate(Math.max(1, packet.length));
        MemorySegment.copy(MemorySegment.ofArray(packet), 0, template, 0, packet.length);
        this.length = packet.length;
        this.burst = packet.length == 0 ? 0 : burst;
    }

    /** Limits the packets still to be received (then receive returns 0). */
    public void limit(int packets) {
        remaining = packets;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Layer layer() {
        return Layer.IP;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public int receive(PacketBatch batch) {
        int n = Math.min(Math.min(burst, remaining), PacketBatch.CAPACITY - batch.count());
        for (int k = 0; k < n; k++) {
            batch.add(template, 0, length);
        }
        remaining -= n;
        return n;
    }

    @Override
    public boolean awaitReadable(long timeoutNanos) {
        return burst > 0;
    }

    @Override
    public int send(PacketBatch batch, int[] slots, int n) {
        for (int k = 0; k < n; k++) {
            sentBytes += batch.length(slots[k]);
        }
        sentPackets += n;
        return n;
    }

    public long sentPackets() {
        return sentPackets;
    }

    public long sentBytes() {
        return sentBytes;
    }

    @Override
    public PortCounters counters() {
        return counters;
    }

    @Override
    public void close() {
    }
}
