package io.tunnelbox.hal.offload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import io.tunnelbox.hal.port.PacketBatch;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Segmenting a super-frame and coalescing the segments gives back the original stream. */
class SegmentCoalesceProperties {

    @Property(tries = 300)
    void segmentThenCoalesceGivesBackTheStream(@ForAll boolean v6, @ForAll boolean ethernet, @ForAll boolean push,
                                               @ForAll boolean timestamps, @ForAll int seq, @ForAll int ack,
                                               @ForAll @IntRange(min = 1, max = 60000) int length,
                                               @ForAll @IntRange(min = 64, max = 1460) int mss,
                                               @ForAll @IntRange(min = 0, max = 65535) int ipId) {
        SuperFrames.Tcp t = new SuperFrames.Tcp(v6, ethernet, ipId, seq, ack, push ? 0x18 : 0x10, 512,
                timestamps ? SuperFrames.timestamps(seq, ack) : new byte[0], SuperFrames.payload(length, seq));
        byte[] original = SuperFrames.build(t, true);
        int l3 = ethernet ? 14 : 0;
        TcpSegmenter segmenter = new TcpSegmenter();
        assertTrue(segmenter.load(MemorySegment.ofArray(original), 0, original.length, l3,
                v6 ? VnetHeader.GSO_TCPV6 : VnetHeader.GSO_TCPV4, mss));
        int segments = (length + mss - 1) / mss;
        assertEquals(segments, segmenter.segments());
        TcpCoalescer coalescer = new TcpCoalescer(ethernet);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        PacketBatch batch = PacketBatch.allocate();
        int runs = 0;
        while (segmenter.hasMore()) { // more than a batch holds: the rest comes in the next one
            batch.clear();
            segmenter.emit(batch);
            int[] slots = new int[batch.count()];
            Arrays.setAll(slots, k -> k);
            for (int k = 0; k < slots.length; ) {
                int run = coalescer.run(batch, slots, k, slots.length);
                byte[] frame;
                if (run > 1) {
                    frame = TcpCoalescerTest.superFrame(coalescer, batch, slots, k, run);
                    frame = Arrays.copyOfRange(frame, VnetHeader.SIZE, frame.length);
                } else {
                    frame = batch.toArray(slots[k]);
                }
                assertEquals(seq + stream.size(), SuperFrames.i32(frame, l3 + t.ipHeader() + 4), "sequence of run " + runs);
                stream.write(frame, t.headers(), frame.length - t.headers());
                if (runs == 0 && run == segments) {
                    // One run: the very super-frame the kernel handed over (partial checksum and
                    // all), or, for a single segment, that packet with its checksum completed.
                    assertArrayEquals(run > 1 ? original : SuperFrames.build(t, false), frame);
                }
                k += run;
                runs++;
            }
        }
        assertArrayEquals(t.payload(), stream.toByteArray());
        if (segments <= TcpCoalescer.MAX_RUN) {
            assertEquals(1, runs, "everything fits one super-frame");
        }
    }
}
