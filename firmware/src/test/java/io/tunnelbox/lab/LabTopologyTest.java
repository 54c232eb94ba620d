package io.tunnelbox.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.hal.testing.Requirements;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Needs root and iproute2: builds the lab's namespaces and checks the underlay alone works. */
class LabTopologyTest {

    @BeforeAll
    static void needs() {
        Requirements.root();
        Requirements.tool("ip");
        Requirements.tool("ping");
        Requirements.tool("bridge");
    }

    @AfterAll
    static void cleanUp() {
        LabTopology.destroy();
    }

    @Test
    void shouldRouteTheWanBetweenRaAndRbAndReachEachLanGateway() {
        LabTopology t = new LabTopology();
        t.buildGre();
        HostCommand.in(LabTopology.RA, "ping", "-c", "1", "-W", "2", "-I", LabTopology.RA_WAN,
                LabTopology.RB_WAN);
        // The cables reach each LAN gateway once the box has put its LAN address on (done here by
        // hand, as RA and RB do from their configuration).
        HostCommand.in(LabTopology.RA, "ip", "addr", "add", "192.168.1.254/24", "dev", LabTopology.LAN_IF);
        HostCommand.in(LabTopology.RB, "ip", "addr", "add", "192.168.2.254/24", "dev", LabTopology.LAN_IF);
        HostCommand.in(LabTopology.HOST_A, "ping", "-c", "1", "-W", "2", "192.168.1.254");
        HostCommand.in(LabTopology.HOST_B, "ping", "-c", "1", "-W", "2", "192.168.2.254");
        // Without tunnels the hosts cannot reach each other: the WAN router has no route to the LANs.
        HostCommand.Result r = HostCommand.attempt(HostCommand.inNs(LabTopology.HOST_A, "ping", "-c",
                "1", "-W", "1", LabTopology.HOST_B_IP));
        assertTrue(!r.ok(), "hosts must not reach each other without the tunnel: " + r.output());
    }

    @Test
    void shouldJoinTheVxlanSitesOnOneUnderlayWithTheKernelVtep() {
        LabTopology t = new LabTopology();
        t.buildVxlanSites();
        t.kernelVtep(false);
        HostCommand.in(LabTopology.V3, "ping", "-c", "1", "-W", "2", LabTopology.VTEP[0]);
        HostCommand.in(LabTopology.V1, "ping", "-c", "1", "-W", "2", LabTopology.VTEP[1]);
        String link = HostCommand.in(LabTopology.V3, "ip", "-d", "link", "show", "vx0");
        assertTrue(link.contains("vxlan id 5000"), link);
        String fdb = HostCommand.in(LabTopology.V3, "bridge", "fdb", "show", "dev", "vx0");
        assertTrue(fdb.contains("dst " + LabTopology.VTEP[0]) && fdb.contains("dst " + LabTopology.VTEP[1]), fdb);
        t.kernelVtep(true);
        link = HostCommand.in(LabTopology.V3, "ip", "-d", "link", "show", "vx0");
        assertTrue(link.contains("group " + LabTopology.GROUP), link);
    }

    @Test
    void shouldRemoveEveryLabNamespace() {
        new LabTopology().buildGre();
        assertEquals(List.of(), LabTopology.destroy());
    }
}
