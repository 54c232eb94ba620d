package io.tunnelbox.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.config.CommitResult;
import io.tunnelbox.config.Config;
import io.tunnelbox.config.ConfigJson;
import io.tunnelbox.config.ConfigService;
import io.tunnelbox.config.ConfigStore;
import io.tunnelbox.config.PasswordHash;
import io.tunnelbox.console.DeviceView;
import io.tunnelbox.hal.port.PacketPort.Layer;
import io.tunnelbox.hal.port.memory.MemoryPort;
import io.tunnelbox.hal.port.memory.MemoryWan;
import io.tunnelbox.hal.sim.SimNics;
import io.tunnelbox.hal.time.Clock;
import io.tunnelbox.packet.IpProtocol;
import io.tunnelbox.packet.Ipv4;
import io.tunnelbox.packet.Ipv4Address;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The management data path end to end: configuration committed through ConfigService, datapaths on
 * their threads, {@link EngineDeviceView}'s typed snapshots and the one renderer the control socket
 * shares with the console.
 */
class ManagementViewTest {
    static final int RA = Ipv4Address.parse("198.51.100.1");
    static final int SA = Ipv4Address.parse("198.51.100.5");

    @TempDir
    Path dir;
    final MemoryWan wan = new MemoryWan();
    DatapathApplier applier;

    /** Devices with in-memory ports for both roles (a box runs one role per test here). */
    static final class MemoryDevices implements Devices {
        final MemoryPort lan;
        final MemoryPort wanPort;

        MemoryDevices(MemoryPort lan, MemoryPort wanPort) {
            this.lan = lan;
            this.wanPort = wanPort;
        }

        @Override
        public int configureWan(Config next) {
            return next.interfaces().wan().address().address();
        }

        @Override
        public int wanMtu(Config next) {
            return 1500;
        }

        @Override
        public RouterPorts openRouter(Config next, int wanAddress, int wanMtu) {
            return new RouterPorts(lan, wanPort);
        }

        @Override
        public SwitchPorts openSwitch(Config next, int wanAddress, int wanMtu) {
            return new SwitchPorts(lan, wanPort, wanPort);
        }

        @Override
        public void routeAdded(String prefix) {
        }

        @Override
        public void routeRemoved(String prefix) {
        }

        @Override
        public void groupJoined(int group) {
        }

        @Override
        public void groupLeft(int group) {
        }

        @Override
        public void close() {
        }
    }

    record Box(ConfigService config, EngineDeviceView view, ShowCommands ctl, MemoryPort host) {
        CommitResult commit(String text) throws Exception {
            return config.commit(ConfigJson.mapper().readTree(text), "test", "");
        }

        String ctl(String command) {
            return ctl.answer(command);
        }
    }

    Box box(String name, Layer layer, int address, String configText) throws Exception {
        MemoryPort lan = new MemoryPort(name + "-lan", layer, 1500);
        MemoryPort host = new MemoryPort(name + "-host", layer, 1500);
        MemoryPort.wire(lan, host);
        applier = new DatapathApplier(new MemoryDevices(lan, wan.attach(name + "-wan", address, 1500)), Clock.SYSTEM);
        ConfigService service = new ConfigService(new ConfigStore(dir.resolve(name), 20, Clock.SYSTEM), applier,
                Clock.SYSTEM);
        EngineDeviceView view = new EngineDeviceView(service, applier, Clock.SYSTEM, "sim", name + "-wan",
                name + "-lan", dir.resolve("no-sysfs"));
        Box b = new Box(service, view, new ShowCommands(service, view), host);
        CommitResult r = b.commit(configText);
        assertTrue(r.ok(), r.toString());
        return b;
    }

    /** The sim board's NICs live in memory, not in sysfs: {@code show interfaces} must still see their links. */
    @Test
    void interfacesShowTheBoardsNicsIncludingInMemoryOnes() throws Exception {
        Box ra = box("ra", Layer.IP, RA, router(GRE1));
        SimNics nics = new SimNics().add("ra-wan", "02:54:42:00:00:01", 1500).add("ra-lan", "02:54:42:00:00:02", 1400);
        nics.setLink("ra-lan", false);
        EngineDeviceView view = new EngineDeviceView(ra.config(), applier, Clock.SYSTEM, "sim", "ra-wan", "ra-lan",
                nics, dir.resolve("no-sysfs"));

        List<DeviceView.InterfaceStatus> ifs = view.interfaces();
        assertEquals(List.of("wan", "lan"), ifs.stream().map(DeviceView.InterfaceStatus::role).toList());
        assertTrue(ifs.get(0).up(), ifs.toString());
        assertEquals("02:54:42:00:00:01", ifs.get(0).mac());
        assertEquals(1500, ifs.get(0).mtu());
        assertFalse(ifs.get(1).up(), "the pulled cable shows: " + ifs);
        assertEquals(1400, ifs.get(1).mtu());
        assertEquals(0, ifs.get(0).rxPackets(), "in-memory NICs have no kernel counters");
    }

