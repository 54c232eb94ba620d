package io.tunnelbox.router;

import io.tunnelbox.hal.port.PacketBatch;
import io.tunnelbox.packet.EtherType;
import io.tunnelbox.packet.Ipv4;
import io.tunnelbox.packet.Wire;
import java.lang.foreign.MemorySegment;

/**
 * An IPv4 packet without DF that is larger than the tunnel MTU. We fragment the INNER packet and
 * encapsulate each fragment, rather than fragmenting the delivery packet: the remote tunnel end then
 * needs no reassembly (no buffers to hold, none for a flood of forged fragments to exhaust), it
 * forwards fragments as any router does and the destination host reassembles, as it would have
 * anyway. This path copies (each fragment needs its own buffer); it is the slow path of a
 * misconfigured MTU, not the common case.
 */
final class InnerFragmenter {
    private final RouterOutput out;
    private final GreEncapsulator gre;
    private final RouterDrops drops;

    InnerFragmenter(RouterOutput out, GreEncapsulator gre, RouterDrops drops) {
        this.out = out;
        this.gre = gre;
        this.drops = drops;
    }

    /** Sends slot {@code i} of {@code b} (header length {@code ihl}) into {@code t} as fragments. */
    void fragment(PacketBatch b, MemorySegment m, int i, int off, int len, int ihl, Tunnel t) {
        int payload = len - ihl;
        int maxData = (t.mtu - ihl) & ~7;
        int count = maxData <= 0 ? Integer.MAX_VALUE : (payload + maxData - 1) / maxData;
        if (count > PacketBatch.CAPACITY) {
            drops.tx(t, RouterDrops.TOO_MANY_FRAGMENTS);
            return;
        }
        // keep the tunnel's sequence numbers in wire order: what is queued so far goes first
        out.flush(b);
        PacketBatch made = out.startMade();
        MemorySegment fm = made.memory();
        int flagsFrag = Ipv4.flagsFragment(m, off);
        int baseOffset = flagsFrag & Ipv4.FRAGMENT_OFFSET_MASK;
        boolean moreAfter = (flagsFrag & Ipv4.MF) != 0;
        int tos = Ipv4.tos(m, off);
        int ttl = Ipv4.ttl(m, off);
        for (int k = 0; k < count; k++) {
            int dataOff = k * maxData;
            int dataLen = Math.min(maxData, payload - dataOff);
            int j = made.add(ihl + dataLen);
            int fo = made.offset(j);
            // the whole header, options included, goes into every fragment (RFC 791 asks only for
            // the "copied" options; a receiver ignores the others' repetition)
            MemorySegment.copy(m, off, fm, fo, ihl);
            MemorySegment.copy(m, off + ihl + dataOff, fm, fo + ihl, dataLen);
            boolean mf = k < count - 1 || moreAfter;
            Wire.put16(fm, fo + Ipv4.TOTAL_LENGTH_OFFSET, ihl + dataLen);
            Wire.put16(fm, fo + Ipv4.FLAGS_FRAGMENT_OFFSET, (mf ? Ipv4.MF : 0) | (baseOffset + dataOff / 8));
            Ipv4.fillChecksum(fm, fo);
            if (!gre.encapsulate(made, fm, j, fo, ihl + dataLen, t, EtherType.IPV4, tos, ttl, false)) {
                return;
            }
            out.made(k, j);
            t.counters.add(TunnelCounters.TX_PACKETS, 1);
            t.counters.add(TunnelCounters.TX_BYTES, ihl + dataLen);
        }
        t.counters.add(TunnelCounters.FRAGMENTED, 1);
        out.sendMade(count);
    }
}
