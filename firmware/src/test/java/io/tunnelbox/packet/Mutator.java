package io.tunnelbox.packet;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Mutates seed packets the way FuzzTest does: bit flips, random or extreme bytes, truncation. */
public final class Mutator {
    private final SplittableRandom random;

    public Mutator(long seed) {
        this.random = new SplittableRandom(seed);
    }

    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** A mutated copy of {@code seed} with one to four edits (or, one time in eight, none). */
    public byte[] mutate(byte[] seed) {
        byte[] packet = seed.clone();
        if (random.nextInt(8) == 0) {
            return packet;
        }
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && packet.length > 0; e++) {
            int at = random.nextInt(packet.length);
            switch (random.nextInt(5)) {
                case 0 -> packet[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> packet[at] = (byte) random.nextInt(256);
                case 2 -> packet[at] = (byte) (random.nextBoolean() ? 0 : 0xFF);
                case 3 -> packet = Arrays.copyOf(packet, at);
                default -> packet = Arrays.copyOf(packet, Math.min(packet.length + 1 + random.nextInt(64), 9000));
            }
        }
        return packet;
    }
}