    @AfterEach
    void stop() {
        if (applier != null) {
            applier.close();
        }
    }

    static String router(String tunnels) {
        return """
                { "system": { "hostname": "RA", "admins": [ { "name": "admin", "passwordHash": "%s" } ] },
                  "interfaces": { "wan": { "nic": "wan", "address": "198.51.100.1/24" },
                                  "lan": { "nic": "lan", "address": "192.168.1.254/24" } },
                  "tunnels": [ %s ],
                  "routes": [ { "prefix": "192.168.2.0/24", "tunnel": "gre1" } ] }
                """.formatted(HASH, tunnels);
    }

    static final String HASH = PasswordHash.hash("correct horse battery".toCharArray(), 1000);
    static final String GRE1 = "{ \"name\": \"gre1\", \"remote\": \"203.0.113.1\", \"mssClamp\": 1300 }";
    static final String GRE2 = "{ \"name\": \"gre2\", \"remote\": \"203.0.113.2\", \"key\": 2 }";

    static byte[] udp(String dst) {
        byte[] p = new byte[Ipv4.HEADER + 8 + 32];
        MemorySegment seg = MemorySegment.ofArray(p);
        Ipv4.write(seg, 0, 0, p.length, 1, 0, 64, IpProtocol.UDP, Ipv4Address.parse("192.168.1.1"),
                Ipv4Address.parse(dst));
        p[Ipv4.HEADER + 5] = 40;
        return p;
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        assertTrue(condition.getAsBoolean(), what);
    }

    @Test
    void shouldCountRoutesShowRouterDropsAndClearEverything() throws Exception {
        Box ra = box("ra", Layer.IP, RA, router(GRE1));
        ra.host().sendBytes(udp("192.168.2.1"));
        ra.host().sendBytes(udp("10.9.9.9"));
        await("the routed packet counted", () -> ra.view().routes().getFirst().packets() == 1);
        await("the unrouted one counted", () -> ra.view().counters().containsKey("router.drop.no-route"));

        assertEquals(List.of(new DeviceView.RouteEntry("192.168.2.0/24", "gre1", 1, true, "")), ra.view().routes());
        assertTrue(ra.ctl("show routes").matches("(?s).*192\\.168\\.2\\.0/24\\s+gre1\\s+active\\s+1\\b.*"),
                ra.ctl("show routes"));
        assertEquals(1L, ra.view().counters().get("router.drop.no-route"));
        assertTrue(ra.ctl("show counters").contains("router.drop.no-route"), ra.ctl("show counters"));

        DeviceView.TunnelStatus gre1 = ra.view().tunnels().getFirst();
        assertEquals("up", gre1.state());
        assertFalse(gre1.keepalive());
        assertEquals("1300", gre1.detail().mssClamp(), "the configured MSS reaches the router");
        assertEquals(1, gre1.txPackets());
        assertTrue(ra.ctl("show tunnels").contains("(no keepalive)"), ra.ctl("show tunnels"));
        assertTrue(ra.ctl("show tunnels gre1").contains("mss clamp 1300"), ra.ctl("show tunnels gre1"));

        ra.view().clearCounters();
        assertEquals(0, ra.view().routes().getFirst().packets());
        assertEquals(0, ra.view().tunnels().getFirst().txPackets());
        assertFalse(ra.view().counters().containsKey("router.drop.no-route"), ra.view().counters().toString());
    }

    @Test
    void shouldHideThePasswordHashFromTheControlSocket() throws Exception {
        Box ra = box("ra", Layer.IP, RA, router(GRE1));
        String shown = ra.ctl("show config");
        assertFalse(shown.contains("pbkdf2"), shown);
        assertTrue(shown.contains("<hidden>"), shown);
        assertFalse(ra.ctl("show config system admins").contains("pbkdf2"));
    }

