package io.tunnelbox.l2switch;

import static io.tunnelbox.l2switch.Frames.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.engine.SimNetwork;
import io.tunnelbox.hal.port.memory.MemoryWan;
import io.tunnelbox.hal.time.ManualClock;
import io.tunnelbox.mac.MacTable;
import io.tunnelbox.packet.EtherType;
import io.tunnelbox.packet.Ipv4Prefix;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 19: every segment accepts frames only from its allow-list (peers plus allowed prefixes), in
 * every mode, and a tunnel frame does not take a LAN host's MAC unless the move policy allows it.
 */
class SwitchAllowListTest {
    static final int VNI = 5000;
    static final int KEY = 7001;
    static final int GROUP = ip("239.1.1.1");
    static final long HOST = 0x02_00_00_00_00_01L;
    static final long FAR = 0x02_00_00_00_00_02L;
    static final int PEER = ip("10.0.0.2");
    static final int STRANGER = ip("203.0.113.66");

    final ManualClock clock = new ManualClock();
    final MemoryWan underlay = new MemoryWan();
    final SimNetwork net = new SimNetwork(clock);
    Box box;

    @BeforeEach
    void box() {
        box = new Box("box", "10.0.0.1", underlay, clock);
        net.add(box.sw);
    }

    private void fromWan(byte[] packet) {
        box.wan.inject(packet);
        net.settle();
    }

    private long drops(String reason) {
        return box.sw.drops().getOrDefault(reason, 0L);
    }

    private int macSlot(long mac) {
        return box.sw.macTable().lookup(0, mac, clock.nanoTime());
    }

    @Test
    void shouldDropVxlanFromAStrangerOnAHeadEndSegment() {
        box.segment(SegmentSpec.headEnd(Transport.VXLAN, VNI, 10, List.of(PEER)));
        for (int i = 0; i < 5; i++) {
            fromWan(Frames.vxlan(STRANGER, box.address, VNI, Frames.arpRequest(FAR, 1, 2, 0)));
        }
        assertEquals(0, box.received().size());
        assertEquals(5L, drops("unknown-remote"));
        assertEquals(MacTable.MISS, macSlot(FAR));
    }

    @Test
    void shouldDropEthernetOverGreFromAStranger() {
        box.segment(SegmentSpec.headEnd(Transport.GRE, KEY, 10, List.of(PEER)));
        fromWan(Frames.gre(STRANGER, box.address, KEY, EtherType.TEB, Frames.arpRequest(FAR, 1, 2, 0)));
        assertEquals(0, box.received().size());
        assertEquals(1L, drops("unknown-remote"));
    }

    @Test
    void shouldAcceptNobodyOnAGroupSegmentWithoutAnAllowList() {
        box.segment(SegmentSpec.multicast(Transport.VXLAN, VNI, 10, GROUP));
        fromWan(Frames.vxlan(STRANGER, GROUP, VNI, Frames.arpRequest(FAR, 1, 2, 0)));
        fromWan(Frames.vxlan(STRANGER, box.address, VNI, Frames.arpRequest(FAR, 1, 2, 0)));
        assertEquals(0, box.received().size());
        assertEquals(2L, drops("remote-not-member"));
        assertEquals(MacTable.MISS, macSlot(FAR));
    }

    @Test
    void shouldAcceptOnlyTheAllowedPrefixOnAGroupSegment() {
        box.segment(SegmentSpec.multicast(Transport.VXLAN, VNI, 10, GROUP)
                .withAllow(List.of(Ipv4Prefix.parse("10.0.0.0/24"))));
        // A stranger's unicast VXLAN (the finding: it came out on the LAN and was learned).
        fromWan(Frames.vxlan(STRANGER, box.address, VNI, Frames.arpRequest(FAR, 1, 2, 0)));
        assertEquals(0, box.received().size());
        assertEquals(1L, drops("remote-not-member"));
        assertEquals(MacTable.MISS, macSlot(FAR));

        fromWan(Frames.vxlan(PEER, GROUP, VNI, Frames.arpRequest(FAR, 1, 2, 0)));
        assertEquals(1, box.received().size());
        assertEquals(PEER, box.sw.macTable().remote(macSlot(FAR)));
        String dump = box.sw.dumpFlows();
        assertTrue(dump.matches("(?s).*n_packets=1, n_bytes=42, idle_age=\\d+, priority=1,tun_id=0x1388,tun_src=10.0.0.0/24 .*"), dump);
    }

    @Test
    void shouldAcceptAnAllowedNonPeerOnAHeadEndSegmentAndAnswerIt() {
        int other = ip("10.0.5.9");
        box.segment(SegmentSpec.headEnd(Transport.GRE, KEY, 10, List.of(PEER))
                .withAllow(List.of(Ipv4Prefix.parse("10.0.5.0/24"))));
        fromWan(Frames.gre(other, box.address, KEY, EtherType.TEB, Frames.arpRequest(FAR, 1, 2, 0)));
        assertEquals(1, box.received().size());
        underlay.clearCaptured();
        box.send(Frames.ping(FAR, HOST, 1, 2, 10, 10));
        net.settle();
        assertEquals(1, underlay.captured().size());
        assertEquals(other, Frames.outerDst(underlay.captured().get(0)), "unicast to where FAR was learned");
        fromWan(Frames.gre(STRANGER, box.address, KEY, EtherType.TEB, Frames.arpRequest(FAR, 1, 2, 0)));
        assertEquals(0, box.received().size());
        assertEquals(1L, drops("remote-not-member"), "the flow port takes it; table 2 refuses it");
    }

