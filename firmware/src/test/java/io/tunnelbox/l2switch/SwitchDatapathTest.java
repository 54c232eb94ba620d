package io.tunnelbox.l2switch;

import static io.tunnelbox.l2switch.Frames.ip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.bench.SwitchFixture;
import io.tunnelbox.bench.SwitchSinkPort;
import io.tunnelbox.engine.SimNetwork;
import io.tunnelbox.hal.port.PacketBatch;
import io.tunnelbox.hal.port.PacketPort.Layer;
import io.tunnelbox.hal.port.memory.MemoryPort;
import io.tunnelbox.hal.port.memory.MemoryWan;
import io.tunnelbox.hal.time.ManualClock;
import io.tunnelbox.mac.MacTable;
import io.tunnelbox.packet.EtherType;
import io.tunnelbox.packet.Ipv4;
import io.tunnelbox.packet.Udp;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reconfiguration, static MACs, MAC moves, limits of one switch. */
class SwitchDatapathTest {
    private static final long BROADCAST = 0xFFFF_FFFF_FFFFL;
    static final int VNI = 5000;
    static final long HOST = 0x02_00_00_00_00_01L;
    static final long FAR = 0x02_00_00_00_00_02L;

    final ManualClock clock = new ManualClock();
    final MemoryWan underlay = new MemoryWan();
    final SimNetwork net = new SimNetwork(clock);
    Box box;
    Box peer;
    Box third;

    @BeforeEach
    void boxes() {
        box = new Box("box", "10.0.0.1", underlay, clock);
        peer = new Box("peer", "10.0.0.2", underlay, clock);
        third = new Box("third", "10.0.0.3", underlay, clock);
        net.add(box.sw);
    }

    static <T> Throwable failure(CompletableFuture<T> f) {
        ExecutionException e = assertThrows(ExecutionException.class, f::get);
        return e.getCause();
    }

    @Test
    void shouldApplyQueuedChangesOnlyAtTheNextPoll() {
        CompletableFuture<Void> added = box.sw.addSegment(
                SegmentSpec.headEnd(Transport.VXLAN, VNI, 10, List.of(peer.address)));
        assertFalse(added.isDone());
        assertTrue(box.sw.segments().isEmpty());
        box.sw.poll();
        assertTrue(added.isDone());
        assertEquals(1, box.sw.segments().size());
    }

    @Test
    void shouldRefuseAVlanOrUntaggedSlotThatIsTaken() {
        box.segment(SegmentSpec.headEnd(Transport.VXLAN, VNI, 10, List.of(peer.address)).withUntagged(true));
        CompletableFuture<Void> sameVlan = box.sw.addSegment(SegmentSpec.headEnd(Transport.GRE, 7, 10, List.of()));
        CompletableFuture<Void> secondUntagged = box.sw.addSegment(
                SegmentSpec.headEnd(Transport.GRE, 8, 11, List.of()).withUntagged(true));
        box.sw.poll();
        assertEquals("gre 0x7: local VLAN 10 is already used by vxlan 5000", failure(sameVlan).getMessage());
        assertEquals("gre 0x8: vxlan 5000 is already the untagged segment of the LAN port",
                failure(secondUntagged).getMessage());
        assertEquals(1, box.sw.segments().size());
        CompletableFuture<Void> self = box.sw.addSegment(SegmentSpec.headEnd(Transport.GRE, 9, 12, List.of(box.address)));
        box.sw.poll();
        assertEquals("gre 0x9: peer 10.0.0.1 is this box's own address", failure(self).getMessage());
    }

