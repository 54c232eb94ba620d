package io.tunnelbox.hal.linux;

import static io.tunnelbox.hal.linux.TestPackets.ipv4;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tunnelbox.hal.port.PacketBatch;
import io.tunnelbox.hal.testing.Requirements;

/**
 * The GRE underlay between two namespaces joined by a veth pair. The kernel here has no GRE
 * module, so the independent peers are tshark (decoding what we send) and scapy (building what
 * we receive).
 */
class GrePortTest {
    static final int A = ipv4("10.88.0.1"), B = ipv4("10.88.0.2");
    private static Namespaces namespaces;
    private static String nsA, nsB;
    private static NetNamespace inA, inB;

    @BeforeAll
    static void topology() {
        Requirements.root();
        Requirements.tool("ip");
        namespaces = new Namespaces();
        nsA = namespaces.add("grea");
        nsB = namespaces.add("greb");
        Namespaces.veth(nsA, "tbl-g0", "10.88.0.1", nsB, "tbl-g1", "10.88.0.2");
        inA = namespaces.enter(nsA);
        inB = namespaces.enter(nsB);
    }

    @AfterAll
    static void cleanUp() {
        if (namespaces != null) {
            namespaces.close();
        }
    }

    private static byte[] delivery() {
        byte[] inner = TestPackets.echoRequest(ipv4("192.168.1.1"), ipv4("192.168.2.1"), 7, 1, 32);
        return TestPackets.greDelivery(A, B, 0xb8, 7, true, 0x0800, 0x1234, inner);
    }

    @Test
    void shouldDeliverTheOuterHeaderExactlyAsBuilt() throws Exception {
        try (GrePort wanA = inA.call(() -> GrePort.open("wan-a", A, "tbl-g0", 1500));
                GrePort wanB = inB.call(() -> GrePort.open("wan-b", B, "tbl-g1", 1500))) {
            byte[] sent = delivery();
            assertEquals(1, PortProbe.send(wanA, sent));
            PortProbe.Received got = PortProbe.awaitReceived(wanB, p -> p[9] == 47 && p[8] == 7 && TestPackets.u32(p, 24) == 0x1234);
            assertNotNull(got, "the GRE packet did not arrive");
            assertArrayEquals(sent, got.bytes(), "TTL, TOS, DF, identification, GRE header and payload as built");
            assertEquals(A, got.peer());
            assertEquals(got.slotBase() + PacketBatch.HEADROOM, got.offset());
            assertEquals(1, wanA.counters().txPackets());
            assertEquals(sent.length, wanA.counters().txBytes());
        }
    }

    @Test
    void shouldGiveEachRoleOnlyItsOwnPayloadsWhenTwoPortsShareTheAddress() throws Exception {
        try (GrePort wanA = inA.call(() -> GrePort.open("wan-a", A, "tbl-g0", 1500));
                GrePort router = inB.call(() -> GrePort.open("gre-router", B, "tbl-g1", 1500, GrePort.Payload.IP));
                GrePort l2 = inB.call(() -> GrePort.open("gre-switch", B, "tbl-g1", 1500, GrePort.Payload.ETHERNET));
                GrePort all = inB.call(() -> GrePort.open("gre-all", B, "tbl-g1", 1500))) {
            // Keys 0x7001-0x7005 tell this test's packets from late ones of other tests.
            byte[] ipv4 = TestPackets.greDelivery(A, B, 0, 64, false, 0x0800, 0x7001, new byte[40]);
            byte[] ipv6 = TestPackets.greDelivery(A, B, 0, 64, false, 0x86dd, 0x7002, new byte[48]);
            byte[] ethernet = TestPackets.greDelivery(A, B, 0, 64, false, 0x6558, 0x7003, new byte[60]);
            byte[] other = TestPackets.greDelivery(A, B, 0, 64, false, 0x0806, 0x7004, new byte[28]);
            // A reflected Cisco keepalive: protocol type 0, no payload; the router must see it.
            byte[] keepalive = TestPackets.greDelivery(A, B, 0, 64, false, 0x0000, 0x7005, new byte[0]);
            PacketBatch batch = PacketBatch.allocate();
            int[] slots = {batch.add(ipv4), batch.add(ethernet), batch.add(ipv6), batch.add(other), batch.add(keepalive)};
            assertEquals(5, wanA.send(batch, slots, 5));

            assertEquals(java.util.List.of(0x0800, 0x86dd, 0x0000), protocols(router, 3));
            assertEquals(java.util.List.of(0x6558), protocols(l2, 1));
            assertEquals(java.util.List.of(0x0800, 0x6558, 0x86dd, 0x0806, 0x0000), protocols(all, 5));
            assertEquals(java.util.List.of(), protocols(router, 0), "nothing else came to the router");
        }
    }

    /** The GRE protocol types received on {@code port}, waiting for {@code expected} of them. */
    private static java.util.List<Integer> protocols(GrePort port, int expected) throws InterruptedException {
        java.util.List<Integer> seen = new java.util.ArrayList<>();
        PacketBatch batch = PacketBatch.allocate();
        for (int round = 0; round < 50 && seen.size() <= expected; round++) {
            if (!port.awaitReadable(seen.size() == expected ? 200_000_000L : 100_000_000L) && seen.size() == expected) {
                break;
            }
            batch.clear();
            port.receive(batch);
            for (int i = 0; i < batch.count(); i++) {
                byte[] p = batch.toArray(i);
                if ((TestPackets.u32(p, 24) & 0xfffffff0) == 0x7000) {
                    seen.add(TestPackets.u16(p, 22));
                }
            }
        }
        return seen;
    }

