package io.tunnelbox.router;

import static io.tunnelbox.router.RaRb.HOST_A;
import static io.tunnelbox.router.RaRb.HOST_B;
import static io.tunnelbox.router.RaRb.RA;
import static io.tunnelbox.router.RaRb.RB;
import static io.tunnelbox.router.TestPackets.gre;
import static io.tunnelbox.router.TestPackets.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.packet.EtherType;
import io.tunnelbox.packet.Gre;
import io.tunnelbox.packet.Ipv6Prefix;
import io.tunnelbox.packet.Mutator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Mutated packets through the router's real entry points: RB's WAN port (GRE from RA and from
 * strangers, keepalives) and its LAN port (IPv4, IPv6, TCP SYNs). The datapath never throws, no
 * packet whose delivery packet came from anyone but RA reaches host B, every delivery packet is
 * delivered, answered (a keepalive) or counted as one drop, and the router still forwards afterwards.
 */
class RouterEntryFuzzTest {
    @Test
    void shouldSurviveOneHundredThousandMutatedPacketsAtBothEntries() {
        fuzz(100_000, 21);
    }

    @Test
    @Tag("slow")
    void shouldSurviveTenMillionMutatedPacketsAtBothEntries() {
        fuzz(10_000_000, 22);
    }

    private static void fuzz(int rounds, long seed) {
        RaRb s = new RaRb(1500, t -> t.withKey(42));
        int stranger = ip("192.0.2.66");
        byte[] inner = TestPackets.ping4(HOST_A, HOST_B, 1);
        Ipv6Prefix a6 = TestPackets.ip6("fd00:1::1/128"), b6 = TestPackets.ip6("fd00:2::1/128");
        byte[] keepalive = gre(RB, RA, Gre.K, 0, 42, 0, new byte[0]);
        List<byte[]> wanSeeds = List.of(
                gre(RA, RB, Gre.K, EtherType.IPV4, 42, 0, inner),
                gre(RA, RB, Gre.K | Gre.C, EtherType.IPV4, 42, 0, TestPackets.syn4(HOST_A, HOST_B, 1460, 0, true, false)),
                gre(RA, RB, Gre.K, 0, 42, 0, keepalive),
                gre(stranger, RB, Gre.K, EtherType.IPV4, 42, 0, inner),
                gre(stranger, RB, Gre.K, EtherType.IPV6, 42, 0, TestPackets.ping6(a6, b6, 32)));
        List<byte[]> lanSeeds = List.of(
                TestPackets.ping4(HOST_B, HOST_A, 1),
                TestPackets.echo4(HOST_B, HOST_A, 8, 1, 1, 1460, true),
                TestPackets.syn4(HOST_B, HOST_A, 1460, 0, true, false),
                TestPackets.ping6(b6, a6, 64));

        Mutator m = new Mutator(seed);
        long fromWan = 0, fromLan = 0, delivered = 0, strangerDelivered = 0;
        for (int i = 0; i < rounds; i++) {
            if (m.nextInt(2) == 0) {
                byte[] p = m.mutate(wanSeeds.get(m.nextInt(wanSeeds.size())));
                int src = p.length >= 16 ? TestPackets.i32(p, 12) : 0;
                long before = s.rb.drops().total() + answered(s);
                s.rbWan.inject(p);
                s.rb.poll();
                int n = s.hostB.drain().size();
                long counted = s.rb.drops().total() + answered(s) - before;
                assertEquals(1, n + counted, "round " + i + ": delivered " + n + ", counted " + counted);
                delivered += n;
                if (n > 0 && src != RA) {
                    strangerDelivered += n;
                }
                fromWan++;
            } else {
                s.hostB.sendBytes(m.mutate(lanSeeds.get(m.nextInt(lanSeeds.size()))));
                s.rb.poll();
                s.hostB.drain(); // ICMP errors the router answers on the LAN
                fromLan++;
            }
            if ((i & 0xffff) == 0) {
                s.clock.advance(Duration.ofSeconds(1));
                s.rb.tick();
                s.raWan.drain(); // what RB sent towards RA
            }
        }
        System.out.printf("router fuzz: %d from the WAN (%d packets delivered), %d from the LAN, drops %s%n",
                fromWan, delivered, fromLan, s.rb.drops().snapshot());
        assertEquals(0, strangerDelivered, "packets from strangers reached the LAN");
        assertTrue(delivered > 0, "RA's packets still get through: the fuzz reached the deep end");

        s.raWan.drain();
        s.hostA.drain();
        s.hostB.sendBytes(TestPackets.ping4(HOST_B, HOST_A, 7));
        s.net.settle();
        assertEquals(1, s.hostA.drain().size(), "still forwarding");
    }

    /** Delivery packets RB answers rather than delivers or drops: keepalives, underlay ICMP. */
    private static long answered(RaRb s) {
        TunnelCounters c = s.rbTunnel().counters();
        return c.keepaliveReplies() + c.keepalivesReflected() + c.pmtuLearned();
    }
}
