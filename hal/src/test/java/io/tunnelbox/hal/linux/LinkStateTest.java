package io.tunnelbox.hal.linux;

import static io.tunnelbox.hal.linux.TestPackets.ipv4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tunnelbox.hal.port.PacketBatch;
import io.tunnelbox.hal.port.PacketPort;
import io.tunnelbox.hal.testing.Requirements;

/**
 * WAN link flaps and address changes (as a DHCP renewal makes them) must not leave the underlay
 * ports dead: traffic resumes by itself, sends in between are counted errors, never exceptions.
 */
class LinkStateTest {
    static final int A = ipv4("10.91.0.1"), A2 = ipv4("10.91.0.3"), B = ipv4("10.91.0.2");
    static final int GROUP = ipv4("239.2.2.2");
    private Namespaces namespaces;
    private String nsA;
    private NetNamespace inA, inB;

    @BeforeEach
    void topology() {
        Requirements.root();
        Requirements.tool("ip");
        namespaces = new Namespaces();
        nsA = namespaces.add("lsa");
        String nsB = namespaces.add("lsb");
        Namespaces.veth(nsA, "tbl-l0", "10.91.0.1", nsB, "tbl-l1", "10.91.0.2");
        inA = namespaces.enter(nsA);
        inB = namespaces.enter(nsB);
    }

    @AfterEach
    void cleanUp() {
        if (namespaces != null) {
            namespaces.close();
        }
    }

    private static byte[] gre(int src, int dst) {
        return TestPackets.greDelivery(src, dst, 0, 64, false, 0x6558, 99, new byte[60]);
    }

    private static byte[] vxlan(int src, int dst) {
        return TestPackets.vxlanDelivery(src, dst, 8, 51000, 5000, new byte[60]);
    }

