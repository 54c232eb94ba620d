package io.tunnelbox.router;

import static io.tunnelbox.router.RaRb.HOST_A;
import static io.tunnelbox.router.RaRb.HOST_B;
import static io.tunnelbox.router.RaRb.RA_LAN;
import static io.tunnelbox.router.TestPackets.ip6;
import static io.tunnelbox.router.TestPackets.seg;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.hal.port.PacketPort.Layer;
import io.tunnelbox.hal.port.memory.MemoryPort;
import io.tunnelbox.packet.Gre;
import io.tunnelbox.packet.Icmp4;
import io.tunnelbox.packet.Icmp6;
import io.tunnelbox.packet.IpProtocol;
import io.tunnelbox.packet.Ipv4;
import io.tunnelbox.packet.Ipv4Prefix;
import io.tunnelbox.packet.Ipv6;
import io.tunnelbox.packet.Ipv6Prefix;
import io.tunnelbox.packet.Reason;
import io.tunnelbox.packet.Tcp;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Scenario 5 of issue 5: path MTU, MSS clamping and keepalives, on virtual time. */
class PmtuMssKeepaliveScenarioTest {

    private static byte[] bigUdp4(int src, int dst, int total, boolean df) {
        byte[] p = new byte[total];
        for (int i = Ipv4.HEADER; i < total; i++) {
            p[i] = (byte) i;
        }
        Ipv4.write(seg(p), 0, 0x28, total, 0x777, df ? Ipv4.DF : 0, 64, IpProtocol.UDP, src, dst);
        return p;
    }

    @Test
    void shouldAnswerAnOversizeDfPacketWithFragNeededCarryingTheTunnelMtu() {
        RaRb s = new RaRb();
        byte[] big = bigUdp4(HOST_A, HOST_B, 1500, true);
        s.hostA.sendBytes(big);
        s.net.settle();

        assertTrue(s.wan.captured().isEmpty(), "nothing too big crosses the WAN");
        List<byte[]> back = s.hostA.drain();
        assertEquals(1, back.size());
        MemorySegment icmp = seg(back.get(0));
        assertEquals(Reason.OK, Ipv4.validate(icmp, 0, back.get(0).length));
        assertEquals(RA_LAN, Ipv4.src(icmp, 0));
        assertEquals(HOST_A, Ipv4.dst(icmp, 0));
        assertEquals(IpProtocol.ICMP, Ipv4.protocol(icmp, 0));
        assertEquals(Reason.OK, Icmp4.validate(icmp, Ipv4.HEADER, back.get(0).length - Ipv4.HEADER));
        assertEquals(Icmp4.DEST_UNREACHABLE, Icmp4.type(icmp, Ipv4.HEADER));
        assertEquals(Icmp4.CODE_FRAG_NEEDED, Icmp4.code(icmp, Ipv4.HEADER));
        assertEquals(1476, Icmp4.nextHopMtu(icmp, Ipv4.HEADER));
        // RFC 792: the original header and the first 8 bytes of its payload, as the host sent them
        assertArrayEquals(Arrays.copyOf(big, 28), Arrays.copyOfRange(back.get(0), 28, 56));
        assertEquals(56, back.get(0).length);
        assertEquals(1, s.raTunnel().counters().tooBig());
        assertEquals(1, s.ra.drops().get("too-big"));
    }

    @Test
    void shouldDeriveTheMtuFromTheUnderlayAndTheOptionsInUse() {
        RaRb s = new RaRb(1400, t -> t.withKey(5000).withSequence(true).withChecksum(true));
        assertEquals(1364, s.raTunnel().mtu()); // 1400 - 20 IPv4 - 16 GRE with C, K, S
        s.hostA.sendBytes(bigUdp4(HOST_A, HOST_B, 1365, true));
        s.hostA.sendBytes(bigUdp4(HOST_A, HOST_B, 1364, true));
        s.net.settle();
        List<byte[]> back = s.hostA.drain();
        assertEquals(1, back.size());
        assertEquals(1364, Icmp4.nextHopMtu(seg(back.get(0)), Ipv4.HEADER));
        List<byte[]> wire = s.wan.captured();
        assertEquals(1, wire.size());
        assertEquals(1400, wire.get(0).length, "the largest packet that fits fills the underlay exactly");
        assertEquals(1, s.hostB.drain().size());
    }

