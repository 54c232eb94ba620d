package io.tunnelbox.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.config.Config;
import io.tunnelbox.config.ConfigParser;
import io.tunnelbox.config.ParseResult;
import org.junit.jupiter.api.Test;

/** The lab's box configurations are valid, and open each box's page to the lab's machine only. */
class LabConfigsTest {
    private static Config valid(String text) {
        ParseResult r = ConfigParser.parse(text);
        assertTrue(r.ok(), r.describe());
        return r.config();
    }

    @Test
    void shouldOpenTheRoutersPageOnTheWanToTheManagementCableOnly() {
        Config ra = valid(LabConfigs.router("RA", LabTopology.RA_WAN, "198.51.100.254", "192.168.1.254",
                LabTopology.RB_WAN, "192.168.2.0/24", LabTopology.MGMT_GRE_HOST));
        assertEquals(LabTopology.RA_WAN, ra.web().listen());
        assertEquals(2, ra.firewall().open().size());
        assertTrue(ra.firewall().open().stream().allMatch(o -> o.from().toString().equals(LabTopology.MGMT_GRE_HOST + "/32")));
    }

    @Test
    void shouldKeepTheRoutersPageOnTheLanWithoutAManager() {
        Config ra = valid(LabConfigs.router("RA", LabTopology.RA_WAN, "198.51.100.254", "192.168.1.254",
                LabTopology.RB_WAN, "192.168.2.0/24"));
        assertEquals("lan", ra.web().listen());
        assertTrue(ra.firewall().open().isEmpty());
    }

    @Test
    void shouldOpenTheSitesPageOnlyWhenAManagerIsGiven() {
        String[] peers = {"192.0.2.2", "192.0.2.3"};
        Config site = valid(LabConfigs.vtep("site1", "192.0.2.1", peers, true, LabTopology.MGMT_VXLAN_HOST));
        assertEquals("192.0.2.1", site.web().listen());
        assertEquals(2, site.firewall().open().size());
        Config closed = valid(LabConfigs.vtep("site1", "192.0.2.1", peers, false));
        assertEquals("lan", closed.web().listen());
        assertTrue(closed.firewall().open().isEmpty());
    }
}
