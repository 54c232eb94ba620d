package io.tunnelbox.hal.nic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.hal.board.BoardCatalog;
import io.tunnelbox.hal.board.BoardConfig;
import io.tunnelbox.hal.sim.SimNics;
import io.tunnelbox.hal.time.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinkMonitorTest {
    @TempDir
    Path root;

    private static String text(LinkEvent e) {
        return e.nic() + "/" + e.role() + (e.gone() ? " gone" : e.up() ? " up" : " down");
    }

    @Test
    void shouldPublishTheInitialStateThenEachLinkChangeWithinASecond() {
        FakeSysfs sys = new FakeSysfs(root)
                .nic("eth0", SysfsNicsTest.PI_GENET, "bcmgenet", "dc:a6:32:01:02:03", 1500, true, "up", 1000)
                .nic("eth1", SysfsNicsTest.PI_USB, "r8152", "00:e0:4c:68:00:01", 1500, true, "up", 1000);
        BoardConfig pi4 = BoardCatalog.shipped().byId("rpi4b-usb3-gbe").orElseThrow();
        SysfsNics nics = new SysfsNics(sys.classNet());
        LinkMonitor monitor = new LinkMonitor(nics, NicRoles.assign(pi4, nics.scan()));
        List<String> events = new ArrayList<>();
        monitor.addListener(e -> events.add(text(e)));
        ManualClock clock = new ManualClock();

        monitor.tick(clock.nanoTime());
        assertEquals(List.of("eth0/wan up", "eth1/lan up"), events);
        events.clear();

        sys.link("eth0", false, "down", -1); // WAN cable pulled
        clock.advance(Duration.ofMillis(100));
        monitor.tick(clock.nanoTime());
        assertEquals(List.of(), events, "not polled yet: 100 ms < 250 ms");
        clock.advance(Duration.ofMillis(150));
        monitor.tick(clock.nanoTime());
        assertEquals(List.of("eth0/wan down"), events, "noticed 250 ms after the change");
        assertFalse(monitor.state("eth0").carrier());

        events.clear();
        for (int i = 0; i < 8; i++) {
            clock.advance(Duration.ofMillis(125));
            monitor.tick(clock.nanoTime());
        }
        assertEquals(List.of(), events, "no change, no event");

        sys.link("eth0", true, "up", 100);
        sys.unplug("eth1");
        clock.advance(Duration.ofMillis(250));
        monitor.tick(clock.nanoTime());
        assertEquals(List.of("eth0/wan up", "eth1/lan gone"), events);
        assertEquals(100, monitor.state("eth0").speedMbps());
    }

    @Test
    void shouldRunTheSimBoardThroughTheSameInterface() {
        BoardConfig sim = BoardCatalog.shipped().byId("sim").orElseThrow();
        SimNics nics = SimNics.forBoard(sim);
        RoleAssignment roles = NicRoles.assign(sim, nics.scan());
        assertTrue(roles.complete(), roles.problems().toString());
        assertEquals("02:54:42:00:00:01", roles.nic("wan").orElseThrow().mac());
        LinkMonitor monitor = new LinkMonitor(nics, roles);
        List<String> events = new ArrayList<>();
        monitor.addListener(e -> events.add(text(e)));
        ManualClock clock = new ManualClock();
        monitor.tick(clock.nanoTime());
        nics.setLink("sim-wan", false);
        clock.advance(Duration.ofMillis(250));
        monitor.tick(clock.nanoTime());
        nics.setLink("sim-wan", true);
        clock.advance(Duration.ofMillis(250));
        monitor.tick(clock.nanoTime());
        assertEquals(List.of("sim-lan/lan up", "sim-wan/wan up", "sim-wan/wan down", "sim-wan/wan up"), events);
    }

    @Test
    void shouldGiveTheLanRoleToAUsbNicPluggedInLater() {
        FakeSysfs sys = new FakeSysfs(root)
                .nic("eth0", SysfsNicsTest.PI_GENET, "bcmgenet", "dc:a6:32:01:02:03", 1500, true, "up", 1000);
        BoardConfig pi4 = BoardCatalog.shipped().byId("rpi4b-usb3-gbe").orElseThrow();
        LinkMonitor monitor = new LinkMonitor(new SysfsNics(sys.classNet()), pi4);
        assertFalse(monitor.roles().complete(), "no USB NIC yet");
        List<String> events = new ArrayList<>();
        monitor.addListener(e -> events.add(text(e)));
        monitor.poll();
        sys.nic("enx00e04c680001", SysfsNicsTest.PI_USB, "r8152", "00:e0:4c:68:00:01", 1500, true, "up", 1000);
        monitor.poll();
        assertTrue(monitor.roles().complete(), monitor.roles().problems().toString());
        assertEquals("enx00e04c680001", monitor.roles().nic("lan").orElseThrow().name());
        sys.unplug("enx00e04c680001");
        monitor.poll();
        assertEquals(List.of("eth0/wan up", "enx00e04c680001/lan up", "enx00e04c680001/lan gone"), events);
        assertFalse(monitor.roles().complete());
    }

    @Test
    void shouldReadTheLinksAtOnceWhenWokenByAnEventAndOnlyRarelyOtherwise() {
        FakeSysfs sys = new FakeSysfs(root)
                .nic("eth0", SysfsNicsTest.PI_GENET, "bcmgenet", "dc:a6:32:01:02:03", 1500, true, "up", 1000)
                .nic("eth1", SysfsNicsTest.PI_USB, "r8152", "00:e0:4c:68:00:01", 1500, true, "up", 1000);
        BoardConfig pi4 = BoardCatalog.shipped().byId("rpi4b-usb3-gbe").orElseThrow();
        SysfsNics nics = new SysfsNics(sys.classNet());
        LinkMonitor monitor = new LinkMonitor(nics, NicRoles.assign(pi4, nics.scan()));
        monitor.eventDriven();
        List<String> events = new ArrayList<>();
        monitor.addListener(e -> events.add(text(e)));
        ManualClock clock = new ManualClock();
        monitor.tick(clock.nanoTime());
        events.clear();

        sys.link("eth0", false, "down", -1);
        clock.advance(Duration.ofSeconds(1));
        monitor.tick(clock.nanoTime());
        assertEquals(List.of(), events, "no polling every 250 ms once events drive it");
        monitor.wake(); // the rtnetlink event for eth0
        monitor.tick(clock.nanoTime());
        assertEquals(List.of("eth0/wan down"), events, "read at once on the event");

        events.clear();
        sys.link("eth0", true, "up", 1000); // an event lost: the safety net finds it
        clock.advance(LinkMonitor.EVENT_SAFETY_NET);
        monitor.tick(clock.nanoTime());
        assertEquals(List.of("eth0/wan up"), events);
    }
}