    @Test
    void shouldAnswerAnOversizeIpv6PacketWithPacketTooBig() {
        RaRb s = new RaRb();
        Ipv6Prefix a = ip6("2001:db8:1::1");
        Ipv6Prefix b = ip6("2001:db8:2::1");
        Ipv6Prefix raLan6 = ip6("2001:db8:1::fe");
        s.ra.addRoute(Ipv6Prefix.parse("2001:db8:2::/48"), "tun0");
        s.ra.setLanAddress6(raLan6);
        byte[] big = TestPackets.ping6(a, b, 1500 - 48);
        s.hostA.sendBytes(big);
        s.net.settle();
        assertTrue(s.wan.captured().isEmpty());
        List<byte[]> back = s.hostA.drain();
        assertEquals(1, back.size());
        byte[] ptb = back.get(0);
        MemorySegment m = seg(ptb);
        assertEquals(1280, ptb.length, "quotes as much as fits the IPv6 minimum MTU");
        assertEquals(raLan6.hi(), Ipv6.srcHigh(m, 0));
        assertEquals(raLan6.lo(), Ipv6.srcLow(m, 0));
        assertEquals(a.lo(), Ipv6.dstLow(m, 0));
        assertEquals(IpProtocol.ICMPV6, Ipv6.nextHeader(m, 0));
        assertEquals(Reason.OK, Icmp6.validate(m, 0, Ipv6.HEADER, ptb.length - Ipv6.HEADER));
        assertEquals(Icmp6.PACKET_TOO_BIG, Icmp6.type(m, Ipv6.HEADER));
        assertEquals(1476, Icmp6.mtu(m, Ipv6.HEADER));
        assertArrayEquals(Arrays.copyOf(big, 1280 - 48), Arrays.copyOfRange(ptb, 48, 1280));
    }

    @Test
    void shouldCarryIpv6ThatFits() {
        RaRb s = new RaRb();
        Ipv6Prefix a = ip6("2001:db8:1::1");
        Ipv6Prefix b = ip6("2001:db8:2::1");
        s.ra.addRoute(Ipv6Prefix.parse("2001:db8:2::/48"), "tun0");
        byte[] ping = TestPackets.ping6(a, b, 1476 - 48);
        s.hostA.sendBytes(ping);
        s.net.settle();
        List<byte[]> wire = s.wan.captured();
        assertEquals(1, wire.size());
        assertEquals(0x86DD, Gre.protocol(seg(wire.get(0)), Ipv4.HEADER));
        assertTrue(Ipv4.dontFragment(seg(wire.get(0)), 0));
        List<byte[]> atB = s.hostB.drain();
        assertEquals(1, atB.size());
        byte[] expected = ping.clone();
        expected[7] = 62; // hop limit: two routers
        assertArrayEquals(expected, atB.get(0));
    }

    @Test
    void shouldFragmentTheInnerPacketWhenDfIsClear() {
        RaRb s = new RaRb(600, t -> t);
        byte[] big = bigUdp4(HOST_A, HOST_B, 1500, false);
        s.hostA.sendBytes(big);
        s.net.settle();
        List<byte[]> wire = s.wan.captured();
        assertEquals(3, wire.size(), "1480 payload bytes over a 576-byte tunnel: 552 + 552 + 376");
        for (byte[] d : wire) {
            assertTrue(d.length <= 600);
            assertEquals(0, Ipv4.flagsFragment(seg(d), 0), "delivery packets themselves are whole");
        }
        List<byte[]> frags = s.hostB.drain();
        assertEquals(3, frags.size());
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        int expectedOffset = 0;
        for (int k = 0; k < 3; k++) {
            MemorySegment f = seg(frags.get(k));
            assertEquals(Reason.OK, Ipv4.validate(f, 0, frags.get(k).length));
            assertEquals(expectedOffset / 8, Ipv4.fragmentOffset(f, 0));
            assertEquals(k < 2, Ipv4.moreFragments(f, 0));
            assertEquals(0x777, Ipv4.id(f, 0));
            assertEquals(62, Ipv4.ttl(f, 0));
            payload.write(frags.get(k), 20, frags.get(k).length - 20);
            expectedOffset += frags.get(k).length - 20;
        }
        assertArrayEquals(Arrays.copyOfRange(big, 20, 1500), payload.toByteArray());
        assertEquals(1, s.raTunnel().counters().fragmented());
        assertEquals(3, s.raTunnel().counters().txPackets());
    }