    /** Sends {@code packet} up to {@code attempts} times until {@code to} receives it. */
    private static boolean delivered(PacketPort from, PacketPort to, byte[] packet, int attempts) throws InterruptedException {
        PacketBatch batch = PacketBatch.allocate();
        int src = TestPackets.u32(packet, 12);
        int dst = TestPackets.u32(packet, 16);
        // A VXLAN port hands over the UDP payload, the sender as metadata; its socket is bound to dst.
        boolean payloadOnly = to.layer() == PacketPort.Layer.UDP_PAYLOAD;
        byte[] payload = java.util.Arrays.copyOfRange(packet, 28, packet.length);
        for (int attempt = 0; attempt < attempts; attempt++) {
            PortProbe.send(from, packet);
            for (int round = 0; round < 3; round++) {
                to.awaitReadable(100_000_000L);
                batch.clear();
                to.receive(batch);
                for (int i = 0; i < batch.count(); i++) {
                    byte[] got = batch.toArray(i);
                    boolean match = payloadOnly
                            ? java.util.Arrays.equals(got, payload) && batch.peer(i) == src
                            : got.length == packet.length && TestPackets.u32(got, 16) == dst && got[9] == packet[9];
                    if (match) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    @Test
    void shouldCarryTrafficAgainAfterTheWanLinkWentDownAndUp() throws Exception {
        try (GrePort greA = inA.call(() -> GrePort.open("gre-a", A, "tbl-l0", 1500));
                GrePort greB = inB.call(() -> GrePort.open("gre-b", B, "tbl-l1", 1500));
                VxlanPort vxA = inA.call(() -> VxlanPort.open("vx-a", A, 4789, "tbl-l0", 1500));
                VxlanPort vxB = inB.call(() -> VxlanPort.open("vx-b", B, 4789, "tbl-l1", 1500))) {
            vxA.join(GROUP);
            assertTrue(delivered(greB, greA, gre(B, A), 5));
            assertTrue(delivered(vxB, vxA, vxlan(B, GROUP), 5), "multicast before the flap");

            Ip.in(nsA).run("link", "set", "tbl-l0", "down");
            assertEquals(0, PortProbe.send(greA, gre(A, B)), "no route while the link is down");
            assertEquals(0, PortProbe.send(vxA, vxlan(A, B)));
            assertTrue(greA.counters().txErrors() >= 1 && vxA.counters().txErrors() >= 1, "the failures are counted");
            Ip.in(nsA).run("link", "set", "tbl-l0", "up");

            assertTrue(delivered(greA, greB, gre(A, B), 30), "GRE out after the flap");
            assertTrue(delivered(greB, greA, gre(B, A), 30), "GRE in after the flap");
            assertTrue(delivered(vxA, vxB, vxlan(A, B), 30), "VXLAN out after the flap");
            assertTrue(delivered(vxB, vxA, vxlan(B, A), 30), "VXLAN in after the flap");
            assertTrue(delivered(vxB, vxA, vxlan(B, GROUP), 30), "multicast group membership survived the flap");
        }
    }

    @Test
    void shouldCarryTrafficAgainAfterTheAddressWasRemovedAndAddedBack() throws Exception {
        try (GrePort greA = inA.call(() -> GrePort.open("gre-a", A, "tbl-l0", 1500));
                GrePort greB = inB.call(() -> GrePort.open("gre-b", B, "tbl-l1", 1500));
                VxlanPort vxA = inA.call(() -> VxlanPort.open("vx-a", A, 4789, "tbl-l0", 1500));
                VxlanPort vxB = inB.call(() -> VxlanPort.open("vx-b", B, 4789, "tbl-l1", 1500))) {
            assertTrue(delivered(vxB, vxA, vxlan(B, A), 5));

            Ip.in(nsA).run("addr", "del", "10.91.0.1/24", "dev", "tbl-l0");
            assertEquals(0, PortProbe.send(vxA, vxlan(A, B)), "no route without the address");
            assertTrue(vxA.counters().txErrors() >= 1);
            Ip.in(nsA).run("addr", "add", "10.91.0.1/24", "dev", "tbl-l0");

            assertTrue(delivered(greB, greA, gre(B, A), 30), "GRE in after the address came back");
            assertTrue(delivered(vxB, vxA, vxlan(B, A), 30), "VXLAN in after the address came back");
            assertTrue(delivered(greA, greB, gre(A, B), 30), "GRE out after the address came back");
            assertTrue(delivered(vxA, vxB, vxlan(A, B), 30), "VXLAN out after the address came back");
            assertEquals(0, vxA.rebinds() + greA.rebinds(), "Linux keeps a socket bound to an address that went and came back");
        }
    }

    @Test
    void shouldBindByItselfWhenTheAddressAppearsAfterThePortOpened() throws Exception {
        Ip.in(nsA).run("addr", "del", "10.91.0.1/24", "dev", "tbl-l0");
        try (GrePort greA = inA.call(() -> GrePort.open("gre-a", A, "tbl-l0", 1500));
                GrePort greB = inB.call(() -> GrePort.open("gre-b", B, "tbl-l1", 1500));
                VxlanPort vxA = inA.call(() -> VxlanPort.open("vx-a", A, 4789, "tbl-l0", 1500));
                VxlanPort vxB = inB.call(() -> VxlanPort.open("vx-b", B, 4789, "tbl-l1", 1500))) {
            vxA.join(GROUP);
            assertFalse(greA.isReceiving(), "no address yet, so nothing bound: booting before DHCP answered");
            assertFalse(vxA.isReceiving());
            assertEquals(1, vxA.counters().rxErrors());
            assertEquals(0, vxA.receive(PacketBatch.allocate()));

            Ip.in(nsA).run("addr", "add", "10.91.0.1/24", "dev", "tbl-l0");
            assertTrue(delivered(greB, greA, gre(B, A), 30), "GRE bound itself once the address appeared");
            assertTrue(delivered(vxB, vxA, vxlan(B, A), 30), "VXLAN bound itself once the address appeared");
            assertTrue(delivered(vxB, vxA, vxlan(B, GROUP), 30), "and joined its group then");
            assertTrue(greA.isReceiving() && vxA.isReceiving());
            assertTrue(vxA.rebinds() >= 1);
        }
    }

    @Test
    void shouldRejoinItsGroupsOnReopenAfterTheWanNicWasRecreated() throws Exception {
        try (VxlanPort vxA = inA.call(() -> VxlanPort.open("vx-a", A, 4789, "tbl-l0", 1500));
                VxlanPort vxB = inB.call(() -> VxlanPort.open("vx-b", B, 4789, "tbl-l1", 1500))) {
            vxA.join(GROUP);
            assertTrue(delivered(vxB, vxA, vxlan(B, GROUP), 5));

            // A USB NIC unplugged and plugged back: a new device (new index) with the same name and address.
            Ip.in(nsA).run("link", "delete", "tbl-l0");
            String nsB2 = namespaces.add("lsb2");
            Namespaces.veth(nsA, "tbl-l0", "10.91.0.1", nsB2, "tbl-l1", "10.91.0.2");
            assertFalse(delivered(vxB, vxA, vxlan(B, A), 1), "B's end went with the old pair");
            try (NetNamespace inB2 = NetNamespace.named(nsB2);
                    VxlanPort vxB2 = inB2.call(() -> VxlanPort.open("vx-b2", B, 4789, "tbl-l1", 1500))) {
                assertFalse(delivered(vxB2, vxA, vxlan(B, GROUP), 2), "the membership went with the old NIC");
                assertTrue(vxA.reopen());
                assertTrue(delivered(vxB2, vxA, vxlan(B, A), 30), "unicast on the kept socket");
                assertTrue(delivered(vxB2, vxA, vxlan(B, GROUP), 30), "the group was joined again on the new NIC");
                assertTrue(delivered(vxA, vxB2, vxlan(A, B), 30));
            }
        }
    }

    @Test
    void shouldRebindToTheNewAddressADhcpRenewalGave() throws Exception {
        try (VxlanPort vxA = inA.call(() -> VxlanPort.open("vx-a", A, 4789, "tbl-l0", 1500));
                VxlanPort vxB = inB.call(() -> VxlanPort.open("vx-b", B, 4789, "tbl-l1", 1500))) {
            // (In this order: deleting a primary address also deletes the secondaries of its subnet.)
            Ip.in(nsA).run("addr", "del", "10.91.0.1/24", "dev", "tbl-l0");
            Ip.in(nsA).run("addr", "add", "10.91.0.3/24", "dev", "tbl-l0");
            assertFalse(delivered(vxB, vxA, vxlan(B, A2), 2), "still bound to the old address");

            assertTrue(vxA.rebind(A2));
            assertEquals(A2, vxA.localAddress());
            PortProbe.send(vxB, vxlan(B, A2));
            PortProbe.Received got = PortProbe.awaitReceived(vxA, p -> p.length == 8 + 60 && (TestPackets.u32(p, 4) >>> 8) == 5000);
            assertTrue(got != null && got.peer() == B, "received on the new address");

            assertFalse(vxA.rebind(ipv4("10.91.0.77")), "an address the host does not have");
            assertFalse(vxA.isReceiving());
            assertTrue(vxA.counters().rxErrors() >= 1);
        }
    }
}
