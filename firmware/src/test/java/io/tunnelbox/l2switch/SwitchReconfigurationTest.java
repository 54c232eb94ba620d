package io.tunnelbox.l2switch;

import static io.tunnelbox.l2switch.Frames.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.engine.DatapathRunner;
import io.tunnelbox.hal.port.memory.MemoryPort;
import io.tunnelbox.hal.port.memory.MemoryWan;
import io.tunnelbox.hal.time.ManualClock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Reconfiguration while the switch runs on its own thread: another segment is added and removed
 * over and over from this thread while frames flow on the first one, and not one of them is lost.
 */
class SwitchReconfigurationTest {

    @Test
    void shouldKeepForwardingAnUntouchedSegmentWhileAnotherIsAddedAndRemoved() throws Exception {
        ManualClock clock = new ManualClock();
        MemoryWan underlay = new MemoryWan();
        Box box = new Box("box", "10.0.0.1", underlay, clock);
        MemoryPort peer = underlay.attach("peer", ip("10.0.0.2"), 1500);
        underlay.attach("other", ip("10.0.0.3"), 1500);
        box.segment(SegmentSpec.headEnd(Transport.VXLAN, 1, 10, List.of(ip("10.0.0.2"))));

        int frames = 300;
        try (DatapathRunner runner = new DatapathRunner(box.sw, clock).start()) {
            for (int k = 0; k < frames; k++) {
                assertTrue(runner.isAlive(), "datapath thread alive");
                box.send(Frames.arpRequest(0x02_00_00_00_00_01L, ip("172.16.0.1"), ip("172.16.0.2"), 10));
                if (k % 2 == 0) {
                    box.sw.addSegment(SegmentSpec.headEnd(Transport.GRE, 2, 20, List.of(ip("10.0.0.3"))))
                            .get(30, TimeUnit.SECONDS);
                } else {
                    box.sw.removeSegment(Transport.GRE, 2).get(30, TimeUnit.SECONDS);
                }
            }
            // Runs at the start of a poll after every frame above was taken and forwarded.
            box.sw.onDatapathThread(() -> 0).get(30, TimeUnit.SECONDS);
            box.sw.onDatapathThread(() -> 0).get(30, TimeUnit.SECONDS);
            List<byte[]> delivered = peer.drain();
            assertEquals(frames, delivered.size());
            for (byte[] p : delivered) {
                assertEquals(1, Frames.tunnelId(p));
            }
            assertEquals(1, box.sw.onDatapathThread(() -> box.sw.segments().size()).get(30, TimeUnit.SECONDS),
                    "the last change removed segment 2");
        }
    }

    /** Sends {@code count} frames from distinct LAN MACs on {@code vlan}, polling as batches fill. */
    private static void learnFromLan(Box box, long firstMac, int count, int vlan) {
        for (int k = 0; k < count; k++) {
            box.send(Frames.arpRequest(firstMac + k, ip("172.16.0.1"), ip("172.16.0.2"), vlan));
            if (k % 100 == 99) {
                box.sw.poll();
            }
        }
        box.sw.poll();
    }

    /**
     * The MAC table grows as it learns, and a segment whose MAC limit alone changes keeps what it
     * learned (a lower limit trims it to fit); adding a segment leaves the others' entries alone.
     */
    @Test
    void shouldKeepLearnedMacsWhenTheLimitChangesAndSegmentsAreAdded() {
        ManualClock clock = new ManualClock();
        MemoryWan underlay = new MemoryWan();
        Box box = new Box("box", "10.0.0.1", underlay, clock, 1500, 100_000);
        MemoryPort peer = underlay.attach("peer", ip("10.0.0.2"), 1500);
        SegmentSpec vx = SegmentSpec.headEnd(Transport.VXLAN, 1, 10, List.of(ip("10.0.0.2")));
        box.segment(vx).segment(SegmentSpec.headEnd(Transport.GRE, 2, 20, List.of(ip("10.0.0.2"))));
        var macs = box.sw.macTable();
        assertEquals(io.tunnelbox.mac.MacTable.MIN_SLOTS, macs.slotCount(), "64 KB to start with");

        learnFromLan(box, 0x02_00_00_01_00_00L, 1500, 10);
        learnFromLan(box, 0x02_00_00_02_00_00L, 700, 20);
        peer.drain();
        assertEquals(1500, box.sw.stats(Transport.VXLAN, 1).macEntries());
        assertEquals(700, box.sw.stats(Transport.GRE, 2).macEntries());
        assertEquals(8192, macs.slotCount(), "2200 entries at load <= 1/2");
        assertTrue(macs.resizes() >= 3);

        box.segment(vx.withMacLimit(8192));
        assertEquals(1500, box.sw.stats(Transport.VXLAN, 1).macEntries(), "a raised limit keeps every MAC");
        box.segment(SegmentSpec.headEnd(Transport.VXLAN, 3, 30, List.of(ip("10.0.0.2"))));
        assertEquals(1500, box.sw.stats(Transport.VXLAN, 1).macEntries(), "a new segment takes nothing");
        assertEquals(700, box.sw.stats(Transport.GRE, 2).macEntries());

        clock.advance(java.time.Duration.ofSeconds(1));
        learnFromLan(box, 0x02_00_00_01_00_00L + 1000, 500, 10); // the last 500 refreshed: they stay
        peer.drain();
        box.segment(vx.withMacLimit(500));
        assertEquals(500, box.sw.stats(Transport.VXLAN, 1).macEntries(), "a lower limit trims to fit");
        assertEquals(1000, macs.trimmedTotal(), "the 1000 closest to their timeout went");
        assertEquals(500, box.sw.segments().stream().filter(s -> s.id() == 1).findFirst().orElseThrow().macLimit());
        for (int k = 0; k < 1500; k++) {
            boolean kept = macs.lookup(0, 0x02_00_00_01_00_00L + k, clock.nanoTime()) != io.tunnelbox.mac.MacTable.MISS;
            assertEquals(k >= 1000, kept, "MAC " + k);
        }
        // A frame to a kept MAC behind the LAN is still switched as known (dropped: LAN to LAN), not flooded.
        box.send(Frames.arpReply(0x02_00_00_03_00_00L, ip("172.16.0.9"), 0x02_00_00_01_00_00L + 1200,
                ip("172.16.0.1"), 10));
        box.sw.poll();
        assertEquals(0, peer.drain().size());
        assertEquals(1L, box.sw.drops().get("lan-to-lan"));

        box.segment(vx.withMacLimit(500).withAgeing(java.time.Duration.ofSeconds(60)));
        assertEquals(0, box.sw.stats(Transport.VXLAN, 1).macEntries(), "any other change starts the segment afresh");
        assertEquals(700, box.sw.stats(Transport.GRE, 2).macEntries());
    }
}
