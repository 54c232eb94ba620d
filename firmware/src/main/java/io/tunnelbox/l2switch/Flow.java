package io.tunnelbox.l2switch;

/**
 * Counters of one fixed flow-table entry. The pipeline's tables are code; each branch a packet can
 * take counts into the Flow that the dump prints for it, so the dump tells what actually ran.
 * Written only by the datapath thread.
 */
final class Flow {
    final long created;
    long packets;
    long bytes;
    long lastUsed;

    Flow(long now) {
        this.created = now;
        this.lastUsed = now;
    }

    void clear() {
        packets = 0;
        bytes = 0;
    }

    void hit(int length, long now) {
        packets++;
        bytes += length;
        lastUsed = now;
    }
}
