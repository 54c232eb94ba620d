package io.tunnelbox.hal.linux;

import static io.tunnelbox.hal.linux.TestPackets.ipv4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tunnelbox.hal.port.PacketBatch;
import io.tunnelbox.hal.port.PacketPort;
import io.tunnelbox.hal.testing.Requirements;

/**
 * Receive, send, await and poll on the Linux ports allocate nothing per packet: over thousands of
 * 32-packet batches the thread's allocated-bytes counter moves by less than a few bytes a packet.
 *
 * <p>Not zero: until C2 has inlined a downcall, the JDK's errno capture makes a 40-byte segment
 * slice per call ({@code SharedUtils.checkCaptureSegment}), which escape analysis removes once the
 * call site is compiled; when that happens depends on the JIT, so the bound is per packet, where a
 * single object per packet (16 bytes or more) would fail it.
 */
class HotPathAllocationTest {
    static final int LO = ipv4("127.0.0.1");
    static final int BATCH = 32;
    /** Fewer bytes than any object, per packet. */
    static final double MAX_BYTES_PER_PACKET = 8;
    static final int ROUNDS = 1000;
    private static Namespaces namespaces;
    private static NetNamespace netns;

    @BeforeAll
    static void namespace() {
        Requirements.root();
        Requirements.tool("ip");
        namespaces = new Namespaces();
        netns = namespaces.enter(namespaces.add("alloc"));
    }

    @AfterAll
    static void cleanUp() {
        if (namespaces != null) {
            namespaces.close();
        }
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** Sends a batch of 32 delivery packets to itself and receives them, ROUNDS times. */
    private static long bytesPerRounds(PacketPort port, byte[] packet, PortPoller poller) throws InterruptedException {
        PacketBatch out = PacketBatch.allocate();
        PacketBatch in = PacketBatch.allocate();
        int[] slots = new int[32];
        for (int k = 0; k < 32; k++) {
            slots[k] = out.add(packet);
        }
        long before = 0;
        for (int round = 0; round < 2 * ROUNDS; round++) {
            if (round == ROUNDS) {
                before = allocated(); // the first half warms up (JIT, method handle linkage)
            }
            port.send(out, slots, 32);
            int got = 0;
            for (int spin = 0; spin < 100 && got < 32; spin++) {
                poller.await(100_000_000L);
                port.awaitReadable(0);
                in.clear();
                got += port.receive(in);
            }
            assertEquals(32, got, "round " + round);
        }
        return allocated() - before;
    }

    private static void assertBelowOneObjectPerPacket(long bytes) {
        double perPacket = (double) bytes / ((long) ROUNDS * BATCH);
        assertTrue(perPacket < MAX_BYTES_PER_PACKET,
                bytes + " bytes allocated over " + ROUNDS + " batches of " + BATCH + ": " + perPacket + " per packet");
    }

    @Test
    void shouldNotAllocatePerPacketOnTheVxlanPort() throws Exception {
        try (VxlanPort port = netns.call(() -> VxlanPort.open("vx", LO, 4789, null, 1500));
                PortPoller poller = new PortPoller(List.of(port))) {
            byte[] packet = TestPackets.vxlanDelivery(LO, LO, 64, 50000, 5000, new byte[100]);
            assertBelowOneObjectPerPacket(bytesPerRounds(port, packet, poller));
        }
    }

    @Test
    void shouldNotAllocatePerPacketOnTheGrePort() throws Exception {
        try (GrePort port = netns.call(() -> GrePort.open("gre", LO, null, 1500));
                PortPoller poller = new PortPoller(List.of(port))) {
            byte[] packet = TestPackets.greDelivery(LO, LO, 0, 64, false, 0x6558, 1, new byte[100]);
            assertBelowOneObjectPerPacket(bytesPerRounds(port, packet, poller));
        }
    }

    @Test
    void shouldNotAllocatePerPacketOnATunDevice() throws Exception {
        try (TunPort tun = netns.call(() -> TunPort.open("tblalloc0", 1400))) {
            tun.setUp(true);
            PacketBatch batch = PacketBatch.allocate();
            byte[] packet = TestPackets.echoRequest(ipv4("10.94.0.1"), ipv4("10.94.0.2"), 1, 1, 64);
            int[] slots = new int[32];
            for (int k = 0; k < 32; k++) {
                slots[k] = batch.add(packet);
            }
            PacketBatch in = PacketBatch.allocate();
            long before = 0;
            for (int round = 0; round < 2 * ROUNDS; round++) {
                if (round == ROUNDS) {
                    before = allocated();
                }
                assertEquals(32, tun.send(batch, slots, 32)); // into the kernel, which drops them (no route)
                tun.awaitReadable(0);
                in.clear();
                tun.receive(in);
            }
            assertBelowOneObjectPerPacket(allocated() - before);
        }
    }
}