    @Test
    void shouldNotLetAPeerOfOneSegmentIntoAnother() {
        box.segment(SegmentSpec.headEnd(Transport.VXLAN, VNI, 10, List.of(PEER)));
        box.segment(SegmentSpec.headEnd(Transport.VXLAN, VNI + 1, 11, List.of(ip("10.0.0.3"))));
        fromWan(Frames.vxlan(PEER, box.address, VNI + 1, Frames.arpRequest(FAR, 1, 2, 0)));
        assertEquals(0, box.received().size());
        assertEquals(1L, drops("remote-not-member"));
    }

    @Test
    void shouldKeepALanMacOnTheLanWhenAPeerClaimsIt() {
        box.segment(SegmentSpec.headEnd(Transport.VXLAN, VNI, 10, List.of(PEER)));
        box.send(Frames.arpRequest(HOST, 1, 2, 10));
        net.settle();
        underlay.clearCaptured();
        for (int i = 0; i < 3; i++) {
            fromWan(Frames.vxlan(PEER, box.address, VNI, Frames.arpRequest(HOST, 9, 2, 0)));
        }
        assertEquals(0, box.received().size(), "the spoofed frame does not reach the LAN");
        assertEquals(3L, drops("mac-move-denied"));
        assertEquals(3L, box.sw.macTable().stickyTotal());
        assertEquals(SwitchDatapath.LAN_PORT, box.sw.macTable().port(macSlot(HOST)));
        assertTrue(box.sw.dumpFlows().contains("n_packets=3, n_bytes=126, idle_age=0, priority=2,dl_vlan=10,"
                + "dl_src=learned@in_port:1 actions=drop"), box.sw.dumpFlows());

        // Frames to HOST from the LAN side stay on the LAN (nothing went into the tunnel).
        box.send(Frames.ping(HOST, FAR, 1, 2, 10, 10));
        net.settle();
        assertEquals(0, underlay.captured().stream().filter(p -> Frames.outerDst(p) == PEER
                && Frames.dst(Frames.inner(p)) == HOST).count());
    }

    @Test
    void shouldLearnTheMacAtTheTunnelOnceItAgedOutOnTheLan() {
        box.segment(SegmentSpec.headEnd(Transport.VXLAN, VNI, 10, List.of(PEER)).withAgeing(Duration.ofSeconds(30)));
        box.send(Frames.arpRequest(HOST, 1, 2, 10));
        net.settle();
        net.advance(Duration.ofSeconds(31), Duration.ofSeconds(1));
        fromWan(Frames.vxlan(PEER, box.address, VNI, Frames.arpRequest(HOST, 9, 2, 0)));
        assertEquals(1, box.received().size(), "the host moved to the other site");
        assertEquals(PEER, box.sw.macTable().remote(macSlot(HOST)));
        assertEquals(0L, drops("mac-move-denied"));
    }

    @Test
    void shouldMoveALanMacToTheTunnelWhenThePolicyAllowsIt() {
        box.segment(SegmentSpec.headEnd(Transport.VXLAN, VNI, 10, List.of(PEER)).withMacMove(MacMove.ALLOW));
        box.send(Frames.arpRequest(HOST, 1, 2, 10));
        net.settle();
        fromWan(Frames.vxlan(PEER, box.address, VNI, Frames.arpRequest(HOST, 9, 2, 0)));
        assertEquals(1, box.received().size());
        assertEquals(PEER, box.sw.macTable().remote(macSlot(HOST)));
        assertEquals(1, box.sw.macTable().movedTotal());
        assertTrue(!box.sw.dumpFlows().contains("dl_src=learned@in_port:1"));
    }

    @Test
    void shouldLogADeniedMoveOncePerMacPerMinute() {
        MacMoveLog log = new MacMoveLog();
        long t = 1_000_000_000L;
        for (int i = 0; i < 1000; i++) {
            log.record(0, HOST, PEER, t + i);
        }
        log.record(0, FAR, PEER, t);
        log.record(1, HOST, PEER, t); // the same MAC in another segment is another entry
        assertEquals(3, log.flush("box", i -> "vxlan " + i));
        log.record(0, HOST, PEER, t + MacMoveLog.INTERVAL_NANOS - 1);
        assertEquals(0, log.flush("box", i -> null), "still within the minute");
        log.record(0, HOST, PEER, t + MacMoveLog.INTERVAL_NANOS);
        assertEquals(1, log.flush("box", i -> null));
    }

    @Test
    void shouldBoundTheMoveLogUnderAFloodOfSpoofedMacs() {
        MacMoveLog log = new MacMoveLog();
        for (int i = 0; i < 100_000; i++) {
            log.record(0, 0x02_00_00_00_00_00L + i, PEER, 5);
        }
        int lines = log.flush("box", i -> null);
        assertTrue(lines <= 65, "one line per MAC up to the pending bound, then one summary: " + lines);
    }
}
