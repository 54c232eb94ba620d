package io.tunnelbox.router;

import static io.tunnelbox.router.RaRb.HOST_A;
import static io.tunnelbox.router.RaRb.HOST_B;
import static io.tunnelbox.router.RaRb.RA;
import static io.tunnelbox.router.RaRb.RA_LAN;
import static io.tunnelbox.router.RaRb.RB;
import static io.tunnelbox.router.TestPackets.ip;
import static io.tunnelbox.router.TestPackets.seg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.hal.port.PacketPort.Layer;
import io.tunnelbox.hal.port.memory.MemoryPort;
import io.tunnelbox.packet.Icmp4;
import io.tunnelbox.packet.IpProtocol;
import io.tunnelbox.packet.Ipv4;
import io.tunnelbox.packet.Ipv4Prefix;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Changes while running: queued, applied at the start of poll(), untouched tunnels undisturbed. */
class RouterReconfigurationTest {

    @Test
    void shouldApplyQueuedChangesOnlyAtTheNextPoll() throws Exception {
        RaRb s = new RaRb();
        CompletableFuture<Void> done = CompletableFuture.supplyAsync(
                () -> s.ra.removeRoute(Ipv4Prefix.parse("192.168.2.0/24"))).get(10, TimeUnit.SECONDS);
        assertFalse(done.isDone(), "nothing changes behind the datapath's back");
        assertEquals(List.of("192.168.2.0/24 via tun0"), s.ra.routes());
        s.hostA.sendBytes(TestPackets.ping4(HOST_A, HOST_B, 1));
        s.net.settle();
        assertTrue(done.isDone());
        assertTrue(s.hostB.drain().isEmpty());
        assertEquals(1, s.ra.drops().get("no-route"));
    }

    @Test
    void shouldKeepARouteToAMissingTunnelInactiveUntilTheTunnelAppears() {
        RaRb s = new RaRb();
        s.ra.addRoute(Ipv4Prefix.parse("10.3.0.0/16"), "tun1");
        s.net.settle();
        assertEquals(List.of("192.168.2.0/24 via tun0", "10.3.0.0/16 via tun1 (inactive: no such tunnel)"),
                s.ra.routes());
        s.hostA.sendBytes(TestPackets.ping4(HOST_A, ip("10.3.0.1"), 1));
        s.net.settle();
        assertEquals(1, s.ra.drops().get("no-route"));

        int rc = ip("192.0.2.3");
        MemoryPort rcWan = s.wan.attach("rc-wan", rc, 1500);
        s.ra.addTunnel(GreTunnelSpec.of("tun1", RA, rc));
        s.hostA.sendBytes(TestPackets.ping4(HOST_A, ip("10.3.0.1"), 2));
        s.net.settle();
        assertEquals(List.of("192.168.2.0/24 via tun0", "10.3.0.0/16 via tun1"), s.ra.routes());
        assertEquals(1, rcWan.drain().size());
    }

