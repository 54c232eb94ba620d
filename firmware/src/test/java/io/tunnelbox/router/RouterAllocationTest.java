package io.tunnelbox.router;

import static io.tunnelbox.router.RaRb.HOST_A;
import static io.tunnelbox.router.RaRb.HOST_B;
import static io.tunnelbox.router.RaRb.RA;
import static io.tunnelbox.router.RaRb.RB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.hal.time.ManualClock;
import io.tunnelbox.packet.EtherType;
import io.tunnelbox.packet.Gre;
import io.tunnelbox.packet.Ipv4Prefix;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The hot path allocates nothing per packet: encapsulation and decapsulation, with every option on. */
class RouterAllocationTest {
    private static final int BATCHES = 2_000;

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().threadId());
    }

    private static GreTunnelSpec spec(int local, int remote) {
        return GreTunnelSpec.of("tun0", local, remote).withKey(5000).withSequence(true).withChecksum(true);
    }

    /**
     * Bytes allocated over {@link #BATCHES} polls after a warm-up. The total, not a per-packet
     * quotient: 500 000 packets divided into it would hide an object per poll (or per 30 packets).
     * The slack covers one-off costs measured at about 800 bytes (the measuring calls, a late
     * compilation); one 16-byte object per poll would be 32 000.
     */
    static final long SLACK = 4096;

    private static long allocatedOverPolls(RouterDatapath dp) {
        for (int i = 0; i < BATCHES; i++) { // warm up: let the JIT compile the path
            dp.poll();
        }
        long before = allocatedBytes();
        for (int i = 0; i < BATCHES; i++) {
            dp.poll();
        }
        return allocatedBytes() - before;
    }

    private static long bytesPerPacket(RouterDatapath dp, ReplayPort out, int perPoll) {
        long sentBefore = out.sentPackets();
        long allocated = allocatedOverPolls(dp);
        assertEquals((long) BATCHES * perPoll * 2, out.sentPackets() - sentBefore, "every packet forwarded");
        assertTrue(allocated <= SLACK, allocated + " bytes allocated over " + BATCHES + " polls of " + perPoll + " packets");
        return allocated / ((long) BATCHES * perPoll);
    }

    @Test
    void shouldNotAllocateWhileEncapsulating() {
        ReplayPort lan = new ReplayPort("lan", 1500, TestPackets.syn4(HOST_A, HOST_B, 1460, 1000, true, false), 256);
        ReplayPort wan = new ReplayPort("wan", 1500, new byte[0], 0);
        RouterDatapath dp = new RouterDatapath("RA", lan, wan, new ManualClock());
        dp.addTunnel(spec(RA, RB));
        dp.addRoute(Ipv4Prefix.parse("192.168.2.0/24"), "tun0");
        long perPacket = bytesPerPacket(dp, wan, 256);
        assertTrue(perPacket == 0, perPacket + " bytes allocated per packet");
        assertEquals(0, dp.drops().total());
    }

    @Test
    void shouldNotAllocateWhileDecapsulating() {
        byte[] inner = TestPackets.syn4(HOST_B, HOST_A, 1460, 1000, true, true);
        // a real peer numbers its packets; a replayed one repeats a number, so the window is off here
        byte[] delivery = TestPackets.gre(RB, RA, Gre.K | Gre.C, EtherType.IPV4, 5000, 0, inner);
        ReplayPort wan = new ReplayPort("wan", 1500, delivery, 256);
        ReplayPort lan = new ReplayPort("lan", 1500, new byte[0], 0);
        RouterDatapath dp = new RouterDatapath("RA", lan, wan, new ManualClock());
        dp.addTunnel(spec(RA, RB).withSequence(false));
        dp.addRoute(Ipv4Prefix.parse("192.168.2.0/24"), "tun0");
        long perPacket = bytesPerPacket(dp, lan, 256);
        assertTrue(perPacket == 0, perPacket + " bytes allocated per packet");
        assertEquals(0, dp.drops().total());
    }

    @Test
    void shouldNotAllocateWhileDroppingHostileDeliveryPackets() {
        // A stranger's GRE (no tunnel has its addresses and key) and a truncated header: counted, nothing else.
        byte[] inner = TestPackets.syn4(HOST_B, HOST_A, 1460, 1000, true, true);
        for (byte[] delivery : new byte[][] {
                TestPackets.gre(RB + 1, RA, Gre.K, EtherType.IPV4, 5000, 0, inner),
                java.util.Arrays.copyOf(TestPackets.gre(RB, RA, Gre.K, EtherType.IPV4, 5000, 0, inner), 22)}) {
            ReplayPort wan = new ReplayPort("wan", 1500, delivery, 256);
            ReplayPort lan = new ReplayPort("lan", 1500, new byte[0], 0);
            RouterDatapath dp = new RouterDatapath("RA", lan, wan, new ManualClock());
            dp.addTunnel(spec(RA, RB).withSequence(false));
            dp.addRoute(Ipv4Prefix.parse("192.168.2.0/24"), "tun0");
            long allocated = allocatedOverPolls(dp);
            assertEquals(2L * BATCHES * 256, dp.drops().total(), "every packet counted as dropped");
            assertEquals(0, lan.sentPackets());
            assertTrue(allocated <= SLACK, allocated + " bytes allocated while dropping " + dp.drops().total() + " packets");
        }
    }
}
