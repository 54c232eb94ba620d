package io.tunnelbox.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.config.CommitResult;
import io.tunnelbox.config.Config;
import io.tunnelbox.config.ConfigJson;
import io.tunnelbox.config.ConfigService;
import io.tunnelbox.config.ConfigStore;
import io.tunnelbox.hal.port.PacketPort.Layer;
import io.tunnelbox.hal.port.memory.MemoryPort;
import io.tunnelbox.hal.port.memory.MemoryWan;
import io.tunnelbox.hal.time.Clock;
import io.tunnelbox.packet.Ipv4Address;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A box whose WAN gets its address after it started (DHCP slower than the box), whose address
 * changes (a renewal with a new lease), and whose TUN device is deleted: the configuration is
 * accepted at once, tunnels wait and then start, follow every change, and the device comes back.
 */
class WanFollowTest {
    static final int RA = Ipv4Address.parse("198.51.100.1");
    static final int RA_NEW = Ipv4Address.parse("198.51.100.77");
    static final int RB = Ipv4Address.parse("203.0.113.1");

    /** A DHCP WAN in memory: its address is whatever the test says, 0 while the lease is missing. */
    static final class DhcpDevices extends ZeroLossReconfigurationTest.MemoryDevices {
        final MemoryWan wan;
        volatile int address;
        volatile int ifindex = 2;
        final List<Integer> moved = new ArrayList<>();
        volatile boolean tunDeleted;

        DhcpDevices(MemoryPort lan, MemoryWan wan, MemoryPort wanPort) {
            super(lan, wanPort);
            this.wan = wan;
        }

        @Override
        public int configureWan(Config next) {
            return address;
        }

        @Override
        public WanView observeWan() {
            return new WanView(address, address == 0 ? 0 : ifindex);
        }

        @Override
        public synchronized void underlayMoved(int wanAddress) {
            moved.add(wanAddress);
            wan.readdress(wanPort, wanAddress);
        }

        @Override
        public String repairRouterDevice() {
            if (tunDeleted) {
                tunDeleted = false;
                return "TUN device tb-gre was deleted";
            }
            return null;
        }
    }

    static String dhcpConfig() {
        return """
                { "system": { "hostname": "RA" },
                  "interfaces": { "wan": { "nic": "wan", "dhcp": true },
                                  "lan": { "nic": "lan", "address": "192.168.1.254/24" } },
                  "tunnels": [ { "name": "gre1", "remote": "203.0.113.1", "key": 7, "sequence": true } ],
                  "routes": [ { "prefix": "192.168.2.0/24", "tunnel": "gre1" } ] }
                """;
    }

    @Test
    void shouldWaitForALateWanAddressThenStartAndFollowEveryChange(@TempDir Path dir) throws Exception {
        MemoryWan wan = new MemoryWan();
        MemoryPort lan = new MemoryPort("ra-lan", Layer.IP, 1500);
        MemoryPort host = new MemoryPort("ra-host", Layer.IP, 1500);
        MemoryPort.wire(lan, host);
        // The WAN port is on the wire from the start, at the address DHCP will hand out.
        DhcpDevices devices = new DhcpDevices(lan, wan, wan.attach("ra-wan", RA, 1500));
        DatapathApplier applier = new DatapathApplier(devices, Clock.SYSTEM);
        ZeroLossReconfigurationTest.Box rb = ZeroLossReconfigurationTest.box(dir, wan, "rb", RB,
                ZeroLossReconfigurationTest.config("RB", "203.0.113.1", "192.168.2.254", "198.51.100.1",
                        "192.168.1.0/24", ""));
        try {
            ConfigService ra = new ConfigService(new ConfigStore(dir.resolve("ra"), 20, Clock.SYSTEM), applier, Clock.SYSTEM);
            CommitResult r = ra.commit(ConfigJson.mapper().readTree(dhcpConfig()), "admin", "DHCP WAN");
            assertTrue(r.ok(), "accepted without a WAN address: " + r);
            assertNull(applier.router(), "nothing runs yet");
            assertEquals(DatapathApplier.WAITING_FOR_WAN, applier.holdReason());
            ShowCommands show = new ShowCommands(ra, applier);
            assertTrue(show.answer("show tunnels").contains("Tunnel gre1 is down (waiting for WAN address)"),
                    show.answer("show tunnels"));

            applier.maintain(ra.running()); // still nothing
            assertNull(applier.router());

            devices.address = RA; // the lease arrives
            applier.maintain(ra.running());
            assertNotNull(applier.router(), "tunnels start on the address");
            assertNull(applier.holdReason());
            assertEquals(RA, applier.router().tunnel("gre1").orElseThrow().spec().local());
            assertEquals(List.of("192.168.2.0/24"), devices.routes);
            host.sendBytes(ZeroLossReconfigurationTest.udp(1));
            assertEquals(1, awaitPackets(rb.host(), 1), "traffic flows once the address came");

            devices.address = RA_NEW; // a renewal hands out another address
            applier.maintain(ra.running());
            assertEquals(RA_NEW, applier.router().tunnel("gre1").orElseThrow().spec().local(), "re-sourced");
            assertEquals(List.of(RA_NEW), devices.moved, "the sockets followed");
            wan.clearCaptured();
            host.sendBytes(ZeroLossReconfigurationTest.udp(2));
            long deadline = System.currentTimeMillis() + 5_000;
            while (wan.captured().isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
            byte[] outer = wan.captured().getFirst();
            assertEquals(RA_NEW, ((outer[12] & 0xff) << 24) | ((outer[13] & 0xff) << 16) | ((outer[14] & 0xff) << 8) | (outer[15] & 0xff),
                    "delivery packets leave from the new address");

            devices.address = 0; // lease lost
            applier.maintain(ra.running());
            assertEquals(DatapathApplier.WAITING_FOR_WAN, applier.holdReason());
            assertTrue(show.answer("show tunnels").startsWith("Tunnels are down: waiting for WAN address"));
            devices.address = RA_NEW;
            devices.ifindex = 9; // and the NIC came back as a new interface
            applier.maintain(ra.running());
            assertNull(applier.holdReason());
            assertEquals(List.of(RA_NEW, RA_NEW), devices.moved, "sockets follow the re-created NIC");

            devices.tunDeleted = true;
            applier.maintain(ra.running());
            assertTrue(applier.lastRepair().startsWith("TUN device tb-gre was deleted; re-created at"), applier.lastRepair());
            assertTrue(show.answer("show tunnels").contains("Last repair: TUN device tb-gre was deleted"));
        } finally {
            applier.close();
            rb.applier().close();
        }
    }

    private static int awaitPackets(MemoryPort port, int want) throws InterruptedException {
        int got = 0;
        for (int i = 0; i < 500 && got < want; i++) {
            got += port.drain().size();
            Thread.sleep(10);
        }
        return got;
    }
}
