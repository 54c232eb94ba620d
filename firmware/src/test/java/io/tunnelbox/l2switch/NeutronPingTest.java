package io.tunnelbox.l2switch;

import static io.tunnelbox.l2switch.Frames.ip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.engine.SimNetwork;
import io.tunnelbox.hal.port.memory.MemoryWan;
import io.tunnelbox.hal.time.ManualClock;
import io.tunnelbox.packet.EtherType;
import io.tunnelbox.packet.IpProtocol;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scenario 2, the seed's Neutron ping: three compute nodes (192.168.1.100, .101, .102) with br-tun
 * GRE ports to each other, segment id 0x1388 on local VLAN 1. VM1 (10.0.0.1) on node 1 pings VM2
 * (10.0.0.2) on node 2.
 */
class NeutronPingTest {
    static final long VM1 = 0xfa163e000001L;
    static final long VM2 = 0xfa163e1f1955L;
    static final int VM1_IP = ip("10.0.0.1");
    static final int VM2_IP = ip("10.0.0.2");
    static final int SEGMENT = 0x1388;
    static final int VLAN = 1;

    final ManualClock clock = new ManualClock();
    final MemoryWan underlay = new MemoryWan();
    final SimNetwork net = new SimNetwork(clock);
    Box node1;
    Box node2;
    Box node3;

    @BeforeEach
    void threeNodes() {
        node1 = new Box("node1", "192.168.1.100", underlay, clock);
        node2 = new Box("node2", "192.168.1.101", underlay, clock);
        node3 = new Box("node3", "192.168.1.102", underlay, clock);
        List<Box> all = List.of(node1, node2, node3);
        for (Box b : all) {
            List<Integer> peers = all.stream().filter(o -> o != b).map(o -> o.address).toList();
            b.segment(SegmentSpec.headEnd(Transport.GRE, SEGMENT, VLAN, peers));
            net.add(b.sw);
        }
    }

    @Test
    void shouldFloodArpAsOneDeliveryPacketPerRemoteThenGoUnicast() {
        byte[] arp = Frames.arpRequest(VM1, VM1_IP, VM2_IP, VLAN);
        node1.send(arp);
        net.settle();

        List<byte[]> wire = underlay.captured();
        assertEquals(2, wire.size(), "one delivery packet per remote node");
        Set<Integer> dsts = wire.stream().map(Frames::outerDst).collect(Collectors.toSet());
        assertEquals(Set.of(node2.address, node3.address), dsts);
        for (byte[] p : wire) {
            assertEquals(node1.address, Frames.outerSrc(p));
            assertEquals(IpProtocol.GRE, Frames.protocol(p));
            assertEquals(SEGMENT, Frames.tunnelId(p));
            assertArrayEquals(Frames.untag(arp), Frames.inner(p), "the frame crosses untagged");
        }
        List<byte[]> at2 = node2.received();
        List<byte[]> at3 = node3.received();
        assertEquals(1, at2.size());
        assertEquals(1, at3.size());
        assertArrayEquals(arp, at2.get(0), "delivered with the local VLAN tag");
        assertEquals(0, node1.received().size(), "never back to the sender");

        // VM2 answers: one unicast straight back to node 1.
        underlay.clearCaptured();
        node2.send(Frames.arpReply(VM2, VM2_IP, VM1, VM1_IP, VLAN));
        net.settle();
        wire = underlay.captured();
        assertEquals(1, wire.size());
        assertEquals(node2.address, Frames.outerSrc(wire.get(0)));
        assertEquals(node1.address, Frames.outerDst(wire.get(0)));
        assertEquals(1, node1.received().size());
        assertEquals(0, node3.received().size());

        // The ping and its reply: unicast both ways.
        underlay.clearCaptured();
        node1.send(Frames.ping(VM2, VM1, VM1_IP, VM2_IP, VLAN, 56));
        net.settle();
        node2.send(Frames.ping(VM1, VM2, VM2_IP, VM1_IP, VLAN, 56));
        net.settle();
        wire = underlay.captured();
        assertEquals(2, wire.size());
        assertEquals(node2.address, Frames.outerDst(wire.get(0)));
        assertEquals(node1.address, Frames.outerDst(wire.get(1)));
        byte[] echo = node2.received().get(0);
        assertEquals(VLAN, Frames.vlan(echo));
        assertEquals(VM1, Frames.src(echo));
        assertEquals(1, node1.received().size());
        assertEquals(0, node3.received().size());

        SegmentStats s1 = node1.sw.stats(Transport.GRE, SEGMENT);
        assertEquals(3, s1.toTunnelPackets(), "two copies of the ARP, then the ping");
        assertEquals(2, s1.fromTunnelPackets());
        assertEquals(1, s1.floods());
    }

