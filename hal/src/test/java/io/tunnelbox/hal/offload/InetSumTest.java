package io.tunnelbox.hal.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The bulk sum (array copy, machine byte order) gives the same checksums as RFC 1071 word by word. */
class InetSumTest {

    /** RFC 1071 section 4.1, 16-bit big-endian words, an odd last byte padded with zero. */
    private static int reference(byte[] b, int off, int len) {
        long sum = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
        }
        if ((len & 1) != 0) {
            sum += (b[off + len - 1] & 0xff) << 8;
        }
        return InetSum.fold(sum);
    }

    @Test
    void shouldMatchTheWordByWordSumForEveryLengthAndAlignment() {
        Random random = new Random(7);
        byte[] bytes = new byte[70_000];
        random.nextBytes(bytes);
        MemorySegment heap = MemorySegment.ofArray(bytes);
        MemorySegment native_ = Arena.ofAuto().allocate(bytes.length);
        MemorySegment.copy(heap, 0, native_, 0, bytes.length);
        InetSum summer = new InetSum();
        int[] lengths = {0, 1, 2, 7, 63, 64, 65, 66, 67, 1447, 1448, 1460, 2047, 2048, 2049, 2055, 9000, 65535};
        for (int len : lengths) {
            for (int off = 0; off < 9; off++) {
                int expected = reference(bytes, off, len);
                assertEquals(expected, InetSum.fold(summer.sum(0, heap, off, len)), "heap, " + len + " bytes at " + off);
                assertEquals(expected, InetSum.fold(summer.sum(0, native_, off, len)), "native, " + len + " bytes at " + off);
                assertEquals(expected, InetSum.fold(InetSum.add(0, native_, off, len)), "in place, " + len + " bytes at " + off);
            }
        }
    }

    @Test
    void shouldCarryARunningSumThrough() {
        byte[] bytes = new byte[3000];
        java.util.Arrays.fill(bytes, (byte) 0xff); // the largest words: every carry is taken
        MemorySegment m = MemorySegment.ofArray(bytes);
        long start = 0xfffe_ffffL;
        assertEquals(InetSum.fold(InetSum.add(start, m, 0, 2999)), InetSum.fold(new InetSum().sum(start, m, 0, 2999)));
    }
}