    @Test
    void shouldLeaveOtherTunnelsAloneWhenOneIsReplacedOrRemoved() {
        RaRb s = new RaRb(1500, t -> t.withSequence(true).withKeepalive(Duration.ofSeconds(10), 3));
        int rc = ip("192.0.2.3");
        s.wan.attach("rc-wan", rc, 1500); // a box that never answers keepalives
        s.ra.addTunnel(GreTunnelSpec.of("tun1", RA, rc).withKeepalive(Duration.ofSeconds(10), 3));
        s.ra.addRoute(Ipv4Prefix.parse("10.3.0.0/16"), "tun1");
        s.net.advance(Duration.ofSeconds(50), Duration.ofSeconds(1));
        Tunnel tun0 = s.raTunnel();
        assertEquals(LinkState.DOWN, s.ra.tunnel("tun1").orElseThrow().state());
        for (int i = 0; i < 10; i++) {
            s.hostA.sendBytes(TestPackets.ping4(HOST_A, HOST_B, i));
        }
        s.net.settle();

        // tun1 gets a key: it restarts; tun0 keeps its state, its sequence numbers and its counters
        s.ra.addTunnel(GreTunnelSpec.of("tun1", RA, rc).withKey(9).withKeepalive(Duration.ofSeconds(10), 3));
        s.hostA.sendBytes(TestPackets.ping4(HOST_A, HOST_B, 10));
        s.net.settle();
        assertSame(tun0, s.raTunnel());
        assertEquals(LinkState.UP, s.ra.tunnel("tun1").orElseThrow().state(), "a new spec starts afresh");
        assertEquals(11, s.hostB.drain().size());
        assertEquals(0, s.rb.drops().total(), "no sequence number went backwards");

        // re-applying an identical spec (a config commit that did not touch it) changes nothing
        s.ra.addTunnel(GreTunnelSpec.of("tun0", RA, RB).withSequence(true).withKeepalive(Duration.ofSeconds(10), 3));
        s.ra.removeTunnel("tun1");
        s.net.settle();
        assertSame(tun0, s.raTunnel());
        assertEquals(List.of(tun0), s.ra.tunnels());
        assertEquals(11, tun0.counters().txPackets());
        assertEquals(List.of("192.168.2.0/24 via tun0", "10.3.0.0/16 via tun1 (inactive: no such tunnel)"),
                s.ra.routes());
    }

    @Test
    void shouldAnswerAnExpiringTtlWithTimeExceeded() {
        RaRb s = new RaRb();
        byte[] p = TestPackets.ping4(HOST_A, HOST_B, 1);
        Ipv4.setTtl(seg(p), 0, 1);
        s.hostA.sendBytes(p);
        s.net.settle();
        List<byte[]> back = s.hostA.drain();
        assertEquals(1, back.size());
        assertEquals(RA_LAN, Ipv4.src(seg(back.get(0)), 0));
        assertEquals(IpProtocol.ICMP, Ipv4.protocol(seg(back.get(0)), 0));
        assertEquals(Icmp4.TIME_EXCEEDED, Icmp4.type(seg(back.get(0)), Ipv4.HEADER));
        assertTrue(s.wan.captured().isEmpty());
        assertEquals(1, s.ra.drops().get("ttl-expired"));
    }

    @Test
    void shouldRateLimitIcmpErrors() {
        RaRb s = new RaRb();
        for (int i = 0; i < IcmpErrors.BURST + 10; i++) {
            byte[] p = TestPackets.ping4(HOST_A, HOST_B, i);
            Ipv4.setTtl(seg(p), 0, 1);
            s.hostA.sendBytes(p);
        }
        s.net.settle();
        assertEquals(IcmpErrors.BURST, s.hostA.drain().size());
        assertEquals(10, s.ra.drops().get("icmp-rate-limited"));
        s.net.advance(Duration.ofSeconds(1), Duration.ofSeconds(1));
        byte[] p = TestPackets.ping4(HOST_A, HOST_B, 99);
        Ipv4.setTtl(seg(p), 0, 1);
        s.hostA.sendBytes(p);
        s.net.settle();
        assertEquals(1, s.hostA.drain().size(), "tokens come back with time");
    }

    @Test
    void shouldRefuseEthernetPortsAndKeepCountersUntilCleared() {
        MemoryPort eth = new MemoryPort("eth", Layer.ETHERNET, 1500);
        MemoryPort ipPort = new MemoryPort("ip", Layer.IP, 1500);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new RouterDatapath("x", eth, ipPort, new io.tunnelbox.hal.time.ManualClock()));

        RaRb s = new RaRb();
        s.hostA.sendBytes(TestPackets.ping4(HOST_A, ip("10.9.9.9"), 1));
        s.hostA.sendBytes(TestPackets.ping4(HOST_A, HOST_B, 1));
        s.net.settle();
        assertEquals(1, s.ra.drops().total());
        assertEquals(1, s.raTunnel().counters().txPackets());
        s.ra.clearCounters();
        s.net.settle();
        assertEquals(0, s.ra.drops().total());
        assertEquals(0, s.raTunnel().counters().txPackets());
    }
}