    @Test
    void shouldRejectBadSpecsWithClearMessages() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SegmentSpec.headEnd(Transport.VXLAN, 1 << 24, 10, List.of()));
        assertEquals("vxlan segment 16777216: a VNI is 24 bits (0..16777215)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SegmentSpec.headEnd(Transport.GRE, 1, 4095, List.of()));
        assertEquals("gre segment 1: local VLAN 4095 outside 1..4094", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SegmentSpec.multicast(Transport.VXLAN, 1, 5, ip("10.0.0.1")));
        assertEquals("vxlan segment 1: multicast flooding needs a group in 224.0.0.0/4, not 10.0.0.1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SegmentSpec.headEnd(Transport.VXLAN, 1, 5, List.of(ip("10.0.0.2"), ip("10.0.0.2"))));
        assertEquals("vxlan segment 1: a peer is listed twice", e.getMessage());
    }

    @Test
    void shouldKeepOtherSegmentsRunningWhileOneIsReplaced() {
        box.segment(SegmentSpec.headEnd(Transport.VXLAN, VNI, 10, List.of(peer.address)));
        box.segment(SegmentSpec.headEnd(Transport.GRE, 77, 20, List.of(peer.address)));
        box.wan.inject(Frames.vxlan(peer.address, box.address, VNI, Frames.arpRequest(FAR, 1, 2, 0)));
        box.wan.inject(Frames.gre(peer.address, box.address, 77, EtherType.TEB, Frames.arpRequest(FAR, 1, 2, 0)));
        net.settle();
        assertEquals(2, box.sw.macTable().size());

        // The GRE segment gets a second peer: its MACs go, the VXLAN segment's stay.
        box.segment(SegmentSpec.headEnd(Transport.GRE, 77, 20, List.of(peer.address, third.address)));
        assertEquals(1, box.sw.macTable().size());
        assertEquals(1, box.sw.stats(Transport.VXLAN, VNI).macEntries());
        assertTrue(box.sw.dumpFlows().contains("priority=1,dl_vlan=20 actions=strip_vlan,set_tunnel:0x4d,output:3,output:4"),
                box.sw.dumpFlows());

        box.sw.removeSegment(Transport.GRE, 77);
        box.sw.poll();
        String dump = box.sw.dumpFlows();
        assertFalse(dump.contains("in_port=3") || dump.contains("in_port=4"),
                "the ports only the removed segment used are gone:\n" + dump);
        assertTrue(dump.contains("priority=1,in_port=2 actions=resubmit(,2)"));
        CompletableFuture<Void> again = box.sw.removeSegment(Transport.GRE, 77);
        box.sw.poll();
        assertEquals("no gre segment 77", failure(again).getMessage());
    }

    @Test
    void shouldKeepStaticMacsAgainstLearningAndAgeing() {
        box.segment(SegmentSpec.headEnd(Transport.VXLAN, VNI, 10, List.of(peer.address, third.address)));
        box.sw.addStaticMac(Transport.VXLAN, VNI, FAR, third.address);
        CompletableFuture<Void> notPeer = box.sw.addStaticMac(Transport.VXLAN, VNI, FAR + 1, ip("10.9.9.9"));
        box.sw.poll();
        assertInstanceOf(IllegalArgumentException.class, failure(notPeer));

        // FAR shows up behind peer: the static entry wins.
        box.wan.inject(Frames.vxlan(peer.address, box.address, VNI, Frames.arpRequest(FAR, 1, 2, 0)));
        net.advance(Duration.ofSeconds(1000), Duration.ofSeconds(100));
        underlay.clearCaptured();
        box.send(Frames.ping(FAR, HOST, 1, 2, 10, 10));
        net.settle();
        assertEquals(1, underlay.captured().size());
        assertEquals(third.address, Frames.outerDst(underlay.captured().get(0)));
        assertEquals(1, box.sw.macTable().staticConflictTotal());
        String dump = box.sw.dumpFlows();
        assertTrue(dump.contains("idle_age=0, priority=2,vlan_tci=0x000a/0x0fff,dl_dst=02:00:00:00:00:02 actions="
                + "load:0->NXM_OF_VLAN_TCI[],load:0x1388->NXM_NX_TUN_ID[],output:3"), dump);
        assertTrue(box.sw.dumpMacs().contains("static"));
    }

    @Test
    void shouldRelearnAMacThatMovesToAnotherVtepAndToTheLan() {
        box.segment(SegmentSpec.headEnd(Transport.VXLAN, VNI, 10, List.of(peer.address, third.address)));
        box.wan.inject(Frames.vxlan(peer.address, box.address, VNI, Frames.arpRequest(FAR, 1, 2, 0)));
        net.settle();
        box.wan.inject(Frames.vxlan(third.address, box.address, VNI, Frames.arpRequest(FAR, 1, 2, 0)));
        net.settle();
        underlay.clearCaptured();
        box.send(Frames.ping(FAR, HOST, 1, 2, 10, 10));
        net.settle();
        assertEquals(third.address, Frames.outerDst(underlay.captured().get(0)), "moved to the third VTEP");

        // Now FAR speaks on the LAN: frames to it stay on the LAN (not sent into a tunnel).
        box.send(Frames.arpRequest(FAR, 1, 2, 10));
        net.settle();
        underlay.clearCaptured();
        box.send(Frames.ping(FAR, HOST, 1, 2, 10, 10));
        net.settle();
        assertEquals(0, underlay.captured().size());
        assertEquals(2, box.sw.macTable().movedTotal());
        assertEquals(1L, box.sw.drops().get("lan-to-lan"));
    }

    @Test
    void shouldDropFramesWhoseDeliveryPacketExceedsTheUnderlayMtuByDefault() {
        Box small = new Box("small", "10.0.0.9", underlay, clock, 1000, 1000);
        small.segment(SegmentSpec.headEnd(Transport.GRE, 1, 10, List.of(peer.address)));
        net.add(small.sw);
        small.send(Frames.ping(FAR, HOST, 1, 2, 10, 1000 - 28 - 28 - 14));
        small.send(Frames.ping(FAR, HOST, 1, 2, 10, 1400));
        net.settle();
        List<byte[]> wire = underlay.captured();
        assertEquals(1, wire.size(), "RFC 7348 4.3: no fragments; the frame that fits goes");
        assertEquals(1000, wire.get(0).length);
        assertEquals(1, small.sw.stats(Transport.GRE, 1).tooBig());
        assertEquals(0, small.sw.stats(Transport.GRE, 1).fragmented());
        assertEquals(1L, small.sw.drops().get("outer-too-big"));
    }

    @Test
    void shouldFragmentDeliveryPacketsLargerThanTheUnderlayMtuWhenTheSegmentAsks() {
        Box small = new Box("small", "10.0.0.9", underlay, clock, 1000, 1000);
        small.segment(SegmentSpec.headEnd(Transport.GRE, 1, 10, List.of(peer.address)).withFragmentOuter(true));
        net.add(small.sw);
        byte[] fits = Frames.ping(FAR, HOST, 1, 2, 10, 1000 - 28 - 28 - 14);
        byte[] tooBig = Frames.ping(FAR, HOST, 1, 2, 10, 1400);
        small.send(fits);
        small.send(tooBig);
        net.settle();
        List<byte[]> wire = underlay.captured();
        assertEquals(1 + 2, wire.size());
        assertEquals(1000, wire.get(0).length);
        assertEquals(0, Ipv4.flagsFragment(Frames.seg(wire.get(0)), 0), "unfragmented, DF clear");

        byte[] first = wire.get(1);
        byte[] second = wire.get(2);
        MemorySegment f1 = Frames.seg(first);
        MemorySegment f2 = Frames.seg(second);
        assertEquals(996, first.length, "20 + 976 (a multiple of 8 that fits 1000)");
        assertEquals(Ipv4.MF, Ipv4.flagsFragment(f1, 0));
        assertEquals(976 / 8, Ipv4.fragmentOffset(f2, 0));
        assertFalse(Ipv4.moreFragments(f2, 0));
        assertEquals(Ipv4.id(f1, 0), Ipv4.id(f2, 0));
        assertTrue(Ipv4.id(f1, 0) != 0);
        assertEquals(0, Ipv4.validate(f1, 0, first.length));
        assertEquals(0, Ipv4.validate(f2, 0, second.length));
        // Reassembled: the GRE packet with the untagged frame.
        byte[] payload = new byte[first.length - 20 + second.length - 20];
        System.arraycopy(first, 20, payload, 0, first.length - 20);
        System.arraycopy(second, 20, payload, first.length - 20, second.length - 20);
        byte[] inner = java.util.Arrays.copyOfRange(payload, 8, payload.length);
        assertArrayEquals(Frames.untag(tooBig), inner);
        assertEquals(1, small.sw.stats(Transport.GRE, 1).fragmented());
    }

    @Test
    void shouldFloodAFullBatchOfBroadcastsToEveryPeer() {
        List<Integer> peers = List.of(ip("10.0.1.1"), ip("10.0.1.2"), ip("10.0.1.3"), ip("10.0.1.4"));
        for (int p : peers) {
            underlay.attach("r" + p, p, 1500);
        }
        box.segment(SegmentSpec.headEnd(Transport.VXLAN, VNI, 10, peers));
        for (int i = 0; i < PacketBatch.CAPACITY; i++) {
            box.send(Frames.arpRequest(HOST + i, 1, 2, 10));
        }
        assertEquals(PacketBatch.CAPACITY, box.sw.poll(), "one poll, one batch");
        assertEquals(4 * PacketBatch.CAPACITY, underlay.captured().size());
        assertEquals(4L * PacketBatch.CAPACITY, box.sw.stats(Transport.VXLAN, VNI).toTunnelPackets());
    }

    @Test
    void shouldNotAllocatePerPacketOnTheLearnedUnicastPath() {
        for (Transport t : Transport.values()) {
            SwitchFixture f = new SwitchFixture(t, 64);
            com.sun.management.ThreadMXBean bean =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long allocated = 0;
            for (int round = 0; round < 200; round++) {
                long before = bean.getCurrentThreadAllocatedBytes();
                f.restoreLan();
                f.sw.processLan(f.fromLan);
                f.restoreWan();
                f.sw.processWan(f.fromWan);
                allocated = bean.getCurrentThreadAllocatedBytes() - before;
            }
            assertEquals(0, allocated, t + ": bytes allocated for 512 packets");
            assertEquals(201L * PacketBatch.CAPACITY, f.wan.sentPackets, "all unicast, none flooded");
            assertEquals(201L * PacketBatch.CAPACITY, f.lan.sentPackets);
            assertEquals(2 * SwitchFixture.HOSTS, f.sw.macTable().size());
            assertEquals(MacTable.MISS, f.sw.macTable().lookup(0, 0x02_00_00_00_00_ffL, 0));
        }
    }

    @Test
    void shouldNotAllocatePerPacketWhenFloodingToEveryPeer() {
        // Broadcasts both ways on a head-end segment of three peers: copies for each peer from the
        // LAN (the flood-copy batch), decapsulation to the LAN from the tunnel.
        int cap = PacketBatch.CAPACITY;
        for (Transport t : Transport.values()) {
            SwitchSinkPort lan = new SwitchSinkPort("lan", Layer.ETHERNET);
            SwitchSinkPort wan = new SwitchSinkPort("wan", Layer.IP);
            List<Integer> peers = List.of(SwitchFixture.PEER, SwitchFixture.PEER + 1, SwitchFixture.PEER + 2);
            SwitchDatapath sw = new SwitchDatapath("flood", new ManualClock(), SwitchFixture.LOCAL, lan, wan, wan, 100_000);
            sw.addSegment(SegmentSpec.headEnd(t, SwitchFixture.ID, 1, peers).withUntagged(true));
            sw.poll();
            PacketBatch fromLan = PacketBatch.allocate();
            PacketBatch fromWan = PacketBatch.allocate();
            long[] lanSlot = new long[cap];
            long[] wanSlot = new long[cap];
            for (int i = 0; i < cap; i++) {
                int l = fromLan.add(SwitchFixture.frame(BROADCAST, 0x02_00_00_00_00_00L | (i % 64), 128));
                lanSlot[l] = (long) fromLan.offset(l) << 32 | fromLan.length(l);
                int w = fromWan.add(SwitchFixture.delivery(t, SwitchFixture.frame(BROADCAST, 0x02_00_00_00_01_00L | (i % 64), 128)));
                wanSlot[w] = (long) fromWan.offset(w) << 32 | fromWan.length(w);
            }
            com.sun.management.ThreadMXBean bean =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long allocated = 0;
            int rounds = 200;
            for (int round = 0; round < rounds; round++) {
                long before = bean.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < cap; i++) {
                    fromLan.set(i, (int) (lanSlot[i] >>> 32), (int) lanSlot[i]);
                    fromWan.set(i, (int) (wanSlot[i] >>> 32), (int) wanSlot[i]);
                }
                sw.processLan(fromLan);
                sw.processWan(fromWan);
                allocated = bean.getCurrentThreadAllocatedBytes() - before;
            }
            assertEquals(0, allocated, t + ": bytes allocated for " + cap + " broadcasts each way, three copies of each");
            assertEquals((long) rounds * cap * peers.size(), wan.sentPackets, t + ": every broadcast to every peer");
            assertEquals((long) rounds * cap, lan.sentPackets, t + ": every tunnel broadcast to the LAN");
        }
    }

    @Test
    void shouldNotLetTaggedFramesIntoTheUntaggedSegment() {
        box.segment(SegmentSpec.headEnd(Transport.VXLAN, VNI, 4094, List.of(peer.address)).withUntagged(true));
        box.send(Frames.arpRequest(HOST, 1, 2, 4094));
        box.send(Frames.arpRequest(HOST, 1, 2, 0));
        net.settle();
        assertEquals(1, underlay.captured().size());
        assertEquals(1L, box.sw.drops().get("unknown-vlan"));
    }

    @Test
    void shouldSpeakVxlanOnAnotherUdpPortWhenConfigured() {
        MemoryPort wan = underlay.attach("p-wan", ip("10.0.0.7"), 1500);
        MemoryPort lan = new MemoryPort("p-lan", Layer.ETHERNET, 1500);
        SwitchDatapath sw = new SwitchDatapath("p", clock, ip("10.0.0.7"), lan, wan, null, 100, 8472);
        sw.addSegment(SegmentSpec.headEnd(Transport.VXLAN, VNI, 5, List.of(peer.address)).withUntagged(true));
        sw.poll();
        lan.inject(Frames.arpRequest(HOST, 1, 2, 0));
        sw.poll();
        byte[] sent = underlay.captured().get(0);
        assertEquals(8472, Udp.dstPort(Frames.seg(sent), 20));

        byte[] standard = Frames.vxlan(peer.address, ip("10.0.0.7"), VNI, Frames.arpRequest(FAR, 1, 2, 0));
        wan.inject(standard);
        sw.poll();
        assertEquals(1L, sw.drops().get("not-vxlan-port"));
        standard[22] = (byte) (8472 >> 8);
        standard[23] = (byte) 8472;
        wan.inject(standard);
        sw.poll();
        assertEquals(1, sw.stats(Transport.VXLAN, VNI).fromTunnelPackets());
    }

    @Test
    void shouldCountAFrameWithoutRoomForTheTunnelHeadersInsteadOfFailing() {
        SwitchSinkPort lan = new SwitchSinkPort("lan", Layer.ETHERNET);
        SwitchSinkPort wan = new SwitchSinkPort("wan", Layer.IP);
        SwitchDatapath sw = new SwitchDatapath("tight", clock, ip("10.0.0.1"), lan, wan, wan, 100);
        sw.addSegment(SegmentSpec.headEnd(Transport.VXLAN, VNI, 10, List.of(ip("10.0.0.2"))).withUntagged(true));
        sw.poll();
        PacketBatch batch = PacketBatch.allocate();
        byte[] frame = Frames.arpRequest(HOST, 1, 2, 0);
        int i = batch.add(frame);
        batch.set(i, (int) PacketBatch.slotBase(i), frame.length); // no headroom at all
        MemorySegment.copy(MemorySegment.ofArray(frame), 0, batch.memory(), PacketBatch.slotBase(i), frame.length);
        sw.processLan(batch);
        assertEquals(0, wan.sentPackets);
        assertEquals(1L, sw.drops().get("no-headroom"));
    }
}
