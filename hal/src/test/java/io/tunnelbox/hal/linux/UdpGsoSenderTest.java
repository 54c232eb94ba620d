package io.tunnelbox.hal.linux;

import static io.tunnelbox.hal.linux.TestPackets.ipv4;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
import io.tunnelbox.hal.testing.Requirements;

/**
 * A run of VXLAN delivery packets of one flow leaves a VXLAN port with UDP segmentation as the
 * very datagrams the engine built: what the far end captures has each packet's outer addresses,
 * ports, TTL, TOS, DF and payload, in order, the shorter last one included (root; namespaces
 * {@code tbl-gsa-*}, {@code tbl-gsb-*}).
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
        try (VxlanPort port = inA.call(() -> VxlanPort.open("vx-gso", A, 4789, "tbl-u0", 1500, true))) {
            assertTrue(port.udpSegmentation());
            Thread.sleep(1500);
            assertEquals(n, port.send(batch, slots, n));
            assertEquals(n, port.counters().txPackets());
            String sockets = Ip.in(nsA).exec("ss", "-u", "-a", "-n").stdout();
            assertTrue(sockets.contains("10.88.0.1:50123"), "the run left through a UDP socket bound to its source port:\n" + sockets);
            List<byte[]> wire = List.of();
            for (int round = 0; round < 50 && wire.size() < n; round++) {
                Thread.sleep(100);
                wire = read(pcap);
            }
            assertEquals(n, wire.size(), "datagrams on the wire");
            for (int k = 0; k < n; k++) {
                byte[] ours = sent.get(k);
                byte[] theirs = Arrays.copyOfRange(wire.get(k), 14, wire.get(k).length);
                assertEquals(ours.length, theirs.length, "datagram " + k);
                assertEquals(0xb8, theirs[1] & 0xff, "TOS");
                assertEquals(0x4000, TestPackets.u16(theirs, 6) & 0x4000, "DF");
                assertEquals(33, theirs[8] & 0xff, "TTL");
                assertEquals(A, TestPackets.u32(theirs, 12));
                assertEquals(B, TestPackets.u32(theirs, 16));
                assertEquals(50123, TestPackets.u16(theirs, 20), "the engine's per-flow source port");
                assertEquals(4789, TestPackets.u16(theirs, 22));
                assertEquals(ours.length - 20, TestPackets.u16(theirs, 24), "UDP length");
                assertArrayEquals(Arrays.copyOfRange(ours, 28, ours.length), Arrays.copyOfRange(theirs, 28, theirs.length),
                        "VXLAN header and frame of datagram " + k);
            }
        } finally {
            dump.destroy();
            dump.waitFor(5, TimeUnit.SECONDS);
            Files.deleteIfExists(pcap);
        }
    }

    /** The packets of a classic pcap file (what tcpdump -w writes), oldest first. */
    private static List<byte[]> read(Path pcap) throws IOException {
        byte[] all = Files.readAllBytes(pcap);
        List<byte[]> packets = new ArrayList<>();
        if (all.length < 24) {
            return packets;
        }
        ByteBuffer b = ByteBuffer.wrap(all);
        b.order(b.getInt(0) == 0xa1b2c3d4 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int at = 24;
        while (at + 16 <= all.length) {
            int captured = b.getInt(at + 8);
            if (at + 16 + captured > all.length) {
                break;
            }
            packets.add(Arrays.copyOfRange(all, at + 16, at + 16 + captured));
            at += 16 + captured;
        }
        return packets;
    }
}
