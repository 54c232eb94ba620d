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
}
