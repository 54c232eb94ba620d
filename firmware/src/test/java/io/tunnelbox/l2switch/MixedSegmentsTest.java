package io.tunnelbox.l2switch;

import static io.tunnelbox.l2switch.Frames.ip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.tunnelbox.engine.SimNetwork;
import io.tunnelbox.hal.port.memory.MemoryWan;
import io.tunnelbox.hal.time.ManualClock;
import io.tunnelbox.mac.MacTable;
import io.tunnelbox.packet.EtherType;
import io.tunnelbox.packet.Gre;
import io.tunnelbox.packet.IpProtocol;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scenario 4: a GRE segment and a VXLAN segment side by side on one box, on two VLANs of its LAN
 * port. The far box uses other local VLANs (as the seed's Q&A says: local VLANs are per server),
 * with its VXLAN segment untagged.
 */
class MixedSegmentsTest {
    static final int GRE_KEY = 100;
    static final int VNI = 7000;
    static final long HOST_A = 0x02_aa_00_00_00_01L;
    static final long HOST_B = 0x02_bb_00_00_00_01L;

    final ManualClock clock = new ManualClock();
    final MemoryWan underlay = new MemoryWan();
    final SimNetwork net = new SimNetwork(clock);
    Box a;
    Box b;

    @BeforeEach
    void twoBoxes() {
        a = new Box("a", "198.51.100.1", underlay, clock);
        b = new Box("b", "203.0.113.1", underlay, clock);
        a.segment(SegmentSpec.headEnd(Transport.GRE, GRE_KEY, 10, List.of(b.address)));
        a.segment(SegmentSpec.headEnd(Transport.VXLAN, VNI, 20, List.of(b.address)));
        b.segment(SegmentSpec.headEnd(Transport.GRE, GRE_KEY, 30, List.of(a.address)));
        b.segment(SegmentSpec.headEnd(Transport.VXLAN, VNI, 40, List.of(a.address)).withUntagged(true));
        net.add(a.sw).add(b.sw);
    }

    @Test
    void shouldCarryEachVlanInItsOwnTransport() {
        byte[] onGre = Frames.arpRequest(HOST_A, ip("172.16.0.1"), ip("172.16.0.2"), 10);
        byte[] onVxlan = Frames.arpRequest(HOST_A, ip("172.17.0.1"), ip("172.17.0.2"), 20);
        a.send(onGre);
        a.send(onVxlan);
        net.settle();

        List<byte[]> wire = underlay.captured();
        assertEquals(2, wire.size());
        byte[] gre = byProtocol(wire, IpProtocol.GRE);
        assertEquals(IpProtocol.GRE, Frames.protocol(gre));
        assertEquals(EtherType.TEB, Gre.protocol(Frames.seg(gre), 20));
        assertEquals(GRE_KEY, Frames.tunnelId(gre));
        byte[] vxlan = byProtocol(wire, IpProtocol.UDP);
        assertEquals(VNI, Frames.tunnelId(vxlan));

        List<byte[]> atB = b.received();
        assertEquals(2, atB.size());
        assertArrayEquals(Frames.untag(onGre), Frames.untag(byVlan(atB, 30)), "GRE segment arrives on b's VLAN 30");
        assertArrayEquals(Frames.untag(onVxlan), byVlan(atB, 0), "VXLAN segment arrives untagged at b");
    }

    @Test
    void shouldKeepTheSameMacApartInTwoSegments() {
        a.send(Frames.arpRequest(HOST_A, ip("172.16.0.1"), ip("172.16.0.2"), 10));
        a.send(Frames.arpRequest(HOST_A, ip("172.17.0.1"), ip("172.17.0.2"), 20));
        net.settle();
        b.received();
        MacTable macs = b.sw.macTable();
        assertEquals(2, macs.size(), "HOST_A once per segment");

        // Replies from b: GRE VLAN 30 tagged, VXLAN untagged; each goes back in its own transport.
        underlay.clearCaptured();
        b.send(Frames.arpReply(HOST_B, ip("172.16.0.2"), HOST_A, ip("172.16.0.1"), 30));
        b.send(Frames.arpReply(HOST_B, ip("172.17.0.2"), HOST_A, ip("172.17.0.1"), 0));
        net.settle();
        List<byte[]> wire = underlay.captured();
        assertEquals(2, wire.size(), "both unicast");
        assertEquals(GRE_KEY, Frames.tunnelId(byProtocol(wire, IpProtocol.GRE)));
        assertEquals(VNI, Frames.tunnelId(byProtocol(wire, IpProtocol.UDP)));
        List<byte[]> atA = a.received();
        assertEquals(2, atA.size());
        assertEquals(HOST_B, Frames.src(byVlan(atA, 10)));
        assertEquals(HOST_B, Frames.src(byVlan(atA, 20)));
    }

    static byte[] byProtocol(List<byte[]> packets, int protocol) {
        return packets.stream().filter(p -> Frames.protocol(p) == protocol).findFirst().orElseThrow();
    }

    static byte[] byVlan(List<byte[]> frames, int vlan) {
        return frames.stream().filter(f -> Frames.vlan(f) == vlan).findFirst().orElseThrow();
    }

    @Test
    void shouldDropLanFramesOfAVlanWithoutSegment() {
        a.send(Frames.arpRequest(HOST_A, ip("172.16.0.1"), ip("172.16.0.2"), 99));
        a.send(Frames.arpRequest(HOST_A, ip("172.16.0.1"), ip("172.16.0.2"), 0)); // a has no untagged segment
        net.settle();
        assertEquals(0, underlay.captured().size());
        assertEquals(2L, a.sw.drops().get("unknown-vlan"));
        assertNotEquals(-1, a.sw.dumpFlows().indexOf("n_packets=2, n_bytes=88, idle_age=0, priority=1,in_port=1 actions=drop"));
    }
}
