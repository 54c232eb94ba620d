package io.tunnelbox.l2switch;

import static io.tunnelbox.l2switch.Frames.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.engine.SimNetwork;
import io.tunnelbox.hal.port.memory.MemoryWan;
import io.tunnelbox.hal.time.ManualClock;
import io.tunnelbox.mac.MacTable;
import io.tunnelbox.packet.EtherType;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scenario 6 for the switch: spoofed remotes, unknown tunnel ids, wrong keys, malformed delivery
 * packets and a MAC flood. Every one is a counted drop; nothing reaches the LAN; the MAC table stays
 * within its limit.
 */
class HostileInputTest {
    static final int VNI = 5000;
    static final int KEY = 0x1388;
    static final long HOST = 0x02_00_00_00_00_01L;

    final ManualClock clock = new ManualClock();
    final MemoryWan underlay = new MemoryWan();
    final SimNetwork net = new SimNetwork(clock);
    Box box;
    Box peer;
    Box other;

    @BeforeEach
    void boxes() {
        box = new Box("box", "10.0.0.1", underlay, clock);
        peer = new Box("peer", "10.0.0.2", underlay, clock);
        other = new Box("other", "10.0.0.3", underlay, clock);
        box.segment(SegmentSpec.headEnd(Transport.VXLAN, VNI, 10, List.of(peer.address)).withMacLimit(1000));
        box.segment(SegmentSpec.headEnd(Transport.GRE, KEY, 20, List.of(peer.address, other.address)));
        peer.segment(SegmentSpec.headEnd(Transport.VXLAN, VNI, 10, List.of(box.address)));
        net.add(box.sw);
    }

    byte[] frame() {
        return Frames.arpRequest(HOST, ip("172.16.0.9"), ip("172.16.0.1"), 0);
    }

    void inject(byte[] delivery) {
        box.wan.inject(delivery);
        net.settle();
    }

    @Test
    void shouldDropFramesFromARemoteThatIsNoPeer() {
        inject(Frames.vxlan(ip("192.0.2.66"), box.address, VNI, frame()));
        assertEquals(0, box.received().size());
        assertEquals(1L, box.sw.drops().get("unknown-remote"));
        assertTrue(box.sw.dumpFlows().contains("table=0, n_packets=1, n_bytes=42, idle_age=0, priority=0 actions=drop"));
        assertEquals(0, box.sw.macTable().size(), "nothing learned from a stranger");
    }

    @Test
    void shouldDropFramesFromAPeerOfAnotherSegment() {
        // "other" is a VXLAN peer of the box for VNI 6000 only.
        box.segment(SegmentSpec.headEnd(Transport.VXLAN, 6000, 30, List.of(other.address)));
        inject(Frames.vxlan(other.address, box.address, 6000, frame()));
        assertEquals(1, box.received().size(), "its own segment works");
        inject(Frames.vxlan(other.address, box.address, VNI, frame()));
        assertEquals(0, box.received().size());
        assertEquals(1L, box.sw.drops().get("remote-not-member"));
        // And a GRE peer has no VXLAN port at all.
        inject(Frames.vxlan(ip("10.0.0.4"), box.address, VNI, frame()));
        assertEquals(1L, box.sw.drops().get("unknown-remote"));
        assertEquals(0, box.received().size());
    }

    @Test
    void shouldCountUnknownVnisAndWrongKeys() {
        inject(Frames.vxlan(peer.address, box.address, VNI + 1, frame()));
        inject(Frames.gre(peer.address, box.address, KEY + 1, EtherType.TEB, frame()));
        assertEquals(0, box.received().size());
        assertEquals(2L, box.sw.drops().get("unknown-tunnel-id"));
        assertTrue(box.sw.dumpFlows().contains("table=2, n_packets=2, n_bytes=84, idle_age=0, priority=0 actions=drop"));
    }

    @Test
    void shouldLeaveRoutedGreAndMalformedPacketsAlone() {
        byte[] ipv4InGre = Frames.gre(peer.address, box.address, KEY, EtherType.IPV4, new byte[40]);
        inject(ipv4InGre);
        byte[] truncated = java.util.Arrays.copyOf(Frames.vxlan(peer.address, box.address, VNI, frame()), 30);
        inject(truncated);
        byte[] badChecksum = Frames.vxlan(peer.address, box.address, VNI, frame());
        badChecksum[10] ^= 0x55;
        inject(badChecksum);
        byte[] noIFlag = Frames.vxlan(peer.address, box.address, VNI, frame());
        noIFlag[28] = 0;
        inject(noIFlag);
        byte[] shortInner = Frames.vxlan(peer.address, box.address, VNI, new byte[6]);
        inject(shortInner);
        byte[] otherPort = Frames.vxlan(peer.address, box.address, VNI, frame());
        otherPort[23] = (byte) 0xb6; // UDP destination port 4789 (0x12b5) -> 4790
        inject(otherPort);
        byte[] multicastSource = Frames.vxlan(peer.address, box.address, VNI,
                Frames.arpRequest(0x01_00_5e_00_00_01L, ip("172.16.0.9"), ip("172.16.0.1"), 0));
        inject(multicastSource);
        inject(new byte[] {0x45, 0});

        assertEquals(0, box.received().size());
        var drops = box.sw.drops();
        assertEquals(1L, drops.get("not-switch"));
        assertEquals(3L, drops.get("truncated"), drops.toString());
        assertEquals(1L, drops.get("bad-checksum"));
        assertEquals(1L, drops.get("vxlan-flags"));
        assertEquals(1L, drops.get("not-vxlan-port"));
        assertEquals(1L, drops.get("multicast-source"));
        assertEquals(0, box.sw.macTable().size());
    }

