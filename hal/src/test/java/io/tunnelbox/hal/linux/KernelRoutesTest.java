package io.tunnelbox.hal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;


class KernelRoutesTest {
    @RegisterExtension
    static final TestNamespace NET = new TestNamespace("routes");

    @Test
    void shouldSendTheRemoteLanIntoTheTunAndRemoveExactlyItsRoutes() throws Exception {
        Ip ip = NET.ip();
        try (TunPort tun = NET.in().call(() -> TunPort.open("tblrt0", 1400))) {
            tun.setUp(true);
            ip.run("addr", "add", "10.90.0.1/30", "dev", "tblrt0");
            ip.run("route", "add", "10.99.0.0/24", "dev", "tblrt0"); // somebody else's route
            try (KernelRoutes routes = new KernelRoutes(ip)) {
                routes.add("192.168.2.0/24", "tblrt0");
                routes.add("2001:db8:2::/64", "tblrt0");
                routes.add("192.168.2.0/24", "tblrt0"); // twice is once
                assertEquals(List.of(new KernelRoutes.Route("192.168.2.0/24", "tblrt0"),
                        new KernelRoutes.Route("2001:db8:2::/64", "tblrt0")), routes.installed());
                assertTrue(ip.run("route", "get", "192.168.2.7").contains("dev tblrt0"));
                assertTrue(ip.run("-6", "route", "show", "2001:db8:2::/64").contains("proto 84"));

                // Real traffic for the remote LAN now comes out of the TUN device.
                ip.exec("ping", "-c", "1", "-W", "1", "192.168.2.7");
                byte[] packet = PortProbe.await(tun, p -> TestPackets.isIcmpEchoRequest(p, 0));
                assertNotNull(packet, "the route did not send the ping into the TUN device");
                assertEquals(TestPackets.ipv4("192.168.2.7"), TestPackets.u32(packet, 16));

                assertTrue(routes.remove("2001:db8:2::/64", "tblrt0"));
                assertFalse(routes.remove("10.99.0.0/24", "tblrt0"), "not ours to remove");
                assertEquals("", ip.run("-6", "route", "show", "2001:db8:2::/64").strip());
            }
            assertEquals("", ip.run("route", "show", "192.168.2.0/24").strip(), "close removed our route");
            assertTrue(ip.run("route", "show", "10.99.0.0/24").contains("tblrt0"), "and left the others alone");
        }
    }

    @Test
    void shouldRemoveRoutesLeftByAnEarlierRunThatDidNotClose() throws Exception {
        Ip ip = NET.ip();
        try (TunPort tun = NET.in().call(() -> TunPort.open("tblrt1", 1400))) {
            tun.setUp(true);
            KernelRoutes crashed = new KernelRoutes(ip);
            crashed.add("192.168.3.0/24", "tblrt1");
            crashed.add("192.168.4.0/24", "tblrt1");
            assertEquals(2, KernelRoutes.removeStale(ip));
            assertEquals("", ip.run("route", "show", "proto", KernelRoutes.PROTOCOL).strip());
            assertEquals(0, KernelRoutes.removeStale(ip));
        }
    }

    @Test
    void shouldSayWhatIsWrongWithABadPrefixOrDevice() {
        KernelRoutes routes = new KernelRoutes(NET.ip());
        assertEquals("route prefix needs a length: \"192.168.2.0\"",
                assertThrows(IllegalArgumentException.class, () -> routes.add("192.168.2.0", "x")).getMessage());
        assertEquals("\"300.1.1.1\" is not an IPv4 address",
                assertThrows(IllegalArgumentException.class, () -> routes.add("300.1.1.1/24", "x")).getMessage());
        Ip.CommandException e = assertThrows(Ip.CommandException.class, () -> routes.add("192.168.5.0/24", "tbl-nodev"));
        assertTrue(e.getMessage().contains("route replace 192.168.5.0/24 dev tbl-nodev"), e.getMessage());
        assertTrue(routes.installed().isEmpty());
    }
}
