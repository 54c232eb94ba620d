package io.tunnelbox.l2switch;

import static io.tunnelbox.l2switch.Frames.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.engine.SimNetwork;
import io.tunnelbox.hal.port.memory.MemoryWan;
import io.tunnelbox.hal.time.ManualClock;
import io.tunnelbox.packet.Ipv4Prefix;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seed's VXLAN section: each VTEP joins the segment's group; BUM traffic goes to the group as
 * one packet; every member learns inner source MAC -> outer source address; the reply is unicast.
 */
class MulticastFloodTest {
    static final int VNI = 5000;
    static final int GROUP = ip("239.1.1.1");
    static final long VM1 = 0x02_00_00_00_00_01L;
    static final long VM2 = 0x02_00_00_00_00_02L;

    final ManualClock clock = new ManualClock();
    final MemoryWan underlay = new MemoryWan();
    final SimNetwork net = new SimNetwork(clock);
    Box v1;
    Box v2;
    Box v3;

    @BeforeEach
    void threeVteps() {
        v1 = new Box("vtep1", "10.1.0.1", underlay, clock);
        v2 = new Box("vtep2", "10.1.0.2", underlay, clock);
        v3 = new Box("vtep3", "10.1.0.3", underlay, clock);
        for (Box b : List.of(v1, v2, v3)) {
            b.segment(SegmentSpec.multicast(Transport.VXLAN, VNI, 1, GROUP).withUntagged(true)
                    .withAllow(List.of(Ipv4Prefix.parse("10.1.0.0/24"))));
            underlay.join(b.wan, GROUP);
            net.add(b.sw);
        }
    }

    @Test
    void shouldSendBroadcastAsOneGroupPacketAndReplyUnicast() {
        v1.send(Frames.arpRequest(VM1, ip("192.168.5.1"), ip("192.168.5.2"), 0));
        net.settle();
        List<byte[]> wire = underlay.captured();
        assertEquals(1, wire.size(), "one copy to the group");
        assertEquals(GROUP, Frames.outerDst(wire.get(0)));
        assertEquals(1, v2.received().size());
        assertEquals(1, v3.received().size());

        underlay.clearCaptured();
        v2.send(Frames.arpReply(VM2, ip("192.168.5.2"), VM1, ip("192.168.5.1"), 0));
        net.settle();
        wire = underlay.captured();
        assertEquals(1, wire.size());
        assertEquals(v1.address, Frames.outerDst(wire.get(0)), "v2 learned VM1 behind v1's address");
        assertEquals(1, v1.received().size());
        assertEquals(0, v3.received().size());

        underlay.clearCaptured();
        v1.send(Frames.ping(VM2, VM1, ip("192.168.5.1"), ip("192.168.5.2"), 0, 32));
        net.settle();
        assertEquals(v2.address, Frames.outerDst(underlay.captured().get(0)));

        String dump = v1.sw.dumpFlows();
        assertTrue(dump.contains("priority=1,dl_vlan=1 actions=strip_vlan,set_tunnel:0x1388,set_field:239.1.1.1->tun_dst,output:2"), dump);
        assertTrue(dump.contains("dl_dst=02:00:00:00:00:02 actions=load:0->NXM_OF_VLAN_TCI[],load:0x1388->NXM_NX_TUN_ID[],load:0xa010002->NXM_NX_TUN_IPV4_DST[],output:2"), dump);
    }

    @Test
    void shouldAcceptOnlyListedMembersWhenTheSegmentNamesThem() {
        v1.segment(SegmentSpec.multicast(Transport.VXLAN, VNI, 1, GROUP).withUntagged(true).withPeers(List.of(v2.address)));
        v3.send(Frames.arpRequest(VM2, ip("192.168.5.3"), ip("192.168.5.1"), 0));
        net.settle();
        assertEquals(0, v1.received().size());
        assertEquals(1L, v1.sw.drops().get("remote-not-member"));
        v2.send(Frames.arpRequest(VM2, ip("192.168.5.2"), ip("192.168.5.1"), 0));
        net.settle();
        assertEquals(1, v1.received().size());
    }
}
