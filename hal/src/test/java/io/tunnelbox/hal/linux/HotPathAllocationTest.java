package io.tunnelbox.hal.linux;

import static io.tunnelbox.hal.linux.TestPackets.ipv4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tunnelbox.hal.port.PacketBatch;
import io.tunnelbox.hal.port.PacketPort;
import io.tunnelbox.hal.testing.Requirements;

/**
 * Receive, send, await and poll on the Linux ports allocate nothing per packet once warm: in
 * steady state the thread's allocated-bytes counter moves by less than one object per packet.
 *
 * <p>Not zero from the start: until C2 has compiled a downcall, the JDK's errno capture makes a
 * 40-byte segment slice per call ({@code SharedUtils.checkCaptureSegment}); escape analysis removes
 * it once the call site is compiled. When that happens depends on the JIT and the machine's load,
 * so the test measures chunk after chunk (bounded) until one is clean; an allocation in our own
 * code would show in every chunk.
 */
class HotPathAllocationTest {
    static final int LO = ipv4("127.0.0.1");
    static final int BATCH = 32;
    static final int CHUNK = 500;
    static final int MAX_CHUNKS = 16;
    /** Fewer bytes than any object, per packet. */
    static final double MAX_BYTES_PER_PACKET = 8;
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

    interface Round {
        void run() throws InterruptedException;
    }

    /** Runs chunks of rounds until one allocates less than a byte budget per packet; fails if none does. */
    private static void assertSteadyStateAllocatesNothingPerPacket(Round round) throws InterruptedException {
        double perPacket = 0;
        for (int chunk = 0; chunk < MAX_CHUNKS; chunk++) {
            long before = allocated();
            for (int k = 0; k < CHUNK; k++) {
                round.run();
            }
            perPacket = (double) (allocated() - before) / ((long) CHUNK * BATCH);
            if (perPacket < MAX_BYTES_PER_PACKET) {
                return;
            }
        }
        fail("still " + perPacket + " bytes allocated per packet after " + MAX_CHUNKS * CHUNK + " batches of " + BATCH);
    }

    /** A round: send a batch of 32 delivery packets to the port itself, and receive them. */
    private static Round loopback(PacketPort port, byte[] packet, PortPoller poller) {
        PacketBatch out = PacketBatch.allocate();
        PacketBatch in = PacketBatch.allocate();
        int[] slots = new int[BATCH];
        for (int k = 0; k < BATCH; k++) {
            slots[k] = out.add(packet);
        }
        return () -> {
            port.send(out, slots, BATCH);
            int got = 0;
            for (int spin = 0; spin < 100 && got < BATCH; spin++) {
                poller.await(100_000_000L);
                port.awaitReadable(0);
                in.clear();
                got += port.receive(in);
            }
            assertEquals(BATCH, got);
        };
    }

    @Test
    void shouldNotAllocatePerPacketOnTheVxlanPort() throws Exception {
        try (VxlanPort port = netns.call(() -> VxlanPort.open("vx", LO, 4789, null, 1500));
                PortPoller poller = new PortPoller(List.of(port))) {
            byte[] packet = TestPackets.vxlanDelivery(LO, LO, 64, 50000, 5000, new byte[100]);
            assertSteadyStateAllocatesNothingPerPacket(loopback(port, packet, poller));
        }
    }

    @Test
    void shouldNotAllocatePerPacketOnTheVxlanPortWithUdpGroAndSegmentation() throws Exception {
        // The uro/uso path: a run comes in as one read and is cut back into datagrams (UdpGroReceiver).
        try (VxlanPort port = netns.call(() -> VxlanPort.open("vx", LO, 4789, null, 1500, true, true));
                PortPoller poller = new PortPoller(List.of(port))) {
            assertTrue(port.udpGro(), "this kernel grants UDP_GRO");
            byte[] packet = TestPackets.vxlanDelivery(LO, LO, 64, 50000, 5000, new byte[100]);
            assertSteadyStateAllocatesNothingPerPacket(loopback(port, packet, poller));
        }
    }

    @Test
    void shouldNotAllocatePerPacketOnTheGrePort() throws Exception {
        try (GrePort port = netns.call(() -> GrePort.open("gre", LO, null, 1500));
                PortPoller poller = new PortPoller(List.of(port))) {
            byte[] packet = TestPackets.greDelivery(LO, LO, 0, 64, false, 0x6558, 1, new byte[100]);
            assertSteadyStateAllocatesNothingPerPacket(loopback(port, packet, poller));
        }
    }

    @Test
    void shouldNotAllocatePerPacketOnATunDevice() throws Exception {
        try (TunPort tun = netns.call(() -> TunPort.open("tblalloc0", 1400))) {
            tun.setUp(true);
            PacketBatch batch = PacketBatch.allocate();
            byte[] packet = TestPackets.echoRequest(ipv4("10.94.0.1"), ipv4("10.94.0.2"), 1, 1, 64);
            int[] slots = new int[BATCH];
            for (int k = 0; k < BATCH; k++) {
                slots[k] = batch.add(packet);
            }
            PacketBatch in = PacketBatch.allocate();
            assertSteadyStateAllocatesNothingPerPacket(() -> {
                assertEquals(BATCH, tun.send(batch, slots, BATCH)); // into the kernel, which drops them (no route)
                tun.awaitReadable(0);
                in.clear();
                tun.receive(in);
            });
        }
    }

    @Test
    void shouldNotAllocatePerPacketOnATunDeviceWithVirtioHeaders() throws Exception {
        try (TunPort tun = netns.call(() -> TunPort.open("tblalloc1", 1400, io.tunnelbox.hal.offload.Offloads.ALL))) {
            tun.setUp(true);
            assertEquals(io.tunnelbox.hal.offload.Offloads.ALL.withoutUdp(), tun.offloads(), "this kernel grants TSO");
            PacketBatch batch = PacketBatch.allocate();
            byte[] packet = TestPackets.echoRequest(ipv4("10.94.1.1"), ipv4("10.94.1.2"), 1, 1, 64);
            int[] slots = new int[BATCH];
            for (int k = 0; k < BATCH; k++) {
                slots[k] = batch.add(packet);
            }
            PacketBatch in = PacketBatch.allocate();
            assertSteadyStateAllocatesNothingPerPacket(() -> {
                assertEquals(BATCH, tun.send(batch, slots, BATCH)); // one writev each, behind a zero virtio header
                tun.awaitReadable(0);
                in.clear();
                tun.receive(in);
            });
        }
    }
}