    @Test
    void shouldAnswerAbbreviationsAndSuggestTheClosestCommandOnTheControlSocket() throws Exception {
        Box ra = box("ra", Layer.IP, RA, router(GRE1));
        assertEquals(ra.ctl("show tunnels"), ra.ctl("show tun"), "an unambiguous abbreviation, as on the console");
        assertEquals("error: unknown command \"show tunels\"; did you mean \"show tunnels\"?", ra.ctl("show tunels"));
        assertTrue(ra.ctl("show qqqqqqq").startsWith("error: unknown command \"show qqqqqqq\"; try: show version|"));
    }

    @Test
    void shouldKeepTunnelRowsInConfigurationOrderAcrossChangesAndShowRefusedOnes() throws Exception {
        Box ra = box("ra", Layer.IP, RA, router(GRE1 + "," + GRE2));
        assertTrue(ra.commit(router(GRE1.replace("1300", "1200") + "," + GRE2)).ok());
        assertEquals(List.of("gre1", "gre2"), ra.view().tunnels().stream().map(DeviceView.TunnelStatus::name).toList());
        assertEquals("1200", ra.view().tunnels().getFirst().detail().mssClamp());
    }

    static String switchConfig(String segments) {
        return """
                { "system": { "hostname": "SA" },
                  "interfaces": { "wan": { "nic": "wan", "address": "198.51.100.5/24" },
                                  "lan": { "nic": "lan", "address": "192.168.1.254/24" } },
                  "segments": [ %s ] }
                """.formatted(segments);
    }

    static final String OFFICE = "{ \"name\": \"office\", \"id\": 5000, \"flood\": { \"mode\": \"peers\","
            + " \"peers\": [ \"203.0.113.7\" ] } }";

    static byte[] frame(long src, int size) {
        byte[] f = new byte[size];
        for (int i = 0; i < 6; i++) {
            f[i] = (byte) 0xFF;
            f[6 + i] = (byte) (src >>> (40 - 8 * i));
        }
        f[12] = 0x08;
        f[13] = 0x06;
        return f;
    }

    @Test
    void shouldNameSegmentsAsConfiguredAndCountOuterTooBig() throws Exception {
        Box sa = box("sa", Layer.ETHERNET, SA, switchConfig(OFFICE));
        sa.host().sendBytes(frame(0x02_00_00_00_00_01L, 60));
        sa.host().sendBytes(frame(0x02_00_00_00_00_01L, 1514));
        await("the MAC is learned", () -> !sa.view().macTable().isEmpty());
        await("the big frame is counted", () -> sa.view().segments().getFirst().tooBig() == 1);

        DeviceView.MacEntry mac = sa.view().macTable().getFirst();
        assertEquals("office", mac.segment());
        assertEquals(0, mac.vlan());
        assertEquals("lan", mac.where());
        assertTrue(sa.ctl("show mac").matches("(?s).*office\\s+untagged\\s+02:00:00:00:00:01\\s+lan.*"),
                sa.ctl("show mac"));
        assertEquals(1L, sa.view().counters().get("switch.drop.outer-too-big"));
        DeviceView.SegmentStatus office = sa.view().segments().getFirst();
        assertEquals(1, office.txPackets(), "the small frame flooded to the one peer");

        sa.view().clearCounters();
        assertFalse(sa.view().counters().containsKey("switch.drop.outer-too-big"), "clear counters clears the switch");
        assertEquals(0, sa.view().segments().getFirst().txPackets());
    }

    @Test
    void shouldRefuseAVxlanPortTheRunningSwitchDoesNotListenOnWithAReason() throws Exception {
        Box sa = box("sa", Layer.ETHERNET, SA, switchConfig(OFFICE));
        CommitResult r = sa.commit(switchConfig(OFFICE.replace("5000,", "5000, \"udpPort\": 4790,")));
        assertFalse(r.ok());
        assertTrue(r.toString().contains("VXLAN udpPort 4790 differs from 4789"), r.toString());
        CommitResult mixed = sa.commit(switchConfig(OFFICE + ", { \"name\": \"lab\", \"id\": 6000, \"vlan\": 20,"
                + " \"udpPort\": 4790, \"flood\": { \"mode\": \"peers\", \"peers\": [ \"203.0.113.7\" ] } }"));
        assertFalse(mixed.ok());
        assertTrue(mixed.toString().contains("segments[1].udpPort"), mixed.toString());
    }
}
