package io.tunnelbox.hal.nic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.hal.board.BoardCatalog;
import io.tunnelbox.hal.board.BoardConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysfsNicsTest {
    static final String PI_GENET = "platform/scb/fd580000.ethernet";
    static final String PI_USB = "platform/scb/fd500000.pcie/pci0000:00/0000:00:00.0/0000:01:00.0/usb2/2-1/2-1:1.0";

    @TempDir
    Path root;

    private FakeSysfs pi4() {
        return new FakeSysfs(root)
                .nic("eth0", PI_GENET, "bcmgenet", "dc:a6:32:01:02:03", 1500, true, "up", 1000)
                .nic("enx00e04c680001", PI_USB, "r8152", "00:e0:4c:68:00:01", 1500, false, "down", -1)
                .nic("lo", "virtual/net", null, "00:00:00:00:00:00", 65536, true, "unknown", -1);
    }

    @Test
    void shouldReadMacMtuCarrierOperstateSpeedDriverAndBusPath() {
        List<NicState> nics = new SysfsNics(pi4().classNet()).scan();
        assertEquals(List.of("enx00e04c680001", "eth0", "lo"), nics.stream().map(NicState::name).toList());
        NicState eth0 = nics.get(1);
        assertEquals("dc:a6:32:01:02:03", eth0.mac());
        assertEquals(1500, eth0.mtu());
        assertTrue(eth0.carrier());
        assertEquals("up", eth0.operState());
        assertEquals(1000, eth0.speedMbps());
        assertEquals("bcmgenet", eth0.driver());
        assertTrue(eth0.busPath().endsWith("/devices/" + PI_GENET), eth0.busPath());
        assertTrue(eth0.linkUp());
        NicState usb = nics.get(0);
        assertEquals("r8152", usb.driver());
        assertFalse(usb.carrier(), "carrier unreadable while down = no carrier");
        assertEquals(-1, usb.speedMbps());
        assertFalse(usb.linkUp());
        NicState lo = nics.get(2);
        assertEquals(null, lo.driver());
        assertEquals(null, lo.busPath());
        assertEquals(65536, lo.mtu());
    }

    @Test
    void shouldAssignPi4RolesByDriverAndBusWhateverTheUsbNicIsCalled() {
        BoardConfig pi4 = BoardCatalog.shipped().byId("rpi4b-usb3-gbe").orElseThrow();
        RoleAssignment roles = NicRoles.assign(pi4, new SysfsNics(pi4().classNet()).scan());
        assertTrue(roles.complete(), roles.problems().toString());
        assertEquals("eth0", roles.nic("wan").orElseThrow().name());
        assertEquals("enx00e04c680001", roles.nic("lan").orElseThrow().name());
        assertEquals(List.of(), roles.warnings());
    }

    @Test
    void shouldExplainAMissingLanNic() {
        new FakeSysfs(root).nic("eth0", PI_GENET, "bcmgenet", "dc:a6:32:01:02:03", 1500, true, "up", 1000);
        BoardConfig pi4 = BoardCatalog.shipped().byId("rpi4b-usb3-gbe").orElseThrow();
        RoleAssignment roles = NicRoles.assign(pi4, new SysfsNics(root.resolve("class/net")).scan());
        assertFalse(roles.complete());
        assertEquals(List.of("role \"lan\": no interface matches driver r8152|ax88179_178a|cdc_ncm and busPath *usb* "
                + "(interfaces: eth0 [bcmgenet] dc:a6:32:01:02:03)"), roles.problems());
    }

    @Test
    void shouldTakeTheFirstByNameAndWarnWhenSeveralNicsMatchARole() {
        pi4().nic("eth1", PI_USB.replace("2-1", "2-2"), "r8152", "00:e0:4c:68:00:02", 1500, true, "up", 1000);
        BoardConfig pi4 = BoardCatalog.shipped().byId("rpi4b-usb3-gbe").orElseThrow();
        RoleAssignment roles = NicRoles.assign(pi4, new SysfsNics(root.resolve("class/net")).scan());
        assertEquals("enx00e04c680001", roles.nic("lan").orElseThrow().name());
        assertEquals(List.of("role \"lan\": 2 interfaces match driver r8152|ax88179_178a|cdc_ncm and busPath *usb*; "
                + "using enx00e04c680001, not eth1"), roles.warnings());
    }

    @Test
    void shouldReturnNothingForAMissingDirectory() {
        assertEquals(List.of(), new SysfsNics(root.resolve("absent")).scan());
    }

    @Test
    void shouldReadTheLoopbackOfThisMachinesRealSysfs() {
        NicState lo = new SysfsNics(SysfsNics.CLASS_NET).scan().stream().filter(n -> n.name().equals("lo"))
                .findFirst().orElseThrow();
        assertEquals("00:00:00:00:00:00", lo.mac());
        assertEquals(65536, lo.mtu());
        assertTrue(lo.carrier());
        assertEquals("unknown", lo.operState());
        assertEquals(-1, lo.speedMbps(), "loopback has no speed (the kernel answers EINVAL)");
        assertEquals(null, lo.driver());
        assertTrue(lo.linkUp());
    }
}
