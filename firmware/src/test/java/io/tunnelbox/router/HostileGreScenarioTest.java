package io.tunnelbox.router;

import static io.tunnelbox.router.RaRb.HOST_A;
import static io.tunnelbox.router.RaRb.HOST_B;
import static io.tunnelbox.router.RaRb.RA;
import static io.tunnelbox.router.RaRb.RB;
import static io.tunnelbox.router.TestPackets.gre;
import static io.tunnelbox.router.TestPackets.ip;
import static io.tunnelbox.router.TestPackets.seg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.packet.EtherType;
import io.tunnelbox.packet.Gre;
import io.tunnelbox.packet.IpProtocol;
import io.tunnelbox.packet.Ipv4;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Scenario 6 of issue 5 for the router: GRE from spoofed remotes, with wrong keys, bad versions,
 * bad checksums and out-of-window sequence numbers is dropped and counted by reason, and genuine
 * traffic keeps flowing.
 */
class HostileGreScenarioTest {
    private static final byte[] INNER = TestPackets.ping4(HOST_A, HOST_B, 1);

    private static void assertOnlyDrop(RouterDatapath dp, String reason, long count) {
        assertEquals(Map.of(reason, count), dp.drops().snapshot());
    }

    /** Genuine traffic from RA still reaches B after the attack. */
    private static void assertStillForwarding(RaRb s) {
        s.hostB.drain();
        s.hostA.sendBytes(TestPackets.ping4(HOST_A, HOST_B, 77));
        s.net.settle();
        assertEquals(1, s.hostB.drain().size(), "genuine traffic still flows");
    }

    @Test
    void shouldDropGreFromASpoofedRemote() {
        RaRb s = new RaRb();
        s.rbWan.inject(gre(ip("192.0.2.66"), RB, 0, EtherType.IPV4, 0, 0, INNER));
        s.rbWan.inject(gre(RA, ip("203.0.113.99"), 0, EtherType.IPV4, 0, 0, INNER)); // not our address
        s.net.settle();
        assertTrue(s.hostB.drain().isEmpty());
        assertOnlyDrop(s.rb, "unknown-remote", 2);
        assertStillForwarding(s);
    }

    @Test
    void shouldDropWrongMissingAndUnexpectedKeys() {
        RaRb keyed = new RaRb(1500, t -> t.withKey(5000));
        keyed.rbWan.inject(gre(RA, RB, Gre.K, EtherType.IPV4, 5001, 0, INNER));
        keyed.rbWan.inject(gre(RA, RB, 0, EtherType.IPV4, 0, 0, INNER));
        keyed.rbWan.inject(gre(RA, RB, Gre.K, EtherType.IPV4, 5000, 0, INNER));
        keyed.net.settle();
        assertEquals(1, keyed.hostB.drain().size(), "only the right key gets through");
        assertEquals(Map.of("key-mismatch", 1L, "key-missing", 1L), keyed.rb.drops().snapshot());
        assertEquals(2, keyed.rbTunnel().counters().rxDrops());

        RaRb plain = new RaRb();
        plain.rbWan.inject(gre(RA, RB, Gre.K, EtherType.IPV4, 1, 0, INNER));
        plain.net.settle();
        assertTrue(plain.hostB.drain().isEmpty());
        assertOnlyDrop(plain.rb, "key-unexpected", 1);
    }

    @Test
    void shouldUseSeparateInputAndOutputKeys() {
        RaRb s = new RaRb();
        s.ra.addTunnel(GreTunnelSpec.of("tun0", RA, RB).withKeys(OptionalInt.of(1), OptionalInt.of(2)));
        s.rb.addTunnel(GreTunnelSpec.of("tun0", RB, RA).withKeys(OptionalInt.of(2), OptionalInt.of(1)));
        s.hostA.sendBytes(INNER);
        s.hostB.sendBytes(TestPackets.ping4(HOST_B, HOST_A, 1));
        s.net.settle();
        assertEquals(1, s.hostA.drain().size());
        assertEquals(1, s.hostB.drain().size());
        assertEquals(2, Gre.key(seg(s.wan.captured().get(0)), Ipv4.HEADER), "RA sends its okey");
        assertEquals(1, Gre.key(seg(s.wan.captured().get(1)), Ipv4.HEADER), "RB sends its okey");
        assertEquals(0, s.ra.drops().total() + s.rb.drops().total());
    }

