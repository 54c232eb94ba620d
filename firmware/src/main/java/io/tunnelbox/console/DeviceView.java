package io.tunnelbox.console;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the front ends show about the running box, apart from its configuration: typed snapshots
 * taken from the datapaths. The console and the control socket render them with
 * {@link ShowCommands}; the web UI serves the same records as JSON, so every field is a plain
 * string, number, boolean, list or nested record. The application wires it to the engine
 * ({@code app.EngineDeviceView}); tests use an in-memory one. Calls come from front-end threads, so implementations
 * return snapshots, never live engine tables.
 */
public interface DeviceView {
    VersionInfo version();

    List<InterfaceStatus> interfaces();

    /** Box-wide lines shown above the tunnels ("Tunnels are down: waiting for WAN address"); none by default. */
    default List<String> notices() {
        return List.of();
    }

    /** Every configured tunnel, in configuration order, running or not. */
    List<TunnelStatus> tunnels();

    List<SegmentStatus> segments();

    /** Ordered by segment (configuration order), then MAC. */
    List<MacEntry> macTable();

    /** The L2 pipeline's tables in {@code ovs-ofctl dump-flows} style, one flow per line. */
    List<String> flows();

    List<RouteEntry> routes();

    /**
     * Drop and event counters by name, sorted by name (for example {@code router.drop.bad-checksum},
     * {@code switch.drop.unknown-vlan}, {@code tunnel.gre1.keepalives-sent}); zero drops left out.
     */
    Map<String, Long> counters();

    /** Zeroes every counter the views show: drops, tunnels, routes, segments, flows, interfaces. */
    void clearCounters();

    /** The box's firewall: its rules with counters ({@code nft list table}), or why there is none. */
    default List<String> firewall() {
        return List.of("no firewall on this box");
    }

    /** Every peer the configuration encrypts to, with its IPsec state; none by default. */
    default List<IpsecStatus> ipsec() {
        return List.of();
    }

    record VersionInfo(String firmware, String board, String hostname, Duration uptime) {
    }

    /** @param address the address with its prefix length, or "dhcp (none yet)" */
    record InterfaceStatus(String role, String nic, boolean up, String mac, String address, int mtu,
                           long rxPackets, long txPackets, long rxBytes, long txBytes, long drops) {
    }

    /** A counter by name: how lists of counters appear in records (JSON: {"name": .., "value": ..}). */
    record Counter(String name, long value) {
    }

    /**
     * @param state            "up", "down" or "not-running" (configured, but the engine does not run it)
     * @param reason           why the state is what it is: "configured", "keepalive-timeout",
     *                         "keepalive-reply", or for a tunnel that is not running the engine's
     *                         refusal; empty if unknown
     * @param sinceEpochMillis when the state last changed (0 if unknown)
     * @param ageSeconds       seconds since then, at the time of the snapshot
     * @param keepalive        true if keepalives decide the state (else a tunnel is up once configured)
     * @param detail           settings in force and the detailed counters, null for a tunnel not running
     */
    record TunnelStatus(String name, String local, String remote, String state, int mtu,
                        long txPackets, long rxPackets, long txBytes, long rxBytes, long drops,
                        String reason, long sinceEpochMillis, long ageSeconds, boolean keepalive,
                        TunnelDetail detail) {
        public TunnelStatus(String name, String local, String remote, String state, int mtu,
                            long txPackets, long rxPackets, long txBytes, long rxBytes, long drops) {
            this(name, local, remote, state, mtu, txPackets, rxPackets, txBytes, rxBytes, drops, "", 0, 0, false,
                    null);
        }
    }