    @Test
    void shouldClampTheMssOfSynsInBothDirections() {
        RaRb s = new RaRb();
        s.hostA.sendBytes(TestPackets.syn4(HOST_A, HOST_B, 1460, 0, true, false));
        s.net.settle();
        byte[] syn = s.hostB.drain().get(0);
        assertEquals(1436, TestPackets.u16(syn, Ipv4.HEADER + 22), "1476 - 20 IPv4 - 20 TCP");
        assertTrue(Tcp.verify4(seg(syn), 0, Ipv4.HEADER, syn.length - Ipv4.HEADER));

        // B's SYN-ACK advertises 1460 too; RB clamps it on the way in
        s.rb.addTunnel(GreTunnelSpec.of("tun0", RaRb.RB, RaRb.RA).withMssClamp(false));
        s.hostB.sendBytes(TestPackets.syn4(HOST_B, HOST_A, 1460, 0, true, true));
        s.net.settle();
        byte[] synAck = s.hostA.drain().get(0);
        assertEquals(1436, TestPackets.u16(synAck, Ipv4.HEADER + 22), "RA clamps what comes out of the tunnel");
        assertTrue(Tcp.verify4(seg(synAck), 0, Ipv4.HEADER, synAck.length - Ipv4.HEADER));
        assertEquals(2, s.raTunnel().counters().mssClamped());
        assertEquals(0, s.rbTunnel().counters().mssClamped());

        // a smaller MSS is left alone
        s.hostA.sendBytes(TestPackets.syn4(HOST_A, HOST_B, 1200, 0, true, false));
        s.net.settle();
        assertEquals(1200, TestPackets.u16(s.hostB.drain().get(0), Ipv4.HEADER + 22));
    }

    @Test
    void shouldClampIpv6SynsToTheTunnelMtuMinusSixtyBytes() {
        RaRb s = new RaRb();
        s.ra.addRoute(Ipv6Prefix.parse("2001:db8:2::/48"), "tun0");
        s.hostA.sendBytes(TestPackets.syn6(ip6("2001:db8:1::1"), ip6("2001:db8:2::1"), 1440));
        s.net.settle();
        byte[] syn = s.hostB.drain().get(0);
        assertEquals(1416, TestPackets.u16(syn, Ipv6.HEADER + 22));
        assertTrue(Tcp.verify6(seg(syn), 0, Ipv6.HEADER, syn.length - Ipv6.HEADER));
    }

    @Test
    void shouldClampToAFixedMssWhenOneIsConfigured() {
        RaRb s = new RaRb(1500, t -> t.withMssClamp(1300));
        s.ra.addRoute(Ipv6Prefix.parse("2001:db8:2::/48"), "tun0");
        s.hostA.sendBytes(TestPackets.syn4(HOST_A, HOST_B, 1460, 0, true, false));
        s.hostA.sendBytes(TestPackets.syn6(ip6("2001:db8:1::1"), ip6("2001:db8:2::1"), 1440));
        s.net.settle();
        List<byte[]> got = s.hostB.drain();
        assertEquals(1300, TestPackets.u16(got.get(0), Ipv4.HEADER + 22), "the configured IPv4 MSS");
        assertEquals(1280, TestPackets.u16(got.get(1), Ipv6.HEADER + 22), "20 less for IPv6's longer header");
        assertEquals(1300, s.raTunnel().mss4());
    }

    @Test
    void shouldNotTouchSynsWhenClampingIsOff() {
        RaRb s = new RaRb(1500, t -> t.withMssClamp(false));
        s.hostA.sendBytes(TestPackets.syn4(HOST_A, HOST_B, 1460, 0, true, false));
        s.net.settle();
        assertEquals(1460, TestPackets.u16(s.hostB.drain().get(0), Ipv4.HEADER + 22));
    }