    @Test
    void shouldDropBadVersionsAndReservedBits() {
        RaRb s = new RaRb();
        s.rbWan.inject(gre(RA, RB, 0x0001, EtherType.IPV4, 0, 0, INNER)); // version 1 (PPTP)
        s.rbWan.inject(gre(RA, RB, 0x0007, EtherType.IPV4, 0, 0, INNER));
        s.rbWan.inject(gre(RA, RB, 0x4000, EtherType.IPV4, 0, 0, INNER)); // RFC 1701 routing bit
        s.net.settle();
        assertTrue(s.hostB.drain().isEmpty());
        assertEquals(Map.of("gre-version", 2L, "gre-reserved", 1L), s.rb.drops().snapshot());
    }

    @Test
    void shouldDropBadAndMissingChecksums() {
        RaRb s = new RaRb(1500, t -> t.withChecksum(true));
        byte[] corrupt = gre(RA, RB, Gre.C, EtherType.IPV4, 0, 0, INNER);
        corrupt[corrupt.length - 1] ^= 0x55; // payload changed after the checksum
        s.rbWan.inject(corrupt);
        s.rbWan.inject(gre(RA, RB, 0, EtherType.IPV4, 0, 0, INNER));
        s.rbWan.inject(gre(RA, RB, Gre.C, EtherType.IPV4, 0, 0, INNER));
        s.net.settle();
        assertEquals(1, s.hostB.drain().size());
        assertEquals(Map.of("bad-checksum", 1L, "checksum-missing", 1L), s.rb.drops().snapshot());
        assertEquals(2, s.rbTunnel().counters().rxDrops(), "both count against the tunnel they came from");
        assertEquals(Map.of("bad-checksum", 1L, "checksum-missing", 1L), s.rbTunnel().counters().dropReasons());
        assertStillForwarding(s);
    }

    @Test
    void shouldDropReplayedMissingAndFarAheadSequenceNumbers() {
        RaRb s = new RaRb(1500, t -> t.withSequence(true));
        for (int i = 0; i < 5; i++) {
            s.hostA.sendBytes(TestPackets.ping4(HOST_A, HOST_B, i)); // sequence 0..4
        }
        s.net.settle();
        assertEquals(5, s.hostB.drain().size());
        byte[] third = s.wan.captured().get(2);
        s.rbWan.inject(third);                                              // replay
        s.rbWan.inject(gre(RA, RB, Gre.S, EtherType.IPV4, 0, 4, INNER));    // duplicate of the last
        s.rbWan.inject(gre(RA, RB, 0, EtherType.IPV4, 0, 0, INNER));        // none at all
        s.rbWan.inject(gre(RA, RB, Gre.S, EtherType.IPV4, 0, 0x7000_0000, INNER)); // far ahead
        s.net.settle();
        assertTrue(s.hostB.drain().isEmpty());
        assertEquals(Map.of("sequence-old", 2L, "sequence-missing", 1L, "sequence-jump", 1L),
                s.rb.drops().snapshot());
        assertStillForwarding(s); // the forged jump did not move the window
        assertEquals(4, s.rb.drops().total(), "and nothing else was dropped");
    }

    @Test
    void shouldLeaveEthernetOverGreToTheSwitchAndRefuseOtherPayloads() {
        RaRb s = new RaRb();
        s.rbWan.inject(gre(RA, RB, Gre.K, EtherType.TEB, 5000, 0, new byte[60]));
        s.rbWan.inject(gre(RA, RB, 0, 0x880B, 0, 0, INNER)); // PPP
        s.net.settle();
        assertEquals(Map.of("not-router", 1L, "gre-protocol", 1L), s.rb.drops().snapshot());
    }

