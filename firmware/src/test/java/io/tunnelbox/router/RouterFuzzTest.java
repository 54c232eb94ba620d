package io.tunnelbox.router;

import static io.tunnelbox.router.RaRb.HOST_A;
import static io.tunnelbox.router.RaRb.HOST_B;
import static io.tunnelbox.router.RaRb.RA;
import static io.tunnelbox.router.RaRb.RB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.packet.EtherType;
import io.tunnelbox.packet.Gre;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Mutated packets through the router's real entry points (its LAN and WAN ports, one poll at a
 * time): nothing escapes as an exception, every packet from the WAN is delivered, answered or
 * counted, and the router still forwards afterwards.
 */
class RouterFuzzTest {
    static final int ROUNDS = 20_000;

    static byte[] mutate(byte[] seed, SplittableRandom random) {
        byte[] p = seed.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && p.length > 0; e++) {
            int at = random.nextInt(p.length);
            switch (random.nextInt(4)) {
                case 0 -> p[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> p[at] = (byte) random.nextInt(256);
                case 2 -> p[at] = (byte) (random.nextBoolean() ? 0 : 0xFF);
                default -> p = Arrays.copyOf(p, at);
            }
        }
        return p;
    }

    @Test
    void shouldCountOrDeliverEveryMutatedDeliveryPacket() {
        RaRb s = new RaRb(1500, t -> t.withKey(5000).withChecksum(true));
        byte[] inner = TestPackets.ping4(HOST_B, HOST_A, 1);
        List<byte[]> seeds = List.of(
                TestPackets.gre(RB, RA, Gre.K | Gre.C, EtherType.IPV4, 5000, 0, inner),
                TestPackets.gre(RB, RA, Gre.K | Gre.C, EtherType.IPV4, 5000, 0,
                        TestPackets.syn4(HOST_B, HOST_A, 1460, 100, true, true)),
                TestPackets.gre(RB, RA, Gre.K | Gre.C, EtherType.TEB, 5000, 0, inner));
        SplittableRandom random = new SplittableRandom(11);
        long delivered = 0;
        for (int i = 0; i < ROUNDS; i++) {
            s.raWan.inject(mutate(seeds.get(random.nextInt(seeds.size())), random));
            s.net.settle();
            delivered += s.hostA.drain().size();
        }
        TunnelCounters c = s.raTunnel().counters();
        long answered = c.keepaliveReplies() + c.keepalivesReflected() + c.pmtuLearned();
        assertEquals(ROUNDS, delivered + s.ra.drops().total() + answered,
                "delivered " + delivered + ", answered " + answered + ", drops " + s.ra.drops().snapshot());
        assertTrue(s.ra.drops().total() > ROUNDS / 2, s.ra.drops().snapshot().toString());

        s.hostB.drain();
        s.hostA.sendBytes(TestPackets.ping4(HOST_A, HOST_B, 7));
        s.net.settle();
        assertEquals(1, s.hostB.drain().size(), "still forwarding");
    }

    @Test
    void shouldSurviveMutatedLanPackets() {
        RaRb s = new RaRb();
        List<byte[]> seeds = List.of(TestPackets.ping4(HOST_A, HOST_B, 1),
                TestPackets.syn4(HOST_A, HOST_B, 1460, 1400, true, false),
                TestPackets.syn4(HOST_A, HOST_B, 1460, 1400, false, false));
        SplittableRandom random = new SplittableRandom(12);
        for (int i = 0; i < ROUNDS; i++) {
            s.hostA.sendBytes(mutate(seeds.get(random.nextInt(seeds.size())), random));
            s.net.settle();
            s.hostA.drain();
            s.hostB.drain();
        }
        s.hostA.sendBytes(TestPackets.ping4(HOST_A, HOST_B, 7));
        s.net.settle();
        assertEquals(1, s.hostB.drain().size(), "still forwarding");
    }
}
