package io.tunnelbox.l2switch;

import static io.tunnelbox.l2switch.Frames.ip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tunnelbox.engine.SimNetwork;
import io.tunnelbox.hal.port.memory.MemoryWan;
import io.tunnelbox.hal.time.ManualClock;
import io.tunnelbox.packet.IpProtocol;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scenario 3: a full mesh of five VTEPs on one VXLAN segment, untagged on every LAN port. */
class FullMeshTest {
    static final int VNI = 5000;

    final ManualClock clock = new ManualClock();
    final MemoryWan underlay = new MemoryWan();
    final SimNetwork net = new SimNetwork(clock);
    final List<Box> boxes = new ArrayList<>();

    @BeforeEach
    void fiveBoxes() {
        for (int i = 1; i <= 5; i++) {
            boxes.add(new Box("box" + i, "10.0.0." + i, underlay, clock));
        }
        for (Box b : boxes) {
            List<Integer> peers = boxes.stream().filter(o -> o != b).map(o -> o.address).toList();
            b.segment(SegmentSpec.headEnd(Transport.VXLAN, VNI, 100, peers).withUntagged(true));
            net.add(b.sw);
        }
    }

    static long mac(int box) {
        return 0x02_00_00_00_00_00L | box;
    }

    @Test
    void shouldCopyEachBroadcastOncePerRemoteAndDeliverItOncePerLan() {
        for (int sender = 1; sender <= 5; sender++) {
            underlay.clearCaptured();
            byte[] arp = Frames.arpRequest(mac(sender), ip("192.168.0." + sender), ip("192.168.0.99"), 0);
            boxes.get(sender - 1).send(arp);
            net.settle(); // throws if frames keep moving (a loop)

            List<byte[]> wire = underlay.captured();
            assertEquals(4, wire.size(), "broadcast from box" + sender);
            Set<Integer> dsts = new HashSet<>();
            for (byte[] p : wire) {
                assertEquals(boxes.get(sender - 1).address, Frames.outerSrc(p), "only the sender encapsulates");
                assertEquals(IpProtocol.UDP, Frames.protocol(p));
                assertEquals(VNI, Frames.tunnelId(p));
                dsts.add(Frames.outerDst(p));
            }
            assertEquals(4, dsts.size(), "four different remotes");
            for (Box b : boxes) {
                List<byte[]> got = b.received();
                if (b == boxes.get(sender - 1)) {
                    assertEquals(0, got.size(), "not back to the sender's LAN");
                } else {
                    assertEquals(1, got.size(), b.name + " gets it exactly once");
                    assertArrayEquals(arp, got.get(0));
                }
            }
        }
    }

    @Test
    void shouldSendUnicastToTheOneVtepWhereTheMacLives() {
        for (int sender = 1; sender <= 5; sender++) {
            boxes.get(sender - 1).send(Frames.arpRequest(mac(sender), ip("192.168.0." + sender), ip("192.168.0.9"), 0));
        }
        net.settle();
        boxes.forEach(Box::received);
        underlay.clearCaptured();

        boxes.get(0).send(Frames.ping(mac(4), mac(1), ip("192.168.0.1"), ip("192.168.0.4"), 0, 100));
        boxes.get(2).send(Frames.ping(mac(5), mac(3), ip("192.168.0.3"), ip("192.168.0.5"), 0, 100));
        net.settle();
        List<byte[]> wire = underlay.captured();
        assertEquals(2, wire.size());
        assertEquals(boxes.get(3).address, Frames.outerDst(wire.get(0)));
        assertEquals(boxes.get(4).address, Frames.outerDst(wire.get(1)));
        assertEquals(1, boxes.get(3).received().size());
        assertEquals(1, boxes.get(4).received().size());
        assertEquals(0, boxes.get(1).received().size());
    }

    @Test
    void shouldNeverForwardATunnelFrameIntoAnotherTunnel() {
        // A remote floods an unknown unicast into box 1: box 1 gives it to its LAN and nowhere else.
        Box box1 = boxes.get(0);
        byte[] frame = Frames.ping(0x02_00_00_00_00_99L, mac(2), ip("192.168.0.2"), ip("192.168.0.99"), 0, 20);
        box1.wan.inject(Frames.vxlan(boxes.get(1).address, box1.address, VNI, frame));
        underlay.clearCaptured();
        net.settle();
        assertEquals(0, underlay.captured().size());
        assertEquals(1, box1.received().size());
    }
}
