package io.tunnelbox.l2switch;

import static io.tunnelbox.l2switch.Frames.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.hal.port.memory.MemoryWan;
import io.tunnelbox.hal.time.ManualClock;
import io.tunnelbox.packet.EtherType;
import io.tunnelbox.packet.Mutator;
import io.tunnelbox.packet.Ipv4Prefix;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Mutated packets through the switch's real entry points, its WAN port (VXLAN and Ethernet over
 * GRE, from its peer and from strangers; VXLAN to a multicast-group segment, by unicast and to the
 * group, from its member and from strangers) and its LAN port (tagged, untagged, broadcast): the
 * datapath never throws, no frame whose delivery packet came from anyone but a peer of that
 * frame's segment reaches the LAN, nothing is ever sent to anyone but a peer or the group, every
 * delivery packet is either delivered to the LAN or counted as one drop, and the switch still
 * forwards afterwards.
 */
class SwitchEntryFuzzTest {
    static final int VNI = 5000, KEY = 7001, GROUP_VNI = 5001;
    static final int VLAN_VXLAN = 10, VLAN_GRE = 20, VLAN_GROUP = 30;
    static final long HOST = 0x02_00_00_00_00_01L, REMOTE_HOST = 0x02_00_00_00_00_02L;

    @Test
    void shouldSurviveOneHundredThousandMutatedPacketsAtBothEntries() {
        fuzz(100_000, 11);
    }

    @Test
    @Tag("slow")
    void shouldSurviveTenMillionMutatedPacketsAtBothEntries() {
        fuzz(10_000_000, 12);
    }