    @Test
    void shouldNeverLearnAZeroOrGroupSourceFromEitherSide() {
        inject(Frames.vxlan(peer.address, box.address, VNI, Frames.arpRequest(0L, ip("172.16.0.9"), ip("172.16.0.1"), 0)));
        box.send(Frames.arpRequest(0L, ip("172.16.0.1"), ip("172.16.0.9"), 10));
        box.send(Frames.arpRequest(0xFF_FF_FF_FF_FF_FFL, ip("172.16.0.1"), ip("172.16.0.9"), 10));
        net.settle();
        assertEquals(0, box.received().size());
        assertEquals(0, underlay.captured().size(), "nothing flooded to the peer either");
        assertEquals(0, box.sw.macTable().size());
        assertEquals(2L, box.sw.drops().get("zero-source"));
        assertEquals(1L, box.sw.drops().get("multicast-source"));
    }

    @Test
    void shouldKeepTheMacTableWithinItsLimitUnderOneHundredThousandRandomSources() {
        net.add(peer.sw);
        // Two real hosts first: they must survive the flood.
        box.send(Frames.arpRequest(HOST, ip("172.16.0.1"), ip("172.16.0.2"), 10));
        peer.send(Frames.arpRequest(HOST + 1, ip("172.16.0.2"), ip("172.16.0.1"), 10));
        net.settle();
        peer.received();
        box.received();
        MacTable macs = box.sw.macTable();
        int capacity = macs.capacity();

        SplittableRandom rnd = new SplittableRandom(1);
        for (int sent = 0; sent < 100_000; ) {
            for (int k = 0; k < 2000; k++, sent++) {
                long src = rnd.nextLong() & 0xFEFF_FFFF_FFFFL; // unicast sources
                box.send(Frames.frame(HOST + 1, src, 10, EtherType.IPV4, new byte[46]));
            }
            net.settle();
            underlay.clearCaptured();
            peer.received();
            assertTrue(box.sw.stats(Transport.VXLAN, VNI).macEntries() <= 1000, "segment limit holds");
        }
        assertEquals(1000, box.sw.stats(Transport.VXLAN, VNI).macEntries());
        assertEquals(capacity, macs.capacity(), "the box-wide cap is fixed");
        assertEquals(2048, macs.slotCount(), "the table grew only as far as the segment's 1000 entries need");
        SegmentStats stats = box.sw.stats(Transport.VXLAN, VNI);
        assertTrue(stats.macLimitHits() >= 99_000 - 1000, "new MACs counted: " + stats.macLimitHits());

        // The live entries still work: the host behind the peer is still reached by unicast.
        underlay.clearCaptured();
        box.send(Frames.ping(HOST + 1, HOST, ip("172.16.0.1"), ip("172.16.0.2"), 10, 10));
        net.settle();
        assertEquals(1, underlay.captured().size());
        assertEquals(1, peer.received().size());
        // A frame to a MAC the full table could not learn is flooded (here: to the one peer).
        underlay.clearCaptured();
        long unlearned = 0x02_77_77_77_77_77L;
        box.send(Frames.frame(HOST + 1, unlearned, 10, EtherType.IPV4, new byte[46]));
        box.send(Frames.ping(unlearned, HOST, ip("172.16.0.1"), ip("172.16.0.3"), 10, 10));
        net.settle();
        assertEquals(2, underlay.captured().size());
        assertEquals(2, peer.received().size());
        assertTrue(box.sw.dumpFlows().contains(
                "table=20, n_packets=1, n_bytes=56, idle_age=0, priority=0 actions=resubmit(,21)"), box.sw.dumpFlows());
    }

    @Test
    void shouldKeepTheLimitAgainstRandomSourcesFromATunnelToo() {
        SplittableRandom rnd = new SplittableRandom(2);
        for (int sent = 0; sent < 20_000; ) {
            for (int k = 0; k < 2000; k++, sent++) {
                long src = rnd.nextLong() & 0xFEFF_FFFF_FFFFL;
                box.wan.inject(Frames.vxlan(peer.address, box.address, VNI,
                        Frames.frame(HOST, src, 0, EtherType.IPV4, new byte[46])));
            }
            net.settle();
            box.received();
        }
        SegmentStats stats = box.sw.stats(Transport.VXLAN, VNI);
        assertEquals(1000, stats.macEntries());
        assertEquals(19_000, stats.macLimitHits(), "every MAC past the limit counted");
        assertEquals(20_000, stats.fromTunnelPackets(), "and still delivered");
    }
}
