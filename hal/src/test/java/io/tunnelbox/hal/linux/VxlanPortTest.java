package io.tunnelbox.hal.linux;

import static io.tunnelbox.hal.linux.TestPackets.ipv4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tunnelbox.hal.port.PacketBatch;
import io.tunnelbox.hal.testing.Requirements;

/**
 * The VXLAN underlay against the Linux kernel's own VTEP (an independent implementation) in a
 * second namespace: the kernel must decapsulate what we send and we must receive what it sends,
 * unicast (head-end replication) and through a multicast group.
 */
class VxlanPortTest {
    static final int A = ipv4("10.89.0.1"), B = ipv4("10.89.0.2");
    static final int GROUP = ipv4("239.1.1.1");
    static final long OUR_MAC = 0x02_00_00_00_00_01L;
    private static Namespaces namespaces;
    private static String nsA, nsB;
    private static NetNamespace inA;
    private static long kernelMac, kernelGroupMac;

    @BeforeAll
    static void topology() {
        Requirements.root();
        Requirements.tool("ip");
        Requirements.tool("bridge");
        namespaces = new Namespaces();
        nsA = namespaces.add("vxa");
        nsB = namespaces.add("vxb");
        Namespaces.veth(nsA, "tbl-x0", "10.89.0.1", nsB, "tbl-x1", "10.89.0.2");
        inA = namespaces.enter(nsA);
        Ip b = Ip.in(nsB);
        // Unicast VNI 5000: everything unknown goes to our VTEP (head-end replication list of one).
        b.run("link", "add", "vx0", "type", "vxlan", "id", "5000", "local", "10.89.0.2", "dstport", "4789");
        b.run("addr", "add", "10.0.0.2/24", "dev", "vx0");
        b.run("link", "set", "vx0", "up");
        b.run("neigh", "add", "10.0.0.1", "lladdr", "02:00:00:00:00:01", "dev", "vx0");
        Ip.Result fdb = b.exec("bridge", "fdb", "append", "00:00:00:00:00:00", "dev", "vx0", "dst", "10.89.0.1");
        assertTrue(fdb.ok(), fdb.stderr());
        // Multicast VNI 5001 on group 239.1.1.1.
        b.run("link", "add", "vx1", "type", "vxlan", "id", "5001", "group", "239.1.1.1", "dev", "tbl-x1", "dstport", "4789");
        b.run("addr", "add", "10.1.0.2/24", "dev", "vx1");
        b.run("link", "set", "vx1", "up");
        kernelMac = macOf(b, "vx0");
        kernelGroupMac = macOf(b, "vx1");
    }

    private static long macOf(Ip ns, String dev) {
        String out = ns.run("link", "show", dev);
        String mac = out.substring(out.indexOf("link/ether ") + 11).substring(0, 17);
        return Long.parseLong(mac.replace(":", ""), 16);
    }

    @AfterAll
    static void cleanUp() {
        if (namespaces != null) {
            namespaces.close();
        }
    }

    private static VxlanPort open() {
        return inA.call(() -> VxlanPort.open("vxlan-a", A, VxlanPort.DEFAULT_PORT, "tbl-x0", 1500));
    }

    @Test
    void shouldHaveItsHandBuiltPacketDecapsulatedAndAnsweredByTheKernel() throws Exception {
        try (VxlanPort port = open()) {
            byte[] echo = TestPackets.echoRequest(ipv4("10.0.0.1"), ipv4("10.0.0.2"), 0x77, 1, 56);
            byte[] frame = TestPackets.ethernet(kernelMac, OUR_MAC, 0x0800, echo);
            assertEquals(1, PortProbe.send(port, TestPackets.vxlanDelivery(A, B, 64, 50123, 5000, frame)));

            PortProbe.Received reply = PortProbe.awaitReceived(port, p -> p.length > 8 + 14 + 20
                    && TestPackets.u16(p, 8 + 12) == 0x0800 && p[8 + 14 + 9] == 1 && p[8 + 14 + 20] == 0);
            assertNotNull(reply, "the kernel VTEP did not answer our echo request");
            byte[] p = reply.bytes();
            // What the socket delivered, behind the headroom: the VXLAN header and the inner frame.
            assertEquals(reply.slotBase() + PacketBatch.HEADROOM, reply.offset(), "payload at the headroom");
            assertEquals(0x08, p[0] & 0xff, "VXLAN flags: I bit");
            assertEquals(5000, TestPackets.u32(p, 4) >>> 8, "VNI");
            assertEquals(OUR_MAC, TestPackets.mac(p, 8), "inner frame to our MAC");
            assertTrue(reply.peerPort() > 0, "the kernel's UDP source port as metadata");
            assertEquals(B, reply.peer());
        }
    }

