package io.tunnelbox.l2switch;

import static io.tunnelbox.l2switch.Frames.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.engine.SimNetwork;
import io.tunnelbox.hal.port.memory.MemoryWan;
import io.tunnelbox.hal.time.ManualClock;
import io.tunnelbox.packet.EtherType;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Mutated delivery packets and LAN frames through the switch's real entry points (its ports, one
 * poll at a time): nothing escapes as an exception, every delivery packet is delivered to the LAN or
 * counted as a drop, and the switch still forwards afterwards.
 */
class SwitchFuzzTest {
    static final int ROUNDS = 20_000;
    static final long HOST = 0x02_00_00_00_00_01L;
    static final long FAR = 0x02_00_00_00_00_02L;

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
    void shouldDeliverOrCountEveryMutatedPacketAndKeepForwarding() {
        ManualClock clock = new ManualClock();
        MemoryWan underlay = new MemoryWan();
        SimNetwork net = new SimNetwork(clock);
        Box box = new Box("box", "10.0.0.1", underlay, clock);
        Box peer = new Box("peer", "10.0.0.2", underlay, clock);
        box.segment(SegmentSpec.headEnd(Transport.VXLAN, 5000, 10, List.of(peer.address)));
        box.segment(SegmentSpec.headEnd(Transport.GRE, 0x1388, 20, List.of(peer.address)));
        net.add(box.sw);
        byte[] frame = Frames.arpRequest(FAR, ip("172.16.0.9"), ip("172.16.0.1"), 0);
        List<byte[]> seeds = List.of(Frames.vxlan(peer.address, box.address, 5000, frame),
                Frames.gre(peer.address, box.address, 0x1388, EtherType.TEB, frame));
        SplittableRandom random = new SplittableRandom(21);
        long delivered = 0;
        for (int i = 0; i < ROUNDS; i++) {
            box.wan.inject(mutate(seeds.get(random.nextInt(seeds.size())), random));
            net.settle();
            delivered += box.received().size();
        }
        long drops = box.sw.drops().values().stream().mapToLong(Long::longValue).sum();
        assertEquals(ROUNDS, delivered + drops, "delivered " + delivered + ", drops " + box.sw.drops());
        assertTrue(drops > ROUNDS / 2, box.sw.drops().toString());

        List<byte[]> lanSeeds = List.of(Frames.arpRequest(HOST, ip("172.16.0.1"), ip("172.16.0.9"), 10),
                Frames.ping(FAR, HOST, ip("172.16.0.1"), ip("172.16.0.9"), 20, 100));
        for (int i = 0; i < ROUNDS; i++) {
            box.send(mutate(lanSeeds.get(random.nextInt(lanSeeds.size())), random));
            net.settle();
        }
        underlay.clearCaptured();
        box.send(Frames.arpRequest(HOST, ip("172.16.0.1"), ip("172.16.0.9"), 10));
        net.settle();
        assertEquals(1, underlay.captured().size(), "still flooding to the peer");
    }
}