    private static void fuzz(int rounds, long seed) {
        ManualClock clock = new ManualClock();
        MemoryWan underlay = new MemoryWan();
        Box box = new Box("box", "10.0.0.1", underlay, clock);
        int peer = ip("10.0.0.2");
        int stranger = ip("10.0.0.66");
        int member = ip("10.0.0.3"); // the group segment's one allowed member
        int group = ip("239.1.1.1");
        underlay.attach("peer-wan", peer, 1500);
        underlay.attach("member-wan", member, 1500);
        box.segment(SegmentSpec.headEnd(Transport.VXLAN, VNI, VLAN_VXLAN, List.of(peer)).withMacLimit(256));
        box.segment(SegmentSpec.headEnd(Transport.GRE, KEY, VLAN_GRE, List.of(peer)).withMacLimit(256));
        box.segment(SegmentSpec.multicast(Transport.VXLAN, GROUP_VNI, VLAN_GROUP, group).withMacLimit(256)
                .withAllow(List.of(new Ipv4Prefix(member, 32))));
        // Who may send into each segment (by its LAN VLAN), and where the box may send.
        Map<Integer, Set<Integer>> senders = Map.of(VLAN_VXLAN, Set.of(peer), VLAN_GRE, Set.of(peer),
                VLAN_GROUP, Set.of(member));
        Set<Integer> peers = Set.of(peer, member, group);

        byte[] arp = Frames.arpRequest(REMOTE_HOST, ip("172.16.0.2"), ip("172.16.0.1"), 0);
        byte[] ping = Frames.ping(HOST, REMOTE_HOST, ip("172.16.0.2"), ip("172.16.0.1"), 0, 64);
        List<byte[]> wanSeeds = List.of(
                Frames.vxlan(peer, box.address, VNI, arp), Frames.vxlan(peer, box.address, VNI, ping),
                Frames.vxlan(stranger, box.address, VNI, arp),
                Frames.gre(peer, box.address, KEY, EtherType.TEB, ping),
                Frames.gre(stranger, box.address, KEY, EtherType.TEB, arp),
                Frames.vxlan(member, group, GROUP_VNI, arp), Frames.vxlan(member, box.address, GROUP_VNI, ping),
                Frames.vxlan(stranger, group, GROUP_VNI, arp), Frames.vxlan(stranger, box.address, GROUP_VNI, ping),
                Frames.vxlan(peer, box.address, GROUP_VNI, arp));
        List<byte[]> lanSeeds = List.of(
                Frames.arpRequest(HOST, ip("172.16.0.1"), ip("172.16.0.2"), 10),
                Frames.ping(REMOTE_HOST, HOST, ip("172.16.0.1"), ip("172.16.0.2"), 10, 100),
                Frames.ping(REMOTE_HOST, HOST, ip("172.16.0.1"), ip("172.16.0.2"), 0, 100),
                Frames.ping(REMOTE_HOST, HOST, ip("172.16.0.1"), ip("172.16.0.2"), 20, 1400),
                Frames.arpRequest(HOST, ip("172.16.0.1"), ip("172.16.0.9"), 20),
                Frames.arpRequest(HOST, ip("172.16.0.1"), ip("172.16.0.2"), VLAN_GROUP),
                Frames.ping(REMOTE_HOST, HOST, ip("172.16.0.1"), ip("172.16.0.2"), VLAN_GROUP, 100));

        Mutator m = new Mutator(seed);
        long fromWan = 0, fromLan = 0, delivered = 0, strangerDelivered = 0, groupDelivered = 0;
        for (int i = 0; i < rounds; i++) {
            if (m.nextInt(2) == 0) {
                byte[] p = m.mutate(wanSeeds.get(m.nextInt(wanSeeds.size())));
                int src = p.length >= 16 ? Frames.outerSrc(p) : 0;
                long dropsBefore = totalDrops(box);
                box.wan.inject(p);
                box.sw.poll();
                List<byte[]> frames = box.received();
                int n = frames.size();
                long dropped = totalDrops(box) - dropsBefore;
                assertEquals(1, n + dropped, "round " + i + ": delivered " + n + ", dropped " + dropped);
                for (byte[] frame : frames) {
                    delivered++;
                    groupDelivered += Frames.vlan(frame) == VLAN_GROUP ? 1 : 0;
                    if (!senders.getOrDefault(Frames.vlan(frame), Set.of()).contains(src)) {
                        strangerDelivered++;
                    }
                }
                fromWan++;
            } else {
                box.send(m.mutate(lanSeeds.get(m.nextInt(lanSeeds.size()))));
                box.sw.poll();
                box.received();
                fromLan++;
            }
            if ((i & 0xffff) == 0) {
                clock.advance(Duration.ofSeconds(30)); // let MACs age, so learning goes on
                box.sw.tick();
                for (byte[] out : underlay.captured()) {
                    assertTrue(peers.contains(Frames.outerDst(out)), "sent to a stranger: " + Frames.outerDst(out));
                }
                underlay.clearCaptured();
            }
        }
        for (byte[] out : underlay.captured()) {
            assertTrue(peers.contains(Frames.outerDst(out)), "sent to a stranger: " + Frames.outerDst(out));
        }
        System.out.printf("switch fuzz: %d from the WAN (%d frames delivered), %d from the LAN, drops %s%n",
                fromWan, delivered, fromLan, box.sw.drops());
        assertEquals(0, strangerDelivered, "frames from strangers reached the LAN");
        assertTrue(delivered > 0, "the peer's frames still get through: the fuzz reached the deep end");
        assertTrue(groupDelivered > 0, "the group member's frames get through too");
        assertTrue(box.sw.drops().getOrDefault("unknown-remote", 0L) > 0, "strangers reached the allow-list check");
        assertTrue(box.sw.drops().getOrDefault("remote-not-member", 0L) > 0, "a peer of one segment sent into another");

        underlay.clearCaptured();
        box.send(Frames.arpRequest(HOST, ip("172.16.0.1"), ip("172.16.0.9"), 10));
        box.sw.poll();
        assertEquals(1, underlay.captured().size(), "still flooding to the peer");
    }

    private static long totalDrops(Box box) {
        return box.sw.drops().values().stream().mapToLong(Long::longValue).sum();
    }
}
