package io.tunnelbox.router;

import io.tunnelbox.hal.port.PacketBatch;
import io.tunnelbox.hal.port.PacketPort;

/**
 * Where a batch's packets go once each direction has decided: the slots bound for the WAN and for
 * the LAN, sent in one call per port ({@link #flush}), and a batch of packets the router makes
 * itself (fragments, keepalives) sent on the WAN ({@link #sendMade}). A port that refuses a packet
 * counts as {@link RouterDrops#TX_FAILED}. Datapath thread only.
 */
final class RouterOutput {
    private final PacketPort lan;
    private final PacketPort wan;
    private final RouterDrops drops;
    private final int[] toWan = new int[PacketBatch.CAPACITY];
    private final int[] toLan = new int[PacketBatch.CAPACITY];
    private int nToWan;
    private int nToLan;
    /** Fragments and keepalives: packets the router makes rather than receives. */
    private final PacketBatch made = PacketBatch.allocate();
    private final int[] madeSlots = new int[PacketBatch.CAPACITY];

    RouterOutput(PacketPort lan, PacketPort wan, RouterDrops drops) {
        this.lan = lan;
        this.wan = wan;
        this.drops = drops;
    }

    /** Slot {@code i} of the batch in hand leaves on the WAN at the next {@link #flush}. */
    void toWan(int i) {
        toWan[nToWan++] = i;
    }

    /** Slot {@code i} of the batch in hand leaves on the LAN at the next {@link #flush}. */
    void toLan(int i) {
        toLan[nToLan++] = i;
    }

    /** Sends what is queued from batch {@code b}, WAN first. */
    void flush(PacketBatch b) {
        if (nToWan > 0) {
            countFailed(wan.send(b, toWan, nToWan), nToWan);
            nToWan = 0;
        }
        if (nToLan > 0) {
            countFailed(lan.send(b, toLan, nToLan), nToLan);
            nToLan = 0;
        }
    }

    /** The batch for made packets, emptied: fill it, {@link #made(int, int)} each, then {@link #sendMade}. */
    PacketBatch startMade() {
        made.clear();
        return made;
    }

    /** The {@code k}th packet to send from the made batch is its slot {@code j}. */
    void made(int k, int j) {
        madeSlots[k] = j;
    }

    /** Sends the first {@code n} made packets on the WAN. */
    void sendMade(int n) {
        countFailed(wan.send(made, madeSlots, n), n);
    }

    private void countFailed(int sent, int queued) {
        for (int k = sent; k < queued; k++) {
            drops.count(RouterDrops.TX_FAILED);
        }
    }
}
