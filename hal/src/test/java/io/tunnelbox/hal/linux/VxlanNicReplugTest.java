package io.tunnelbox.hal.linux;

import static io.tunnelbox.hal.linux.TestPackets.ipv4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.tunnelbox.hal.testing.Requirements;

/**
 * A WAN NIC that disappears and comes back under the same name (a USB NIC re-enumerating) gets a
 * new interface index: after {@link UnderlayPort#reopen()} the port is a member of its group on
 * the new interface and its multicast floods leave through it, both ways checked against the
 * kernel's own VTEP.
 */
class VxlanNicReplugTest {
    static final int A = ipv4("10.88.0.1"), B = ipv4("10.88.0.2");
    static final int GROUP = ipv4("239.1.1.2");
    static final long OUR_MAC = 0x02_00_00_00_00_01L;

    @Test
    void shouldFollowAReCreatedWanNicWithItsGroupAndItsFloods() throws Exception {
        Requirements.root();
        Requirements.tool("ip");
        try (Namespaces namespaces = new Namespaces()) {
            String nsA = namespaces.add("rpa");
            String nsB = namespaces.add("rpb");
            NetNamespace inA = namespaces.enter(nsA);
            plug(nsA, nsB);
            try (VxlanPort port = inA.call(() -> VxlanPort.open("vxlan-a", A, VxlanPort.DEFAULT_PORT, "tbl-r0", 1500))) {
                port.join(GROUP);
                int before = Ip.in(nsA).run("link", "show", "tbl-r0").contains(":") ? indexOf(nsA) : 0;

                Ip.in(nsA).run("link", "del", "tbl-r0"); // the USB NIC goes away (its peer and B's VTEP with it)
                Ip.in(nsB).exec("ip", "link", "del", "vx1");
                plug(nsA, nsB); // and comes back under the same name, as a new interface
                assertTrue(indexOf(nsA) != before, "a new interface index");

                assertTrue(port.reopen());
                assertFloodsBothWays(port, nsB);
                port.leave(GROUP);
            }
        }
    }

    private static void plug(String nsA, String nsB) {
        Namespaces.veth(nsA, "tbl-r0", "10.88.0.1", nsB, "tbl-r1", "10.88.0.2");
        Ip b = Ip.in(nsB);
        b.run("link", "add", "vx1", "type", "vxlan", "id", "5001", "group", "239.1.1.2", "dev", "tbl-r1", "dstport", "4789");
        b.run("addr", "add", "10.1.0.2/24", "dev", "vx1");
        b.run("link", "set", "vx1", "up");
    }

    private static int indexOf(String ns) {
        String out = Ip.in(ns).run("-o", "link", "show", "tbl-r0");
        return Integer.parseInt(out.substring(0, out.indexOf(':')).strip());
    }

    private static void assertFloodsBothWays(VxlanPort port, String nsB) throws Exception {
        // The kernel VTEP's ARP flood to the group reaches us: our membership is on the new NIC.
        CompletableFuture<Ip.Result> ping = CompletableFuture.supplyAsync(
                () -> Ip.in(nsB).exec("ping", "-c", "1", "-W", "3", "10.1.0.1"));
        PortProbe.Received flood = PortProbe.awaitReceived(port, p -> p.length >= 8 + 14 + 28
                && (TestPackets.u32(p, 4) >>> 8) == 5001 && TestPackets.u16(p, 20) == 0x0806);
        assertNotNull(flood, "no ARP flood from the group after the NIC came back");
        assertEquals(B, flood.peer());
        ping.get();
        // Our flood to the group leaves through the new NIC and the kernel VTEP answers it.
        byte[] arp = TestPackets.arp(1, OUR_MAC, ipv4("10.1.0.1"), 0, ipv4("10.1.0.2"));
        byte[] frame = TestPackets.ethernet(0xffff_ffff_ffffL, OUR_MAC, 0x0806, arp);
        assertEquals(1, PortProbe.send(port, TestPackets.vxlanDelivery(A, GROUP, 4, 50000, 5001, frame)));
        PortProbe.Received answer = PortProbe.awaitReceived(port, p -> p.length >= 8 + 14 + 28
                && TestPackets.u16(p, 20) == 0x0806 && TestPackets.u16(p, 22 + 6) == 2);
        assertNotNull(answer, "our multicast flood did not leave through the re-created NIC");
        assertEquals(B, answer.peer());
    }
}
