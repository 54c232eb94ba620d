package io.tunnelbox.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.config.CommitResult;
import io.tunnelbox.config.Config;
import io.tunnelbox.config.ConfigJson;
import io.tunnelbox.config.ConfigService;
import io.tunnelbox.config.ConfigStore;
import io.tunnelbox.firewall.Firewall;
import io.tunnelbox.hal.port.PacketPort.Layer;
import io.tunnelbox.hal.port.memory.MemoryPort;
import io.tunnelbox.hal.port.memory.MemoryWan;
import io.tunnelbox.hal.time.Clock;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The firewall follows every applied configuration, is in place while the roles still wait for a
 * WAN address, answers {@code show firewall}, and goes when the box stops.
 */
class FirewallWiringTest {
    /** Records what the box asks of its firewall. */
    static final class RecordingFirewall implements Firewall {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public void apply(Config next) {
            calls.add("apply " + next.system().hostname());
        }

        @Override
        public String show() {
            return "table inet tunnelbox { }";
        }

        @Override
        public void close() {
            calls.add("close");
        }
    }

    @Test
    void shouldFilterBeforeTheWanHasAnAddressAndRemoveTheFilterAtStop(@TempDir Path dir) throws Exception {
        MemoryWan wan = new MemoryWan();
        MemoryPort lan = new MemoryPort("ra-lan", Layer.IP, 1500);
        WanFollowTest.DhcpDevices devices = new WanFollowTest.DhcpDevices(lan, wan, wan.attach("ra-wan", 0x0a000001, 1500));
        RecordingFirewall firewall = new RecordingFirewall();
        DatapathApplier applier = new DatapathApplier(devices, Clock.SYSTEM, firewall);
        ConfigService box = new ConfigService(new ConfigStore(dir, 20, Clock.SYSTEM), applier, Clock.SYSTEM);
        CommitResult r = box.commit(ConfigJson.mapper().readTree(WanFollowTest.dhcpConfig()), "admin", "DHCP WAN");
        assertTrue(r.ok(), r.toString());
        assertNull(applier.router(), "the tunnel waits for the WAN address");
        assertEquals("apply RA", firewall.calls.getLast(), "but the firewall is in place already");
        assertEquals("table inet tunnelbox { }", new ShowCommands(box, applier).answer("show firewall"));
        assertEquals(List.of("table inet tunnelbox { }"), new EngineDeviceView(box, applier, Clock.SYSTEM, "lab", "wan0", "lan0").firewall());

        applier.close();
        assertEquals("close", firewall.calls.getLast());
    }
}
