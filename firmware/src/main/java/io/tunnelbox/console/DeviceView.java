package io.tunnelbox.console;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the console shows about the running box, apart from its configuration. The application
 * wires it to the engine; {@link InMemoryDeviceView} serves tests and the sim board. Calls come
 * from the console's thread, so implementations return snapshots, never live engine tables.
 */
public interface DeviceView {
    VersionInfo version();

    List<InterfaceStatus> interfaces();

    List<TunnelStatus> tunnels();

    List<SegmentStatus> segments();

    List<MacEntry> macTable();

    /** The L2 pipeline's tables in {@code ovs-ofctl dump-flows} style, one flow per line. */
    List<String> flows();

    List<RouteEntry> routes();

    /** Drop and event counters by name (for example {@code router.drop.bad-checksum}). */
    Map<String, Long> counters();

    void clearCounters();

    /** The box's firewall: its rules with counters ({@code nft list table}), or why there is none. */
    default List<String> firewall() {
        return List.of("no firewall on this box");
    }

    record VersionInfo(String firmware, String board, String hostname, Duration uptime) {
    }

    /** @param address the address with its prefix length, or "dhcp (none yet)" */
    record InterfaceStatus(String role, String nic, boolean up, String mac, String address, int mtu,
                           long rxPackets, long txPackets, long rxBytes, long txBytes, long drops) {
    }

    /** @param state "up", "down" or "keepalive-down" */
    record TunnelStatus(String name, String local, String remote, String state, int mtu,
                        long txPackets, long rxPackets, long txBytes, long rxBytes, long drops) {
    }

    /** @param flood "peers 198.51.100.2,198.51.100.3" or "group 239.1.1.1" */
    record SegmentStatus(String name, String transport, long id, int vlan, String flood, int macs,
                         long txPackets, long rxPackets) {
    }

    /** @param where "lan" or the remote VTEP's address */
    record MacEntry(String segment, int vlan, String mac, String where, int ageSeconds) {
    }

    record RouteEntry(String prefix, String via, long packets) {
    }
}