    @Test
    void shouldDropNonGreOuterFragmentsAndBrokenInnerPackets() {
        RaRb s = new RaRb();
        byte[] udp = TestPackets.ping4(RA, RB, 1);
        udp[9] = (byte) IpProtocol.UDP;
        Ipv4.fillChecksum(seg(udp), 0);
        s.rbWan.inject(udp);
        byte[] frag = gre(RA, RB, 0, EtherType.IPV4, 0, 0, INNER);
        frag[6] = 0x20; // MF
        Ipv4.fillChecksum(seg(frag), 0);
        s.rbWan.inject(frag);
        byte[] badInner = INNER.clone();
        badInner[10] ^= 1; // inner header checksum wrong
        s.rbWan.inject(gre(RA, RB, 0, EtherType.IPV4, 0, 0, badInner));
        s.rbWan.inject(java.util.Arrays.copyOf(gre(RA, RB, 0, EtherType.IPV4, 0, 0, INNER), 30)); // truncated
        s.net.settle();
        assertEquals(Map.of("not-gre", 1L, "outer-fragment", 1L, "bad-checksum", 1L, "truncated", 1L),
                s.rb.drops().snapshot());
    }

    @Test
    void shouldOnlyReflectKeepalivesAddressedToTheConfiguredRemote() {
        RaRb s = new RaRb();
        // an inner GRE packet from RB to a third party: not a keepalive of RA, so not sent to the WAN
        byte[] bounce = gre(RB, ip("192.0.2.7"), 0, 0, 0, 0, new byte[0]);
        s.rbWan.inject(gre(RA, RB, 0, EtherType.IPV4, 0, 0, bounce));
        s.net.settle();
        assertEquals(0, s.rbTunnel().counters().keepalivesReflected());
        assertTrue(s.wan.captured().isEmpty());
    }

    /** Random bytes on both ports: nothing crashes, nothing is forwarded, every packet is counted. */
    @Test
    void shouldCountEveryRandomPacketAsADrop() {
        RaRb s = new RaRb();
        Random r = new Random(6);
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            byte[] p = new byte[r.nextInt(120)];
            r.nextBytes(p);
            if (p.length > 0 && r.nextBoolean()) {
                p[0] = (byte) 0x45; // get past the version check now and then
            }
            s.rbWan.inject(p);
            if (i % 1000 == 999) {
                s.net.settle();
            }
        }
        s.net.settle();
        assertEquals(n, s.rb.drops().total(), s.rb.drops().snapshot().toString());
        assertTrue(s.hostB.drain().isEmpty());
        assertStillForwarding(s);
    }

    @Test
    void shouldTellTunnelsBetweenTheSameEndpointsApartByKey() {
        RaRb s = new RaRb();
        s.rb.addTunnel(GreTunnelSpec.of("tun0", RB, RA).withKey(1));
        s.rb.addTunnel(GreTunnelSpec.of("tun1", RB, RA).withKey(2));
        s.rbWan.inject(gre(RA, RB, Gre.K, EtherType.IPV4, 2, 0, INNER));
        s.rbWan.inject(gre(RA, RB, Gre.K, EtherType.IPV4, 1, 0, INNER));
        s.rbWan.inject(gre(RA, RB, Gre.K, EtherType.IPV4, 3, 0, INNER));
        s.net.settle();
        assertEquals(2, s.hostB.drain().size());
        assertEquals(1, s.rb.tunnel("tun0").orElseThrow().counters().rxPackets());
        assertEquals(1, s.rb.tunnel("tun1").orElseThrow().counters().rxPackets());
        assertOnlyDrop(s.rb, "key-mismatch", 1);
    }
}
