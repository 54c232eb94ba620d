package io.tunnelbox.packet;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Hostile input: random and mutated packets go through every validator and, where it passes, every
 * reader. The segments are exactly as long as the packet, so any read past its end would throw
 * IndexOutOfBoundsException and fail the test; so would any other exception.
 */
class FuzzTest {
    static final List<byte[]> SEEDS = ScapyVectorsTest.VECTORS.stream().map(ScapyVectorsTest::bytes).toList();
    static final List<String> LINKS = ScapyVectorsTest.VECTORS.stream().map(v -> v.get("link").asText()).toList();

    @Property(tries = 3000)
    void randomBytesNeverThrow(@ForAll @Size(max = 200) byte[] bytes) {
        exercise(bytes, true);
        exercise(bytes, false);
    }

    @Test
    void shouldSurviveOneHundredThousandMutatedPackets() {
        mutate(100_000, 1);
    }

    @Test
    @Tag("slow")
    void shouldSurviveFiveMillionMutatedPackets() {
        mutate(5_000_000, 2);
    }

    private static void mutate(int rounds, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < rounds; i++) {
            int pick = random.nextInt(SEEDS.size());
            byte[] packet = SEEDS.get(pick).clone();
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits && packet.length > 0; e++) {
                int at = random.nextInt(packet.length);
                switch (random.nextInt(4)) {
                    case 0 -> packet[at] ^= (byte) (1 << random.nextInt(8));
                    case 1 -> packet[at] = (byte) random.nextInt(256);
                    case 2 -> packet[at] = (byte) (random.nextBoolean() ? 0 : 0xFF);
                    default -> packet = Arrays.copyOf(packet, at);
                }
            }
            exercise(packet, LINKS.get(pick).equals("ether"));
        }
    }

    /** Runs everything that reads packets from the wire over one buffer. */
    static void exercise(byte[] bytes, boolean ether) {
        MemorySegment seg = MemorySegment.ofArray(bytes);
        long len = bytes.length;
        Dissector d = ether ? Dissector.ether(seg) : Dissector.ip(seg);
        for (Dissector.Layer layer : d.layers) {
            if (layer.kind().equals("tcp")) {
                Tcp.clampMss(seg, layer.off(), layer.len(), 536);
            }
        }
        FlowHash.of(seg, 0, len);
        Ipv6.upperLayer(seg, 0, len);
        Decapsulation.greIpv4Payload(seg, 0, len);
        Decapsulation.vxlanIpv4Payload(seg, 0, len, Vxlan.PORT);
        // Validators must cope with any offset and length, including ones that do not fit.
        for (long off : new long[] {0, 1, len / 2, len, len + 1}) {
            long rest = len - off;
            Ethernet.validate(seg, off, rest);
            Ipv4.validate(seg, off, rest);
            Ipv6.validate(seg, off, rest);
            Udp.validate(seg, off, rest);
            Gre.validate(seg, off, rest);
            Vxlan.validate(seg, off, rest);
            Arp.validate(seg, off, rest);
            Tcp.validate(seg, off, rest);
            Icmp4.validate(seg, off, rest);
            Tcp.mss(seg, off, rest);
            Ipv4.validate(seg, off, rest + 1);
            Gre.validate(seg, off, Long.MAX_VALUE);
        }
    }

}
