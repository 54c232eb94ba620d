package io.tunnelbox.hal.linux;

import static io.tunnelbox.hal.linux.TestPackets.ipv4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.tunnelbox.hal.testing.Requirements;

/** A LAN host pings an address that only our TAP answers: the bridge must carry ARP and IP both ways. */
class LanBridgeTest {

    @Test
    void shouldCarryLanTrafficToTheTapAndBackAndUndoItAllOnClose() throws Exception {
        Requirements.root();
        Requirements.tool("ip");
        try (Namespaces namespaces = new Namespaces()) {
            String box = namespaces.add("brbox");
            String host = namespaces.add("brhost");
            Ip.in(box).run("link", "add", "tbl-lan0", "type", "veth", "peer", "name", "tbl-h0", "netns", host);
            Ip.in(host).run("addr", "add", "10.50.0.1/24", "dev", "tbl-h0");
            Ip.in(host).run("link", "set", "tbl-h0", "up");
            long siteMac = 0x02_00_00_00_50_63L;
            // br_netfilter's switches as a new namespace has them (absent in a kernel without it).
            java.util.Map<String, String> netfilter = new java.util.HashMap<>();
            for (String key : LanBridge.BRIDGE_NETFILTER) {
                Ip.Result had = Ip.in(box).exec("sysctl", "-n", key);
                if (had.ok()) {
                    netfilter.put(key, had.stdout().strip());
                }
            }
            try (TapPort tap = namespaces.enter(box).call(() -> TapPort.open("tblbrtap", 1500));
                    LanBridge bridge = LanBridge.attach(Ip.in(box), "tbl-br0", "tbl-lan0", "tblbrtap")) {
                assertTrue(Ip.in(box).run("link", "show", "tbl-lan0").contains("master tbl-br0"));
                assertTrue(tap.isUp());
                CompletableFuture<Ip.Result> ping = CompletableFuture.supplyAsync(
                        () -> Ip.in(host).exec("ping", "-c", "1", "-W", "5", "10.50.0.99"));

                byte[] arp = PortProbe.await(tap, f -> TestPackets.u16(f, 12) == 0x0806
                        && TestPackets.u32(f, 14 + 24) == ipv4("10.50.0.99"));
                assertNotNull(arp, "the LAN host's ARP request did not cross the bridge");
                long hostMac = TestPackets.mac(arp, 6);
                assertEquals(1, PortProbe.send(tap, TestPackets.ethernet(hostMac, siteMac, 0x0806,
                        TestPackets.arp(2, siteMac, ipv4("10.50.0.99"), hostMac, ipv4("10.50.0.1")))));
                byte[] echo = PortProbe.await(tap, f -> TestPackets.u16(f, 12) == 0x0800 && TestPackets.isIcmpEchoRequest(f, 14));
                assertNotNull(echo, "no echo request after our ARP reply");
                byte[] reply = TestPackets.echoReply(echo, 14, echo.length - 14);
                assertEquals(1, PortProbe.send(tap, TestPackets.ethernet(hostMac, siteMac, 0x0800, reply)));
                Ip.Result result = ping.get();
                assertTrue(result.ok(), "the LAN host got no reply through the bridge: " + result.stdout());
                assertEquals("tbl-br0", bridge.bridge());
                for (String key : netfilter.keySet()) {
                    assertEquals("0", Ip.in(box).exec("sysctl", "-n", key).stdout().strip(), key + " while bridged");
                }

                // 802.1Q-tagged frames cross unchanged: the datapath maps VLANs to segments itself.
                Ip.Result tagged = Ip.in(host).exec("/usr/bin/python3", "-c",
                        "from scapy.all import Ether, Dot1Q, ARP, sendp\n"
                        + "sendp(Ether(src='02:00:00:00:50:01', dst='ff:ff:ff:ff:ff:ff')/Dot1Q(vlan=100)/ARP(pdst='10.51.0.99'), iface='tbl-h0', verbose=0)\n");
                assertTrue(tagged.ok(), "scapy: " + tagged.stderr());
                byte[] frame = PortProbe.await(tap, f -> TestPackets.u16(f, 12) == 0x8100);
                assertNotNull(frame, "the tagged frame did not cross the bridge");
                assertEquals(100, TestPackets.u16(frame, 14) & 0xfff, "VLAN id kept");
                assertEquals(0x0806, TestPackets.u16(frame, 16));
            }
            assertFalse(Ip.in(box).exec("ip", "link", "show", "tbl-br0").ok(), "the bridge we made is gone");
            for (var e : netfilter.entrySet()) {
                assertEquals(e.getValue(), Ip.in(box).exec("sysctl", "-n", e.getKey()).stdout().strip(), e.getKey() + " put back");
            }
            assertFalse(Ip.in(box).run("link", "show", "tbl-lan0").contains("master"), "the LAN NIC is released");
        }
    }
}
