package io.tunnelbox.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChecksumTest {
    // RFC 791 header with a known checksum 0xb861 (10.0.0.1-style example: 192.168.0.1 -> 192.168.0.199).
    static final String HEADER = "4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7";

    @Test
    void shouldVerifyHeaderWithCorrectChecksum() {
        assertTrue(Checksum.verify(Hex.seg(HEADER), 0, 20));
    }

    @Test
    void shouldComputeChecksumOfHeaderWithZeroedField() {
        MemorySegment seg = Hex.seg(HEADER);
        Wire.put16(seg, 10, 0);
        assertEquals(0xb861, Checksum.compute(seg, 0, 20));
    }

    @Test
    void shouldRejectHeaderWithOneBitFlipped() {
        MemorySegment seg = Hex.seg(HEADER);
        Wire.put8(seg, 15, Wire.u8(seg, 15) ^ 0x01);
        assertFalse(Checksum.verify(seg, 0, 20));
    }

    @Test
    void shouldPadOddTrailingByteWithZero() {
        assertEquals(Checksum.compute(Hex.seg("0102 03"), 0, 3), Checksum.compute(Hex.seg("0102 0300"), 0, 4));
        assertEquals(~0x0402 & 0xFFFF, Checksum.compute(Hex.seg("0102 03"), 0, 3));
    }

    @Test
    void shouldSumWordsLikeNaiveSixteenBitLoopAtAnyOffsetAndLength() {
        SplittableRandom random = new SplittableRandom(42);
        for (int round = 0; round < 2000; round++) {
            byte[] data = new byte[random.nextInt(1, 200)];
            random.nextBytes(data);
            int off = random.nextInt(data.length);
            int len = random.nextInt(data.length - off + 1);
            long naive = 0;
            for (int i = 0; i < len; i += 2) {
                int hi = data[off + i] & 0xFF;
                int lo = i + 1 < len ? data[off + i + 1] & 0xFF : 0;
                naive += hi << 8 | lo;
            }
            assertEquals(Checksum.fold(naive), Checksum.fold(Checksum.sum(MemorySegment.ofArray(data), off, len)));
        }
    }

    @Test
    void shouldUpdateIncrementallyLikeFullRecomputation() {
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 2000; round++) {
            byte[] data = new byte[20];
            random.nextBytes(data);
            MemorySegment seg = MemorySegment.ofArray(data);
            Wire.put16(seg, 10, 0);
            Wire.put16(seg, 10, Checksum.compute(seg, 0, 20));
            int wordOffset = 2 * random.nextInt(5);
            int oldWord = Wire.u16(seg, wordOffset);
            int newWord = random.nextInt(0x10000);
            Wire.put16(seg, wordOffset, newWord);
            Wire.put16(seg, 10, Checksum.update16(Wire.u16(seg, 10), oldWord, newWord));
            assertTrue(Checksum.verify(seg, 0, 20), "round " + round);

            int oldAddr = Wire.i32(seg, 12);
            int newAddr = random.nextInt();
            Wire.put32(seg, 12, newAddr);
            Wire.put16(seg, 10, Checksum.update32(Wire.u16(seg, 10), oldAddr, newAddr));
            assertTrue(Checksum.verify(seg, 0, 20), "round " + round);
        }
    }
}