    @Test
    void shouldTakeTheTunnelDownWhenKeepalivesAreLostAndBringItBackWhenTheyReturn() {
        RaRb s = new RaRb(1500, t -> t.withKey(5000).withSequence(true).withKeepalive(Duration.ofSeconds(10), 3));
        s.net.advance(Duration.ofSeconds(60), Duration.ofSeconds(1));
        Tunnel ra = s.raTunnel();
        assertEquals(LinkState.UP, ra.state());
        assertEquals(7, ra.counters().keepalivesSent()); // at 0, 10, ..., 60 s
        assertEquals(7, ra.counters().keepaliveReplies());
        assertEquals(7, s.rbTunnel().counters().keepalivesReflected());
        assertEquals(0, s.ra.drops().total() + s.rb.drops().total());

        s.wan.setUp(s.rbWan, false); // RB's uplink fails
        s.net.advance(Duration.ofSeconds(25), Duration.ofSeconds(1));
        assertEquals(LinkState.UP, ra.state(), "two unanswered keepalives are not enough");
        s.net.advance(Duration.ofSeconds(15), Duration.ofSeconds(1));
        assertEquals(LinkState.DOWN, ra.state());
        assertEquals("keepalive-timeout", ra.keepalive().reason());
        long downAt = ra.keepalive().lastChangeEpochMillis();
        assertEquals(s.clock.epochMillis(), downAt, "three sent at 70, 80, 90 s unanswered: down at 100 s");
        RouteStatus route = s.ra.routeTable().getFirst();
        assertFalse(route.active(), "the route through a down tunnel is withdrawn");
        assertEquals("tunnel down", route.note());

        s.wan.clearCaptured();
        s.hostA.sendBytes(TestPackets.ping4(HOST_A, HOST_B, 1));
        s.net.settle();
        assertTrue(s.wan.captured().isEmpty(), "a down tunnel carries nothing");
        assertEquals(1, s.ra.drops().get("tunnel-down"));

        s.wan.setUp(s.rbWan, true);
        s.net.advance(Duration.ofSeconds(10), Duration.ofSeconds(1));
        assertEquals(LinkState.UP, ra.state());
        assertEquals("keepalive-reply", ra.keepalive().reason());
        assertTrue(ra.keepalive().lastChangeEpochMillis() > downAt);
        s.hostA.sendBytes(TestPackets.ping4(HOST_A, HOST_B, 2));
        s.net.settle();
        assertEquals(1, s.hostB.drain().size());
        assertFalse(s.rb.drops().snapshot().containsKey("sequence-old"));
    }

    /** What an underlay router with a 1400-byte link sends RA about one of RA's delivery packets. */
    private static byte[] underlayFragNeeded(byte[] delivery, int mtu) {
        int icmpLen = Icmp4.errorLength(Ipv4.HEADER, delivery.length);
        byte[] p = new byte[Ipv4.HEADER + icmpLen];
        Icmp4.writeFragNeeded(seg(p), Ipv4.HEADER, mtu, seg(delivery), 0, delivery.length);
        Ipv4.write(seg(p), 0, 0, p.length, 1, 0, 250, IpProtocol.ICMP, TestPackets.ip("192.0.2.254"), RaRb.RA);
        return p;
    }

    @Test
    void shouldLearnAPathMtuFromTheUnderlayAndForgetItLater() {
        RaRb s = new RaRb();
        s.hostA.sendBytes(bigUdp4(HOST_A, HOST_B, 1476, true));
        s.net.settle();
        byte[] delivery = s.wan.captured().get(0);
        assertEquals(1500, delivery.length);
        s.raWan.inject(underlayFragNeeded(delivery, 1400));
        s.net.settle();
        Tunnel t = s.raTunnel();
        assertEquals(1376, t.mtu());
        assertEquals(1476, t.baseMtu());
        assertEquals(1336, t.mss4(), "automatic MSS clamping follows the learned path MTU");

        s.hostA.drain();
        s.hostA.sendBytes(bigUdp4(HOST_A, HOST_B, 1476, true));
        s.net.settle();
        List<byte[]> back = s.hostA.drain();
        assertEquals(1, back.size());
        assertEquals(1376, Icmp4.nextHopMtu(seg(back.get(0)), Ipv4.HEADER), "the host learns the path's limit");

        // a forged report of a tiny MTU is raised to 552; one about someone else's packet is ignored
        s.raWan.inject(underlayFragNeeded(delivery, 68));
        byte[] other = delivery.clone();
        other[19] = 9; // destination 203.0.113.9: not our peer
        Ipv4.fillChecksum(seg(other), 0);
        s.raWan.inject(underlayFragNeeded(other, 600));
        s.net.settle();
        assertEquals(552 - 24, t.mtu());
        assertEquals(1, s.ra.drops().get("icmp-unrelated"));

        s.net.advance(RouterDatapath.PATH_MTU_AGE, Duration.ofMinutes(1));
        assertEquals(1476, t.mtu(), "after ten minutes the full size is tried again");
    }

