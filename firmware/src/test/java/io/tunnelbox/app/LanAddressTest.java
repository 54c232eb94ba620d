package io.tunnelbox.app;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.config.Config;
import io.tunnelbox.config.InterfaceConfig;
import io.tunnelbox.config.InterfacesConfig;
import io.tunnelbox.hal.linux.Ip;
import io.tunnelbox.hal.offload.Offloads;
import io.tunnelbox.hal.testing.Requirements;
import io.tunnelbox.packet.Ipv4Address;
import io.tunnelbox.packet.Ipv4Prefix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The box puts its configured LAN address on the LAN NIC itself (root; a veth pair in the
 * test's own name, no traffic): a box flashed onto a fresh image has nobody else to do it, and its
 * hosts' gateway and web page live on that address.
 */
class LanAddressTest {
    static final String NIC = "tbt-lanaddr";
    final Ip ip = Ip.host();

    @BeforeEach
    void dummyNic() {
        Requirements.root();
        Requirements.tool("ip");
        ip.exec("ip", "link", "del", NIC);
        ip.run("link", "add", NIC, "type", "veth", "peer", "name", NIC + "-p");
    }

    @AfterEach
    void removeNic() {
        ip.exec("ip", "link", "del", NIC);
    }

    @Test
    void shouldPutTheLanAddressOnFollowChangesAndTakeItOffAtStop() {
        LinuxDataplane dp = new LinuxDataplane("lo", NIC, Offloads.NONE);
        try {
            dp.configureWan(withLan("10.251.77.1/24"));
            assertTrue(addresses().contains(" 10.251.77.1/24 "), addresses());
            assertTrue(ip.run("-o", "link", "show", "dev", NIC).contains(",UP"), "the LAN NIC is set up");

            dp.configureWan(withLan("10.251.78.1/24"));
            assertTrue(addresses().contains(" 10.251.78.1/24 "), addresses());
            assertFalse(addresses().contains("10.251.77.1"), "the old address is gone: " + addresses());
        } finally {
            dp.close();
        }
        assertFalse(addresses().contains("10.251.78.1"), "taken off at stop: " + addresses());
    }

    @Test
    void shouldLeaveAnAddressItDidNotPutOn() {
        ip.run("addr", "add", "10.251.79.1/24", "dev", NIC);
        LinuxDataplane dp = new LinuxDataplane("lo", NIC, Offloads.NONE);
        dp.configureWan(withLan("10.251.79.1/24"));
        dp.close();
        assertTrue(addresses().contains(" 10.251.79.1/24 "), "someone else's address stays: " + addresses());
    }

    private String addresses() {
        return ip.run("-4", "-o", "addr", "show", "dev", NIC);
    }

    private static Config withLan(String cidr) {
        Config d = Config.defaults();
        String[] p = cidr.split("/");
        InterfacesConfig ifs = new InterfacesConfig(InterfaceConfig.dhcp("wan", 1500),
                InterfaceConfig.fixed("lan", new Ipv4Prefix(Ipv4Address.parse(p[0]), Integer.parseInt(p[1])), 0, 1500),
                d.interfaces().offloads());
        return new Config(d.system(), ifs, d.tunnels(), d.segments(), d.routes(), d.web(), d.console(), d.firewall());
    }
}