    @Test
    void shouldAnswerTheKernelsPingThroughTheTunnel() throws Exception {
        try (VxlanPort port = open()) {
            CompletableFuture<Ip.Result> ping = CompletableFuture.supplyAsync(
                    () -> Ip.in(nsB).exec("ping", "-c", "1", "-W", "5", "10.0.0.1"));
            PortProbe.Received request = PortProbe.awaitReceived(port, p -> p.length > 22
                    && TestPackets.u16(p, 20) == 0x0800 && TestPackets.isIcmpEchoRequest(p, 22));
            assertNotNull(request, "the kernel's encapsulated echo request did not arrive");
            byte[] p = request.bytes();
            assertTrue(request.peerPort() > 0, "the kernel's source port is kept");
            assertEquals(B, request.peer());
            byte[] ipReply = TestPackets.echoReply(p, 22, p.length - 22);
            byte[] frame = TestPackets.ethernet(kernelMac, OUR_MAC, 0x0800, ipReply);
            assertEquals(1, PortProbe.send(port, TestPackets.vxlanDelivery(A, B, 64, 40000, 5000, frame)));
            Ip.Result result = ping.get();
            assertTrue(result.ok(), "the kernel did not take our encapsulated reply: " + result.stdout() + result.stderr());
        }
    }

    @Test
    void shouldTakeGroupChangesFromAnotherThreadWhileReceiving() throws Exception {
        long fdsBefore = openDescriptors();
        try (VxlanPort port = open()) {
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
            Thread receiver = Thread.ofPlatform().start(() -> {
                PacketBatch batch = PacketBatch.allocate();
                try {
                    while (!stop.get()) {
                        port.awaitReadable(1_000_000L);
                        batch.clear();
                        port.receive(batch);
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            for (int k = 0; k < 100; k++) {
                int group = ipv4("239.3.0." + (k % 10 + 1));
                port.join(group);
                if (k % 3 == 0) {
                    port.leave(group);
                }
                if (k % 25 == 0) {
                    assertTrue(port.reopen());
                }
            }
            stop.set(true);
            assertTrue(receiver.join(java.time.Duration.ofSeconds(20)));
            assertEquals(null, failure.get());
            assertTrue(port.isReceiving());
            // The last change to group i (k = 90 + i) is a leave when k % 3 == 0: i = 0, 3, 6, 9.
            assertEquals(6, port.groups().length, "six groups end joined, once each");
            assertEquals(6, java.util.Arrays.stream(port.groups()).distinct().count());
            for (int g : port.groups()) {
                port.leave(g);
            }
        }
        assertEquals(fdsBefore, openDescriptors(), "no socket left behind");
    }

    private static long openDescriptors() throws java.io.IOException {
        try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void shouldReceiveAndSendThroughAMulticastGroup() throws Exception {
        try (VxlanPort port = open()) {
            port.join(GROUP);
            assertEquals(GROUP, port.groups()[0]);
            // The kernel's ARP request for 10.1.0.1 is flooded to the group.
            CompletableFuture<Ip.Result> ping = CompletableFuture.supplyAsync(
                    () -> Ip.in(nsB).exec("ping", "-c", "1", "-W", "3", "10.1.0.1"));
            // Only the group's socket receives what is sent to the group (IP_MULTICAST_ALL off).
            PortProbe.Received flood = PortProbe.awaitReceived(port, p -> p.length >= 8 + 14 + 28
                    && (TestPackets.u32(p, 4) >>> 8) == 5001 && TestPackets.u16(p, 20) == 0x0806);
            assertNotNull(flood, "no ARP flood on group 239.1.1.1");
            assertEquals(B, flood.peer());
            assertTrue(flood.peerPort() > 0);
            ping.get();

            // Our own flood to the group reaches the kernel VTEP, which answers us by unicast.
            byte[] arp = TestPackets.arp(1, OUR_MAC, ipv4("10.1.0.1"), 0, ipv4("10.1.0.2"));
            byte[] frame = TestPackets.ethernet(0xffff_ffff_ffffL, OUR_MAC, 0x0806, arp);
            assertEquals(1, PortProbe.send(port, TestPackets.vxlanDelivery(A, GROUP, 4, 50000, 5001, frame)));
            PortProbe.Received answer = PortProbe.awaitReceived(port, p -> p.length >= 8 + 14 + 28
                    && TestPackets.u16(p, 20) == 0x0806 && TestPackets.u16(p, 22 + 6) == 2);
            assertNotNull(answer, "the kernel VTEP did not answer our ARP flood");
            assertEquals(B, answer.peer());
            assertEquals(kernelGroupMac, TestPackets.mac(answer.bytes(), 8 + 6));

            port.leave(GROUP);
            assertEquals(0, port.groups().length);
        }
    }
}
