package io.tunnelbox.hal.linux;

import static io.tunnelbox.hal.linux.TestPackets.ipv4;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tunnelbox.hal.port.PacketBatch;
import io.tunnelbox.hal.testing.Requirements;

/**
 * A VXLAN port with UDP_GRO takes a UDP_SEGMENT run in one read and hands it on as the datagrams
 * the sender built: in order, the short last one included, each with the sender's address and
 * port; what does not fit into the batch waits in the port, not in the socket (root; namespaces
 * {@code tbl-gra-*}, {@code tbl-grb-*}).
 */
class UdpGroReceiverTest {
    static final int A = ipv4("10.89.0.1"), B = ipv4("10.89.0.2");
    private static Namespaces namespaces;
    private static String nsA, nsB;

    @BeforeAll
    static void topology() {
        Requirements.root();
        Requirements.tool("ip");
        namespaces = new Namespaces();
        nsA = namespaces.add("gra");
        nsB = namespaces.add("grb");
        Namespaces.veth(nsA, "tbl-g0", "10.89.0.1", nsB, "tbl-g1", "10.89.0.2");
        Ip.in(nsA).exec("ping", "-c", "1", "-W", "2", "10.89.0.2"); // neighbour known before the run
    }

    @AfterAll
    static void cleanUp() {
        if (namespaces != null) {
            namespaces.close();
        }
    }

    /** {@code n} delivery packets of one flow, 1000-byte frames and a 300-byte last one. */
    private static List<byte[]> run(int n, int sourcePort) {
        List<byte[]> sent = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            byte[] frame = new byte[k == n - 1 ? 300 : 1000];
            Arrays.fill(frame, (byte) (k + 1));
            byte[] p = TestPackets.vxlanDelivery(A, B, 64, sourcePort, 5000, frame);
            TestPackets.ipv4Header(p, 0, 0, p.length, 64, 17, A, B, true);
            sent.add(p);
        }
        return sent;
    }

    private static int send(VxlanPort port, List<byte[]> packets) {
        PacketBatch batch = PacketBatch.allocate();
        packets.forEach(batch::add);
        int[] slots = new int[packets.size()];
        Arrays.setAll(slots, k -> k);
        return port.send(batch, slots, packets.size());
    }

    @Test
    void shouldTakeARunInOneReadAndHandOnItsDatagrams() throws Exception {
        int n = 10;
        List<byte[]> sent = run(n, 50321);
        try (VxlanPort near = namespaces.enter(nsA).call(() -> VxlanPort.open("vx-uso", A, 4789, "tbl-g0", 1500, true));
                VxlanPort far = namespaces.enter(nsB).call(() -> VxlanPort.open("vx-uro", B, 4789, "tbl-g1", 1500, false, true))) {
            assertTrue(near.udpSegmentation());
            assertTrue(far.udpGro(), "this kernel grants UDP_GRO");
            assertEquals(n, send(near, sent));
            assertTrue(far.awaitReadable(2_000_000_000L), "the run arrived");

            // A batch with room for three: the rest of the run must wait in the port.
            PacketBatch in = PacketBatch.allocate();
            while (in.count() < PacketBatch.CAPACITY - 3) {
                in.add(new byte[1]);
            }
            int first = PacketBatch.CAPACITY - 3;
            assertEquals(3, far.receive(in));
            assertFalse(far.awaitReadable(0), "the socket is empty: the whole run came in one read");
            PacketBatch rest = PacketBatch.allocate();
            assertEquals(n - 3, far.receive(rest));
            assertEquals(n, far.counters().rxPackets());

            List<byte[]> got = new ArrayList<>();
            for (int k = first; k < in.count(); k++) {
                got.add(in.toArray(k));
                assertEquals(A, in.peer(k));
                assertEquals(50321, in.peerPort(k), "the sender's source port");
            }
            for (int k = 0; k < rest.count(); k++) {
                got.add(rest.toArray(k));
                assertEquals(A, rest.peer(k));
                assertEquals(50321, rest.peerPort(k));
            }
            for (int k = 0; k < n; k++) {
                byte[] ours = sent.get(k);
                assertArrayEquals(Arrays.copyOfRange(ours, 28, ours.length), got.get(k), "VXLAN header and frame of datagram " + k);
            }
            assertEquals(0, far.receive(PacketBatch.allocate()), "nothing left");
        }
    }

    @Test
    void shouldHandOnSingleDatagramsAsTheyCame() throws Exception {
        // Two packets are too few for a UDP_SEGMENT run: they leave one by one through the raw socket.
        List<byte[]> sent = run(2, 50400);
        try (VxlanPort near = namespaces.enter(nsA).call(() -> VxlanPort.open("vx-raw", A, 4789, "tbl-g0", 1500, true));
                VxlanPort far = namespaces.enter(nsB).call(() -> VxlanPort.open("vx-uro", B, 4789, "tbl-g1", 1500, false, true))) {
            assertEquals(2, send(near, sent));
            PacketBatch in = PacketBatch.allocate();
            for (int round = 0; round < 20 && in.count() < 2; round++) {
                far.awaitReadable(100_000_000L);
                far.receive(in);
            }
            assertEquals(2, in.count());
            for (int k = 0; k < 2; k++) {
                byte[] ours = sent.get(k);
                assertArrayEquals(Arrays.copyOfRange(ours, 28, ours.length), in.toArray(k));
                assertEquals(50400, in.peerPort(k));
            }
        }
    }
}
