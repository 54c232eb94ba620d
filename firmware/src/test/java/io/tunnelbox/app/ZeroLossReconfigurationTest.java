package io.tunnelbox.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunnelbox.config.CommitResult;
import io.tunnelbox.config.Config;
import io.tunnelbox.config.ConfigJson;
import io.tunnelbox.config.ConfigService;
import io.tunnelbox.config.ConfigStore;
import io.tunnelbox.hal.port.PacketPort.Layer;
import io.tunnelbox.hal.port.memory.MemoryPort;
import io.tunnelbox.hal.port.memory.MemoryWan;
import io.tunnelbox.hal.time.Clock;
import io.tunnelbox.packet.IpProtocol;
import io.tunnelbox.packet.Ipv4;
import io.tunnelbox.packet.Ipv4Address;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8's promise, through the real commit path (ConfigService -> DatapathApplier -> datapath
 * threads): while an admin adds, changes and removes another tunnel thirty times, every packet on
 * the untouched tunnel arrives.
 */
class ZeroLossReconfigurationTest {
    static final int RA = Ipv4Address.parse("198.51.100.1");
    static final int RB = Ipv4Address.parse("203.0.113.1");
    static final int PACKETS = 3000;

    /** Devices of a box whose ports are in memory: a LAN cable to a host and a WAN port. */
    static class MemoryDevices implements Devices {
        final MemoryPort lan;
        final MemoryPort wanPort;
        final List<String> routes = new ArrayList<>();

        MemoryDevices(MemoryPort lan, MemoryPort wanPort) {
            this.lan = lan;
            this.wanPort = wanPort;
        }

        @Override
        public int configureWan(Config next) {
            // Factory defaults (a DHCP WAN) have no address yet: 0, as the real devices answer.
            var address = next.interfaces().wan().address();
            return address == null ? 0 : address.address();
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
            throw new UnsupportedOperationException("no switch in this test");
        }

        @Override
        public synchronized void routeAdded(String prefix) {
            routes.add(prefix);
        }

        @Override
        public synchronized void routeRemoved(String prefix) {
            routes.remove(prefix);
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

    static String config(String name, String wan, String lan, String remote, String remoteLan, String extra) {
        return """
                { "system": { "hostname": "%s" },
                  "interfaces": { "wan": { "nic": "wan", "address": "%s/24" },
                                  "lan": { "nic": "lan", "address": "%s/24" } },
                  "tunnels": [ { "name": "gre1", "remote": "%s", "key": 7, "sequence": true } %s ],
                  "routes": [ { "prefix": "%s", "tunnel": "gre1" } ] }
                """.formatted(name, wan, lan, remote, extra, remoteLan);
    }

    record Box(ConfigService config, DatapathApplier applier, MemoryPort host, MemoryDevices devices) {
    }

    static Box box(Path dir, MemoryWan wan, String name, int wanAddress, String configText) throws Exception {
        MemoryPort lan = new MemoryPort(name + "-lan", Layer.IP, 1500);
        MemoryPort host = new MemoryPort(name + "-host", Layer.IP, 1500);
        MemoryPort.wire(lan, host);
        MemoryDevices devices = new MemoryDevices(lan, wan.attach(name + "-wan", wanAddress, 1500));
        DatapathApplier applier = new DatapathApplier(devices, Clock.SYSTEM);
        ConfigService service = new ConfigService(new ConfigStore(dir.resolve(name), 20, Clock.SYSTEM), applier,
                Clock.SYSTEM);
        CommitResult r = service.commit(ConfigJson.mapper().readTree(configText), "test", "initial");
        assertTrue(r.ok(), r.toString());
        return new Box(service, applier, host, devices);
    }

    static byte[] udp(int seq) {
        byte[] p = new byte[Ipv4.HEADER + 8 + 32];
        MemorySegment seg = MemorySegment.ofArray(p);
        Ipv4.write(seg, 0, 0, p.length, seq & 0xFFFF, 0, 64, IpProtocol.UDP,
                Ipv4Address.parse("192.168.1.1"), Ipv4Address.parse("192.168.2.1"));
        p[Ipv4.HEADER] = 0x30;
        p[Ipv4.HEADER + 1] = 0x39;
        p[Ipv4.HEADER + 3] = 0x35;
        p[Ipv4.HEADER + 5] = 40;
        return p;
    }

    @Test
    void shouldLoseNothingOnAnUntouchedTunnelWhileAnotherIsAddedChangedAndRemoved(@TempDir Path dir)
            throws Exception {
        MemoryWan wan = new MemoryWan();
        Box ra = box(dir, wan, "ra", RA, config("RA", "198.51.100.1", "192.168.1.254", "203.0.113.1",
                "192.168.2.0/24", ""));
        Box rb = box(dir, wan, "rb", RB, config("RB", "203.0.113.1", "192.168.2.254", "198.51.100.1",
                "192.168.1.0/24", ""));
        try {
            AtomicBoolean sending = new AtomicBoolean(true);
            Thread sender = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < PACKETS; i++) {
                    ra.host().sendBytes(udp(i));
                    if (i % 50 == 0) {
                        Thread.onSpinWait();
                        try {
                            Thread.sleep(1);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
                sending.set(false);
            });
            String withGre2 = ", { \"name\": \"gre2\", \"remote\": \"192.0.2.9\", \"key\": %d }";
            int commits = 0;
            for (int round = 0; commits < 30; round++) {
                String extra = switch (round % 3) {
                    case 0 -> withGre2.formatted(100);
                    case 1 -> withGre2.formatted(200);
                    default -> "";
                };
                JsonNode next = ConfigJson.mapper().readTree(config("RA", "198.51.100.1", "192.168.1.254",
                        "203.0.113.1", "192.168.2.0/24", extra));
                CommitResult r = ra.config().commit(next, "admin", "round " + round);
                assertTrue(r.ok(), r.toString());
                commits++;
            }
            sender.join(60_000);
            List<byte[]> got = new ArrayList<>();
            for (int wait = 0; wait < 1000 && got.size() < PACKETS; wait++) {
                got.addAll(rb.host().drain());
                Thread.sleep(10);
            }
            assertEquals(PACKETS, got.size(), "packets through gre1 while gre2 changed " + commits + " times");
            assertEquals(0, wan.dropped());
            assertEquals(List.of("192.168.2.0/24"), ra.devices().routes, "only gre1's route stays in the kernel");
            assertEquals(1, ra.applier().router().tunnels().size());
        } finally {
            ra.applier().close();
            rb.applier().close();
        }
    }
}