    @Test
    void shouldCountMalformedPacketsAsDropsInsteadOfSendingThem() {
        try (GrePort wanA = inA.call(() -> GrePort.open("wan-a", A, "tbl-g0", 1500))) {
            byte[] notIpv4 = delivery();
            notIpv4[0] = 0x65;
            byte[] wrongLength = delivery();
            wrongLength[3] -= 1;
            PacketBatch batch = PacketBatch.allocate();
            batch.add(notIpv4);
            batch.add(wrongLength);
            batch.add(new byte[10]);
            assertEquals(0, wanA.send(batch, new int[] {0, 1, 2}, 3));
            assertEquals(3, wanA.counters().txDrops());
            assertEquals(0, wanA.counters().txPackets());
        }
    }

    @Test
    void shouldCountADeliveryPacketLargerThanTheWanMtuInsteadOfFragmentingIt() throws Exception {
        try (GrePort wanA = inA.call(() -> GrePort.open("wan-a", A, "tbl-g0", 1500))) {
            byte[] inner = TestPackets.echoRequest(ipv4("192.168.1.1"), ipv4("192.168.2.1"), 7, 1, 1500);
            byte[] tooBig = TestPackets.greDelivery(A, B, 0, 64, false, 0x0800, 1, inner);
            assertEquals(0, PortProbe.send(wanA, tooBig), "a header-included socket never fragments, even without DF");
            assertEquals(1, wanA.counters().txDrops());
            assertEquals(1, wanA.counters().txErrors());
            assertEquals(1, PortProbe.send(wanA, delivery()), "the next packet goes out");
        }
    }

    @Test
    void shouldBeDecodedByTsharkWithTheTunnelsKeyTtlTosAndDf() throws Exception {
        Requirements.tool("tcpdump");
        Requirements.tool("tshark");
        Path pcap = Files.createTempFile("tbl-gre", ".pcap");
        try (GrePort wanA = inA.call(() -> GrePort.open("wan-a", A, "tbl-g0", 1500))) {
            CompletableFuture<Ip.Result> capture = CompletableFuture.supplyAsync(() -> Ip.in(nsB).exec(
                    "tcpdump", "-i", "tbl-g1", "-c", "1", "-U", "-w", pcap.toString(), "ip", "proto", "47"));
            // tcpdump needs a moment to start listening: send until it has caught one (bounded).
            for (int k = 0; k < 100 && !capture.isDone(); k++) {
                PortProbe.send(wanA, delivery());
                Thread.sleep(100);
            }
            assertTrue(capture.get().ok(), capture.get().stderr());
            Ip.Result decoded = Ip.host().exec("tshark", "-r", pcap.toString(), "-T", "fields", "-E", "separator=,", "-E", "occurrence=f",
                    "-e", "ip.ttl", "-e", "ip.dsfield", "-e", "ip.flags.df", "-e", "gre.key", "-e", "gre.proto",
                    "-e", "icmp.type", "-e", "_ws.malformed");
            assertTrue(decoded.ok(), decoded.stderr());
            assertEquals("7,0xb8,1,0x00001234,0x0800,8,", decoded.stdout().lines().findFirst().orElse(""));
        } finally {
            Files.deleteIfExists(pcap);
        }
    }

    @Test
    void shouldReceiveGreBuiltByScapyWholeWithItsOuterHeader() throws Exception {
        Requirements.tool("ip");
        String python = "/usr/bin/python3";
        try (GrePort wanB = inB.call(() -> GrePort.open("wan-b", B, "tbl-g1", 1500))) {
            Ip.Result sent = Ip.in(nsA).exec(python, "-c",
                    "from scapy.all import IP, GRE, ICMP, send\n"
                    + "send(IP(dst='10.88.0.2', ttl=9, tos=0x20)/GRE(key_present=1, key=4660, proto=0x0800)"
                    + "/IP(src='192.168.1.1', dst='192.168.2.1')/ICMP(), verbose=0)\n");
            assertTrue(sent.ok(), "scapy: " + sent.stderr());
            // (TTL 9 tells scapy's packet from a late one of another test.)
            PortProbe.Received got = PortProbe.awaitReceived(wanB, p -> p[9] == 47 && p[8] == 9);
            assertNotNull(got, "scapy's GRE packet did not arrive");
            byte[] p = got.bytes();
            assertEquals(0x45, p[0] & 0xff, "the outer IPv4 header is part of the packet");
            assertEquals(0x20, p[1]);
            assertEquals(A, TestPackets.u32(p, 12));
            assertEquals(B, TestPackets.u32(p, 16));
            assertEquals(p.length, TestPackets.u16(p, 2));
            assertEquals(0x2000, TestPackets.u16(p, 20), "K bit, version 0");
            assertEquals(0x0800, TestPackets.u16(p, 22));
            assertEquals(4660, TestPackets.u32(p, 24));
            assertTrue(TestPackets.isIcmpEchoRequest(p, 28));
            assertEquals(A, got.peer());
        }
    }
}