    /**
     * A running tunnel's settings and counters, for {@code show tunnels NAME}.
     *
     * @param inputKey  key required on received packets, "none" for none
     * @param outputKey key sent, "none" for none
     * @param ttl       outer TTL or "inherit"
     * @param tos       outer TOS ("0x10") or "inherit"
     * @param df        outer DF: "set", "clear" or "inherit"
     * @param baseMtu   the MTU from configuration; {@code TunnelStatus.mtu} is lower while a learned
     *                  path MTU holds
     * @param mssClamp  "off", or the IPv4 MSS in force, with "(auto)" when it follows the MTU
     * @param keepaliveIntervalMillis 0 when keepalives are off
     * @param dropReasons this tunnel's drops by reason, non-zero ones
     */
    record TunnelDetail(String inputKey, String outputKey, boolean sequence, boolean checksum, String ttl,
                        String tos, String df, int baseMtu, String mssClamp, long keepaliveIntervalMillis,
                        int keepaliveRetries, int keepalivesUnanswered, long keepalivesSent,
                        long keepaliveReplies, long keepalivesReflected, long rxDrops, long txDrops,
                        long tooBig, long fragmented, long mssClamped, long pathMtuReports,
                        List<Counter> dropReasons) {
    }

    /**
     * @param vlan  0 for untagged
     * @param flood "peers 198.51.100.2,198.51.100.3" or "group 239.1.1.1"
     * @param tooBig frames dropped because their delivery packet would exceed the WAN MTU
     * @param fragmented delivery packets sent as IPv4 fragments (segments that allow it)
     * @param ipsec  "" in clear text, "up" when every peer's SA is, else why not ("ipsec: auth failed
     *               (198.51.100.2)")
     */
    record SegmentStatus(String name, String transport, long id, int vlan, String flood, int macs,
                         long txPackets, long rxPackets, long txBytes, long rxBytes, long floods,
                         long macLimitHits, long tooBig, long fragmented, boolean fragmentOuter, String ipsec) {
        public SegmentStatus(String name, String transport, long id, int vlan, String flood, int macs,
                             long txPackets, long rxPackets, long txBytes, long rxBytes, long floods,
                             long macLimitHits, long tooBig, long fragmented, boolean fragmentOuter) {
            this(name, transport, id, vlan, flood, macs, txPackets, rxPackets, txBytes, rxBytes, floods, macLimitHits,
                    tooBig, fragmented, fragmentOuter, "");
        }

        public SegmentStatus(String name, String transport, long id, int vlan, String flood, int macs,
                             long txPackets, long rxPackets) {
            this(name, transport, id, vlan, flood, macs, txPackets, rxPackets, 0, 0, 0, 0, 0, 0, false);
        }
    }

    /**
     * One IPsec peer ({@code show ipsec}): its IKE SA and child SAs as strongSwan reports them.
     *
     * @param usedBy            the tunnels and segments encrypted to it
     * @param auth              "psk" or "certificate"
     * @param state             "up" or "down"
     * @param reason            why down ("ipsec: no SA", "ipsec: auth failed", ...); "" when up
     * @param ike               IKE SA algorithms, "-" when down
     * @param esp               child SAs and their algorithms ("gre AES_GCM_16-256")
     * @param establishedSeconds age of the IKE SA
     * @param lastRekeySeconds  age of the newest child SA (a rekey makes a new one)
     * @param peerIdentity      the identity the peer authenticated with
     */
    record IpsecStatus(String peer, String local, List<String> usedBy, String auth, String state, String reason,
                       String ike, String esp, long bytesIn, long bytesOut, long packetsIn, long packetsOut,
                       long establishedSeconds, long lastRekeySeconds, String peerIdentity) {
        public IpsecStatus {
            usedBy = List.copyOf(usedBy);
        }
    }

    /**
     * @param segment the segment's configured name
     * @param vlan    the segment's LAN VLAN as configured, 0 for untagged
     * @param where   "lan" or the remote VTEP's address
     */
    record MacEntry(String segment, int vlan, String mac, String where, int ageSeconds, boolean isStatic,
                    long packets) {
        public MacEntry(String segment, int vlan, String mac, String where, int ageSeconds) {
            this(segment, vlan, mac, where, ageSeconds, false, 0);
        }
    }

    /**
     * @param via     the tunnel
     * @param active  false while the tunnel is missing or down ({@code note} says which)
     * @param packets packets that matched the route
     */
    record RouteEntry(String prefix, String via, long packets, boolean active, String note) {
        public RouteEntry(String prefix, String via, long packets) {
            this(prefix, via, packets, true, "");
        }
    }
}
