package io.tunnelbox.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code show ipsec}, as the console and the control socket print it, from the typed records. */
class ShowIpsecTest {
    static ShowCommands with(List<DeviceView.IpsecStatus> peers) {
        InMemoryDeviceView base = new InMemoryDeviceView();
        DeviceView view = new DeviceView() {
            @Override
            public VersionInfo version() {
                return base.version();
            }

            @Override
            public List<InterfaceStatus> interfaces() {
                return List.of();
            }

            @Override
            public List<TunnelStatus> tunnels() {
                return List.of();
            }

            @Override
            public List<SegmentStatus> segments() {
                return List.of();
            }

            @Override
            public List<MacEntry> macTable() {
                return List.of();
            }

            @Override
            public List<String> flows() {
                return List.of();
            }

            @Override
            public List<RouteEntry> routes() {
                return List.of();
            }

            @Override
            public Map<String, Long> counters() {
                return Map.of();
            }

            @Override
            public void clearCounters() {
            }

            @Override
            public List<IpsecStatus> ipsec() {
                return peers;
            }
        };
        return new ShowCommands(view, null, null);
    }

    @Test
    void shouldShowEachPeerWithItsSasOrWhyItHasNone() {
        List<DeviceView.IpsecStatus> peers = List.of(
                new DeviceView.IpsecStatus("198.51.100.2", "198.51.100.1", List.of("gre1", "office"), "psk", "up", "",
                        "AES_GCM_16-256/PRF_HMAC_SHA2_384/CURVE_25519", "AES_GCM_16-256", 1344, 1400, 12, 13, 42, 40,
                        "198.51.100.2"),
                new DeviceView.IpsecStatus("198.51.100.3", "198.51.100.1", List.of("gre2"), "psk", "down",
                        "ipsec: auth failed", "", "", 0, 0, 0, 0, 0, 0, ""));
        assertEquals(List.of(
                "PEER          USED BY      AUTH  STATE  IN    OUT",
                "198.51.100.2  gre1,office  psk   up     1344  1400",
                "198.51.100.3  gre2         psk   down      0     0",
                "Peer 198.51.100.3 is down: ipsec: auth failed",
                "",
                "Peer 198.51.100.2 (198.51.100.2) from 198.51.100.1: up 42 s, last rekey 40 s ago",
                "  IKE  AES_GCM_16-256/PRF_HMAC_SHA2_384/CURVE_25519",
                "  ESP  AES_GCM_16-256",
                "  in 12 packets, 1344 bytes; out 13 packets, 1400 bytes"), with(peers).answer("show ipsec"));
        assertEquals(List.of("no encrypted tunnels or segments"), with(List.of()).answer("show ipsec"));
    }
}