    /** A down tunnel's routes are withdrawn, so a less specific route through a backup tunnel takes over. */
    @Test
    void shouldFailOverToABackupTunnelWhileTheTunnelIsDown() {
        RaRb s = new RaRb(1500, t -> t.withKeepalive(Duration.ofSeconds(10), 3));
        int rcAddress = TestPackets.ip("192.0.2.3");
        MemoryPort rcWan = s.wan.attach("rc-wan", rcAddress, 1500);
        MemoryPort hostC =
                new MemoryPort("hostC", Layer.IP, 1500);
        MemoryPort rcLan =
                new MemoryPort("rc-lan", Layer.IP, 1500);
        MemoryPort.wire(hostC, rcLan);
        RouterDatapath rc = new RouterDatapath("RC", rcLan, rcWan, s.clock);
        rc.addTunnel(GreTunnelSpec.of("tun0", rcAddress, RaRb.RA));
        s.net.add(rc);
        s.ra.addTunnel(GreTunnelSpec.of("backup", RaRb.RA, rcAddress));
        s.ra.addRoute(Ipv4Prefix.parse("192.168.0.0/16"), "backup");
        s.net.advance(Duration.ofSeconds(20), Duration.ofSeconds(1));

        s.hostA.sendBytes(TestPackets.ping4(HOST_A, HOST_B, 1));
        s.net.settle();
        assertEquals(1, s.hostB.drain().size(), "the specific route wins while its tunnel is up");
        assertTrue(hostC.drain().isEmpty());

        s.wan.setUp(s.rbWan, false);
        s.net.advance(Duration.ofSeconds(40), Duration.ofSeconds(1));
        assertEquals(LinkState.DOWN, s.raTunnel().state());
        assertEquals(List.of("192.168.2.0/24 via tun0 (inactive: tunnel down)", "192.168.0.0/16 via backup"),
                s.ra.routes());
        s.hostA.sendBytes(TestPackets.ping4(HOST_A, HOST_B, 2));
        s.net.settle();
        assertEquals(1, hostC.drain().size(), "the backup tunnel carries it");

        s.wan.setUp(s.rbWan, true);
        s.net.advance(Duration.ofSeconds(10), Duration.ofSeconds(1));
        assertEquals(LinkState.UP, s.raTunnel().state());
        s.hostA.sendBytes(TestPackets.ping4(HOST_A, HOST_B, 3));
        s.net.settle();
        assertEquals(1, s.hostB.drain().size(), "and back on the primary");
        assertTrue(hostC.drain().isEmpty());
        assertEquals(0, s.ra.drops().get("tunnel-down"));
    }

    @Test
    void shouldCountIpv6ThatCannotBeAnsweredOrHasNoHopsLeft() {
        RaRb s = new RaRb();
        s.ra.addRoute(Ipv6Prefix.parse("2001:db8:2::/48"), "tun0");
        byte[] big = TestPackets.ping6(ip6("2001:db8:1::1"), ip6("2001:db8:2::1"), 1500 - 48);
        s.hostA.sendBytes(big); // no IPv6 LAN address: nothing to send packet-too-big from
        byte[] lastHop = TestPackets.ping6(ip6("2001:db8:1::1"), ip6("2001:db8:2::1"), 8);
        lastHop[7] = 1;
        s.hostA.sendBytes(lastHop);
        s.hostA.sendBytes(TestPackets.ping6(ip6("2001:db8:1::1"), ip6("2001:db8:9::1"), 8));
        s.net.settle();
        assertTrue(s.wan.captured().isEmpty());
        assertTrue(s.hostA.drain().isEmpty());
        assertEquals(Map.of("too-big-silent", 1L, "ttl-expired", 1L, "no-route", 1L), s.ra.drops().snapshot());
    }
}
