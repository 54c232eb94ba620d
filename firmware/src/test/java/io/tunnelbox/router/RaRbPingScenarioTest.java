package io.tunnelbox.router;

import static io.tunnelbox.router.RaRb.HOST_A;
import static io.tunnelbox.router.RaRb.HOST_B;
import static io.tunnelbox.router.RaRb.RA;
import static io.tunnelbox.router.RaRb.RB;
import static io.tunnelbox.router.TestPackets.seg;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.hal.testing.Requirements;
import io.tunnelbox.packet.EtherType;
import io.tunnelbox.packet.Gre;
import io.tunnelbox.packet.Icmp4;
import io.tunnelbox.packet.IpProtocol;
import io.tunnelbox.packet.Ipv4;
import io.tunnelbox.packet.pcap.LinkType;
import io.tunnelbox.packet.pcap.PcapWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 1 of issue 5, the seed's RA/RB: host A pings host B through RA and RB; the WAN carries
 * exactly {@code IPv4 RA->RB proto 47 | GRE | IPv4 192.168.1.1->192.168.2.1 | ICMP} and back.
 */
class RaRbPingScenarioTest {

    /** The delivery packet the seed describes: a 20-byte IPv4 header, a 4-byte GRE header, the inner packet. */
    private static byte[] expectedDelivery(int src, int dst, int id, byte[] innerAsSent) {
        byte[] inner = innerAsSent.clone();
        Ipv4.decTtl(seg(inner), 0); // the encapsulating router forwarded it once
        byte[] p = new byte[Ipv4.HEADER + Gre.BASE_HEADER + inner.length];
        Gre.write(seg(p), Ipv4.HEADER, 0, EtherType.IPV4, 0, 0);
        System.arraycopy(inner, 0, p, Ipv4.HEADER + Gre.BASE_HEADER, inner.length);
        Ipv4.write(seg(p), 0, 0, p.length, id, Ipv4.DF, 64, IpProtocol.GRE, src, dst);
        return p;
    }

    private static byte[] afterTwoHops(byte[] sent) {
        byte[] p = sent.clone();
        Ipv4.decTtl(seg(p), 0);
        Ipv4.decTtl(seg(p), 0);
        return p;
    }

    @Test
    void shouldCarryAPingFromAToBAndTheReplyBackAsTheSeedDescribes() {
        RaRb s = new RaRb();
        byte[] request = TestPackets.ping4(HOST_A, HOST_B, 1);
        s.hostA.sendBytes(request);
        s.net.settle();

        List<byte[]> wire = s.wan.captured();
        assertEquals(1, wire.size(), "one delivery packet for one ping");
        byte[] d = wire.get(0);
        assertArrayEquals(expectedDelivery(RA, RB, Ipv4.id(seg(d), 0), request), d);
        List<byte[]> atB = s.hostB.drain();
        assertEquals(1, atB.size());
        assertArrayEquals(afterTwoHops(request), atB.get(0));

        byte[] reply = TestPackets.echo4(HOST_B, HOST_A, Icmp4.ECHO_REPLY, 0x4242, 1, 56, true);
        s.hostB.sendBytes(reply);
        s.net.settle();
        wire = s.wan.captured();
        assertEquals(2, wire.size());
        assertArrayEquals(expectedDelivery(RB, RA, Ipv4.id(seg(wire.get(1)), 0), reply), wire.get(1));
        List<byte[]> atA = s.hostA.drain();
        assertEquals(1, atA.size());
        assertArrayEquals(afterTwoHops(reply), atA.get(0));

        for (Tunnel t : List.of(s.raTunnel(), s.rbTunnel())) {
            assertEquals(1, t.counters().txPackets());
            assertEquals(request.length, t.counters().txBytes());
            assertEquals(1, t.counters().rxPackets());
            assertEquals(reply.length, t.counters().rxBytes());
            assertEquals(0, t.counters().rxDrops() + t.counters().txDrops());
        }
        assertEquals(0, s.ra.drops().total());
        assertEquals(0, s.rb.drops().total());
        assertEquals(0, s.wan.dropped());
    }

