package io.tunnelbox.packet;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The hot-path codecs allocate nothing: encapsulating and decapsulating a packet, with validation,
 * checksums, flow hash and MSS clamp, measured by the JVM's per-thread allocation counter.
 */
class AllocationTest {
    static final int ROUNDS = 50_000;

    @Test
    void shouldEncapsulateAndDecapsulateWithoutAllocating() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported());
        MemorySegment frame = TestFrames.buffer(1400);
        int len = TestFrames.udpFrame(frame, 1400);
        MemorySegment syn = MemorySegment.ofArray(Hex.bytes(TcpTest.SYN_1460));

        long sink = work(frame, len, syn); // first round: class loading and linkage may allocate
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 5; i++) {
            sink += work(frame, len, syn);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(sink > 5L * ROUNDS, "every round clamped the MSS and found the payloads");
        // A few bytes of slack: the counter itself may see a stray TLAB refill, but one byte per packet would show.
        assertTrue(allocated < 10_000, allocated + " bytes allocated for " + 5 * ROUNDS * 4 + " operations");
    }

    private static long work(MemorySegment frame, int len, MemorySegment syn) {
        long sink = 0;
        for (int i = 0; i < ROUNDS; i++) {
            long gre = Encapsulation.greIpv4(frame, TestFrames.HEADROOM, len, Gre.K | Gre.S, EtherType.TEB, 5, i,
                    1, 2, 0, 64, i, Ipv4.DF);
            sink += Decapsulation.greIpv4Payload(frame, gre, TestFrames.HEADROOM + len - gre);
            int port = Vxlan.sourcePort(FlowHash.of(frame, TestFrames.HEADROOM, len));
            long vxlan = Encapsulation.vxlanIpv4(frame, TestFrames.HEADROOM, len, 5, port, Vxlan.PORT, 1, 2, 0, 64, i, 0);
            sink += Decapsulation.vxlanIpv4Payload(frame, vxlan, TestFrames.HEADROOM + len - vxlan, Vxlan.PORT);
            Wire.put16(syn, 42, 1460); // MSS back to 1460 so every round clamps
            Tcp.fillChecksum4(syn, 0, 20, 28);
            sink += Tcp.clampMss(syn, 20, 28, 1360) ? 1 : 0;
        }
        return sink;
    }
}
