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
        String busPath = roles.nic("wan").orElseThrow().busPath();
        assertEquals(List.of("role \"lan\" is used but no network interface matches its pattern in board file "
                + "rpi4b-usb3-gbe.json: driver r8152|ax88179_178a|cdc_ncm and busPath *usb*\n"
                + "  interfaces found:\n"
                + "    eth0 driver bcmgenet busPath " + busPath + " mac dc:a6:32:01:02:03  <- driver bcmgenet does not "
                + "match r8152|ax88179_178a|cdc_ncm, busPath " + busPath + " does not match *usb*\n"
                + "  Fix the pattern in board-configs/rpi4b-usb3-gbe.json (or put a corrected copy in "
                + "/etc/tunnelbox/boards/), or plug in the missing NIC; board-configs/README.md says how to read these "
                + "facts off a board."), roles.problems());
        String error = roles.startupError("rpi4b-usb3-gbe");
        assertTrue(error.startsWith("Board rpi4b-usb3-gbe: cannot start, 1 NIC role found no interface.\nrole \"lan\""),
                error);
    }

    @Test
    void shouldSayWhichNicGotWhichRoleAndWhy() {
        BoardConfig pi4 = BoardCatalog.shipped().byId("rpi4b-usb3-gbe").orElseThrow();
        RoleAssignment roles = NicRoles.assign(pi4, new SysfsNics(pi4().classNet()).scan());
        String usb = roles.nic("lan").orElseThrow().busPath();
        assertEquals(List.of("role \"wan\" is eth0: name eth0 matches eth0, driver bcmgenet matches bcmgenet",
                "role \"lan\" is enx00e04c680001: driver r8152 matches r8152|ax88179_178a|cdc_ncm, busPath " + usb
                        + " matches *usb*"), roles.explanations());
    }

    @Test
    void shouldGiveTheR5sLanPortsTheirRolesAndNoteAMissingUnusedRoleInOneLine() {
        String gmac = "platform/fe2a0000.ethernet";
        String lan1 = "platform/fe260000.pcie/pci0000:00/0000:00:00.0/0000:01:00.0";
        String lan2 = "platform/fe270000.pcie/pci0001:10/0001:10:00.0/0001:11:00.0";
        BoardConfig r5s = BoardCatalog.shipped().byId("nanopi-r5s").orElseThrow();
        FakeSysfs sys = new FakeSysfs(root)
                .nic("eth0", gmac, "rk_gmac-dwmac", "02:00:00:00:00:01", 1500, true, "up", 1000)
                .nic("eth1", lan1, "r8169", "02:00:00:00:00:02", 1500, true, "up", 2500)
                .nic("eth2", lan2, "r8169", "02:00:00:00:00:03", 1500, false, "down", -1);
        RoleAssignment roles = NicRoles.assign(r5s, new SysfsNics(sys.classNet()).scan());
        assertTrue(roles.complete(), roles.problems().toString());
        assertEquals("eth0", roles.nic("wan").orElseThrow().name());
        assertEquals("eth1", roles.nic("lan").orElseThrow().name(), "LAN1 on pcie2x1 (fe260000)");
        assertEquals("eth2", roles.nic("lan2").orElseThrow().name(), "LAN2 on pcie3x1 (fe270000)");
        assertEquals(List.of(), roles.warnings());

        sys.unplug("eth2");
        RoleAssignment without = NicRoles.assign(r5s, new SysfsNics(sys.classNet()).scan());
        assertTrue(without.complete(), "lan2 is not used by the firmware: " + without.problems());
        assertEquals(List.of("role \"lan2\" (not used by the firmware) matches no interface: driver r8169|r8125 and "
                + "busPath *fe270000.pcie*"), without.warnings());
    }

    @Test
    void shouldStopWhenAUsedRoleFindsOnlyANicAnotherRoleTook() {
        BoardConfig r5s = BoardCatalog.shipped().byId("nanopi-r5s").orElseThrow();
        FakeSysfs sys = new FakeSysfs(root)
                .nic("eth0", "platform/fe2a0000.ethernet", "rk_gmac-dwmac", "02:00:00:00:00:01", 1500, true, "up", 1000);
        RoleAssignment roles = NicRoles.assign(r5s, new SysfsNics(sys.classNet()).scan(), java.util.Set.of("wan", "lan", "lan2"));
        assertFalse(roles.complete());
        assertEquals(2, roles.problems().size(), roles.problems().toString());
        assertTrue(roles.startupError("nanopi-r5s").startsWith("Board nanopi-r5s: cannot start, 2 NIC roles found no "
                + "interface.\nrole \"lan\" is used but no network interface matches its pattern in board file "
                + "nanopi-r5s.json: driver r8169|r8125 and busPath *fe260000.pcie*\n"), roles.startupError("nanopi-r5s"));
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
