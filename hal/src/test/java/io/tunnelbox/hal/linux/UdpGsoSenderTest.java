package io.tunnelbox.hal.linux;

import static io.tunnelbox.hal.linux.TestPackets.ipv4;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tunnelbox.hal.port.PacketBatch;
import io.tunnelbox.hal.testing.PcapFile;
import io.tunnelbox.hal.testing.Requirements;

/**
 * A run of VXLAN delivery packets of one flow leaves a VXLAN port with UDP segmentation as the
 * very datagrams the engine built: the far end's socket receives each payload, in order, the
 * shorter last one included, from the engine's source port, and the veth carried the run with the
 * outer TTL, TOS and DF the engine set (root; namespaces {@code tbl-gsa-*}, {@code tbl-gsb-*}).
 */
class UdpGsoSenderTest {
    static final int A = ipv4("10.88.0.1"), B = ipv4("10.88.0.2");
    private static Namespaces namespaces;
    private static String nsA, nsB;
    private static NetNamespace inA;

    @BeforeAll
    static void topology() {
        Requirements.root();
        Requirements.tool("ip");
        Requirements.tool("tcpdump");
        namespaces = new Namespaces();
        nsA = namespaces.add("gsa");
        nsB = namespaces.add("gsb");
        Namespaces.veth(nsA, "tbl-u0", "10.88.0.1", nsB, "tbl-u1", "10.88.0.2");
        inA = namespaces.enter(nsA);
        Ip.in(nsA).exec("ping", "-c", "1", "-W", "2", "10.88.0.2"); // neighbour known before the run
    }

    @AfterAll
    static void cleanUp() {
        if (namespaces != null) {
            namespaces.close();
        }
    }

    @Test
    void shouldSendARunAsTheDatagramsTheEngineBuilt() throws Exception {
        PacketBatch batch = PacketBatch.allocate();
        int n = 10;
        List<byte[]> sent = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            byte[] frame = new byte[k == n - 1 ? 300 : 1000];
            Arrays.fill(frame, (byte) k);
            byte[] p = TestPackets.vxlanDelivery(A, B, 33, 50123, 5000, frame);
            TestPackets.ipv4Header(p, 0, 0xb8, p.length, 33, 17, A, B, true);
            sent.add(p);
            batch.add(p);
        }
        int[] slots = new int[n];
        Arrays.setAll(slots, k -> k);
        Path pcap = Files.createTempFile("tbl-gso", ".pcap");
        Process dump = new ProcessBuilder("ip", "netns", "exec", nsB, "tcpdump", "-i", "tbl-u1", "-Q", "in", "-U", "-n",
                "-w", pcap.toString(), "udp port 4789").redirectErrorStream(true).start();
        try (VxlanPort port = inA.call(() -> VxlanPort.open("vx-gso", A, 4789, "tbl-u0", 1500, true));
                VxlanPort far = namespaces.enter(nsB).call(() -> VxlanPort.open("vx-far", B, 4789, "tbl-u1", 1500))) {
            assertTrue(port.udpSegmentation());
            Thread.sleep(1500);
            assertEquals(n, port.send(batch, slots, n));
            assertEquals(n, port.counters().txPackets());
            String sockets = Ip.in(nsA).exec("ss", "-u", "-a", "-n").stdout();
            assertTrue(sockets.contains("10.88.0.1:50123"), "the run left through a UDP socket bound to its source port:\n" + sockets);

            // The far end's socket gets the datagrams the engine built, in order, from its source port.
            PacketBatch in = PacketBatch.allocate();
            for (int round = 0; round < 50 && in.count() < n; round++) {
                far.awaitReadable(100_000_000L);
                far.receive(in);
            }
            assertEquals(n, in.count(), "datagrams received");
            for (int k = 0; k < n; k++) {
                byte[] ours = sent.get(k);
                assertArrayEquals(Arrays.copyOfRange(ours, 28, ours.length), in.toArray(k), "VXLAN header and frame of datagram " + k);
                assertEquals(A, in.peer(k));
                assertEquals(50123, in.peerPort(k), "the engine's per-flow source port");
            }

            // On the veth the run is one super-packet (segmented only at the far socket), with the
            // outer header the engine asked for.
            List<byte[]> wire = List.of();
            for (int round = 0; round < 30 && wire.isEmpty(); round++) {
                Thread.sleep(100);
                wire = PcapFile.packets(pcap);
            }
            assertTrue(!wire.isEmpty(), "captured on the veth");
            byte[] outer = Arrays.copyOfRange(wire.get(0), 14, wire.get(0).length);
            assertEquals(0xb8, outer[1] & 0xff, "TOS");
            assertEquals(0x4000, TestPackets.u16(outer, 6) & 0x4000, "DF");
            assertEquals(33, outer[8] & 0xff, "TTL");
            assertEquals(A, TestPackets.u32(outer, 12));
            assertEquals(B, TestPackets.u32(outer, 16));
            assertEquals(50123, TestPackets.u16(outer, 20));
            assertEquals(4789, TestPackets.u16(outer, 22));
            int bytes = wire.stream().mapToInt(w -> w.length - 14 - 28).sum();
            assertEquals(sent.stream().mapToInt(x -> x.length - 28).sum(), bytes, "every payload byte crossed the veth");
        } finally {
            dump.destroy();
            dump.waitFor(5, TimeUnit.SECONDS);
            Files.deleteIfExists(pcap);
        }
    }
}