    @Test
    void shouldKeepEveryPingOfASeriesInOrder() {
        RaRb s = new RaRb();
        for (int seq = 1; seq <= 100; seq++) {
            s.hostA.sendBytes(TestPackets.ping4(HOST_A, HOST_B, seq));
        }
        s.net.settle();
        List<byte[]> atB = s.hostB.drain();
        assertEquals(100, atB.size());
        for (int k = 0; k < 100; k++) {
            assertEquals(k + 1, Icmp4.echoSequence(seg(atB.get(k)), Ipv4.HEADER));
        }
        assertEquals(100, s.raTunnel().counters().txPackets());
        assertEquals(100, s.rbTunnel().counters().rxPackets());
    }

    @Test
    void shouldCountTheTunnelAndTheRouteThePacketTook() {
        RaRb s = new RaRb();
        s.hostA.sendBytes(TestPackets.ping4(HOST_A, HOST_B, 1));
        s.net.settle();
        Tunnel t = s.raTunnel();
        assertEquals(LinkState.UP, t.state());
        assertEquals(Keepalive.REASON_CONFIGURED, t.keepalive().reason());
        assertEquals(1, t.counters().txPackets());
        assertEquals(84, t.counters().txBytes());
        assertEquals(0, t.counters().rxDrops() + t.counters().txDrops());
        assertEquals(List.of(new RouteStatus("192.168.2.0/24", "tun0", true, "", 1)), s.ra.routeTable());
        assertEquals(List.of("192.168.2.0/24 via tun0"), s.ra.routes());
    }

    /** An independent decoder (Wireshark's) reads our delivery packets as the seed's GRE. */
    @Test
    void shouldDecodeAsGreInTshark(@TempDir Path dir) throws IOException, InterruptedException {
        Requirements.tool("tshark");
        RaRb s = new RaRb();
        s.hostA.sendBytes(TestPackets.ping4(HOST_A, HOST_B, 1));
        s.net.settle();
        s.hostB.sendBytes(TestPackets.echo4(HOST_B, HOST_A, Icmp4.ECHO_REPLY, 0x4242, 1, 56, true));
        s.net.settle();
        Path pcap = dir.resolve("wan.pcap");
        try (PcapWriter w = PcapWriter.create(pcap, LinkType.RAW)) {
            long t = 0;
            for (byte[] p : s.wan.captured()) {
                w.write(t += 1_000_000, p);
            }
        }
        Process p = new ProcessBuilder("tshark", "-r", pcap.toString(), "-T", "fields",
                "-e", "ip.src", "-e", "ip.dst", "-e", "ip.proto", "-e", "gre.proto", "-e", "icmp.type",
                "-e", "_ws.expert")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        List<String> lines = out.lines().filter(l -> l.contains("\t")).toList();
        assertEquals(List.of(
                "198.51.100.1,192.168.1.1\t203.0.113.1,192.168.2.1\t47,1\t0x0800\t8\t",
                "203.0.113.1,192.168.2.1\t198.51.100.1,192.168.1.1\t47,1\t0x0800\t0\t"), lines, out);
        Files.deleteIfExists(pcap);
    }

    /** Key, sequence numbers and checksum as Wireshark reads them; checksums verified by it, too. */
    @Test
    void shouldWriteKeySequenceAndChecksumThatTsharkAccepts(@TempDir Path dir) throws IOException, InterruptedException {
        Requirements.tool("tshark");
        RaRb s = new RaRb(1500, t -> t.withKey(5000).withSequence(true).withChecksum(true));
        s.hostA.sendBytes(TestPackets.ping4(HOST_A, HOST_B, 1));
        s.hostA.sendBytes(TestPackets.ping4(HOST_A, HOST_B, 2));
        s.net.settle();
        assertEquals(2, s.hostB.drain().size());
        Path pcap = dir.resolve("wan.pcap");
        try (PcapWriter w = PcapWriter.create(pcap, LinkType.RAW)) {
            long t = 0;
            for (byte[] p : s.wan.captured()) {
                w.write(t += 1_000_000, p);
            }
        }
        Process p = new ProcessBuilder("tshark", "-r", pcap.toString(), "-o", "ip.check_checksum:TRUE",
                "-T", "fields", "-e", "gre.key", "-e", "gre.sequence_number", "-e", "gre.checksum.status",
                "-e", "ip.checksum.status", "-e", "icmp.seq")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        List<String> lines = out.lines().filter(l -> l.contains("\t")).toList();
        assertEquals(List.of(
                "0x00001388\t0\t1\t1,1\t1",
                "0x00001388\t1\t1\t1,1\t2"), lines, out);
    }
}