    @Test
    void shouldFloodAgainOnceTheLearnedEntryHasAgedOut() {
        node1.send(Frames.arpRequest(VM1, VM1_IP, VM2_IP, VLAN));
        net.settle();
        node2.send(Frames.arpReply(VM2, VM2_IP, VM1, VM1_IP, VLAN)); // node 1 learns VM2 at t=0
        net.settle();

        // Traffic *to* VM2 does not keep the entry (hard timeout, as the seed's learn action).
        net.advance(Duration.ofSeconds(290), Duration.ofSeconds(10));
        underlay.clearCaptured();
        node1.send(Frames.ping(VM2, VM1, VM1_IP, VM2_IP, VLAN, 56));
        net.settle();
        assertEquals(1, underlay.captured().size(), "still unicast at 290 s");

        net.advance(Duration.ofSeconds(10), Duration.ofSeconds(10));
        assertEquals(-1, node1.sw.macTable().lookup(0, VM2, clock.nanoTime()));
        underlay.clearCaptured();
        node2.received();
        node3.received();
        node1.send(Frames.ping(VM2, VM1, VM1_IP, VM2_IP, VLAN, 56));
        net.settle();
        assertEquals(2, underlay.captured().size(), "after 300 s without VM2 speaking: flooded again");
        assertEquals(1, node2.received().size());
        assertEquals(1, node3.received().size(), "unknown unicast reaches every node");
        assertTrue(node1.sw.macTable().expiredTotal() >= 1);
    }

    @Test
    void shouldDumpFlowsLikeTheSeed() {
        node1.send(Frames.arpRequest(VM1, VM1_IP, VM2_IP, VLAN));
        net.settle();
        node2.send(Frames.arpReply(VM2, VM2_IP, VM1, VM1_IP, VLAN));
        net.settle();
        clock.advance(Duration.ofSeconds(52));
        node1.send(Frames.ping(VM2, VM1, VM1_IP, VM2_IP, VLAN, 56));
        net.settle();

        String dump = node1.sw.dumpFlows();
        // Every line has the seed's fields, in its order.
        Pattern line = Pattern.compile(" cookie=0x0, duration=\\d+\\.\\d{3}s, table=\\d+, n_packets=\\d+, n_bytes=\\d+,"
                + "( hard_timeout=\\d+,)? idle_age=\\d+,( hard_age=\\d+,)? priority=\\d+\\S* actions=\\S+");
        List<String> lines = dump.lines().skip(1).toList();
        for (String l : lines) {
            assertTrue(line.matcher(l).matches(), "line does not read like ovs-ofctl: " + l);
        }
        // The seed's entries (node 1's tunnel ports: 2 to node 2, 3 to node 3).
        assertContains(dump, "table=0, n_packets=2, n_bytes=\\d+, idle_age=0, priority=2,in_port=1,dl_vlan=1 actions=learn\\(table=20,hard_timeout=300,.*\\),resubmit\\(,1\\)");
        assertContains(dump, "table=0, n_packets=1, n_bytes=\\d+, idle_age=52, priority=1,in_port=2 actions=resubmit\\(,2\\)");
        assertContains(dump, "table=0, n_packets=0, n_bytes=0, idle_age=52, priority=1,in_port=3 actions=resubmit\\(,2\\)");
        assertContains(dump, "table=0, n_packets=0, n_bytes=0, idle_age=52, priority=0 actions=drop");
        assertContains(dump, "table=1, n_packets=1, n_bytes=\\d+, idle_age=0, priority=0,dl_dst=00:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit\\(,20\\)");
        assertContains(dump, "table=1, n_packets=1, n_bytes=\\d+, idle_age=52, priority=0,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit\\(,21\\)");
        assertContains(dump, "table=2, n_packets=1, n_bytes=42, idle_age=52, priority=1,in_port=2,tun_id=0x1388 actions=mod_vlan_vid:1,resubmit\\(,10\\)");
        assertContains(dump, "table=2, n_packets=0, n_bytes=0, idle_age=52, priority=0 actions=drop");
        assertContains(dump, "table=10, n_packets=1, n_bytes=42, idle_age=52, priority=1,dl_vlan=1 actions=learn\\(table=20,hard_timeout=300,priority=1,NXM_OF_VLAN_TCI\\[0..11\\],NXM_OF_ETH_DST\\[\\]=NXM_OF_ETH_SRC\\[\\],load:0->NXM_OF_VLAN_TCI\\[\\],load:NXM_NX_TUN_ID\\[\\]->NXM_NX_TUN_ID\\[\\],output:NXM_OF_IN_PORT\\[\\]\\),output:1");
        assertContains(dump, "table=20, n_packets=1, n_bytes=102, hard_timeout=300, idle_age=0, hard_age=52, priority=1,vlan_tci=0x0001/0x0fff,dl_dst=fa:16:3e:1f:19:55 actions=load:0->NXM_OF_VLAN_TCI\\[\\],load:0x1388->NXM_NX_TUN_ID\\[\\],output:2");
        assertContains(dump, "table=20, n_packets=0, n_bytes=0, idle_age=52, priority=0 actions=resubmit\\(,21\\)");
        assertContains(dump, "table=21, n_packets=1, n_bytes=46, idle_age=52, priority=1,dl_vlan=1 actions=strip_vlan,set_tunnel:0x1388,output:2,output:3");
        assertContains(dump, "table=21, n_packets=0, n_bytes=0, idle_age=52, priority=0 actions=drop");

        String macs = node1.sw.dumpMacs();
        assertContains(macs, "gre 0x1388 +1 +fa:16:3e:1f:19:55 +2 \\(gre-c0a80165\\) +192.168.1.101 +52 +learned");
        assertContains(macs, "gre 0x1388 +1 +fa:16:3e:00:00:01 +1 \\(node1-lan\\) +- +0 +learned");
        assertEquals(EtherType.TEB, 0x6558);
    }

    static void assertContains(String text, String regex) {
        assertTrue(Pattern.compile(regex).matcher(text).find(), "no match for\n  " + regex + "\nin\n" + text);
    }
}
