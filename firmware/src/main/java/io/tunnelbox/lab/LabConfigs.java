package io.tunnelbox.lab;

/**
 * The configuration files of the lab's boxes, in the firmware's own format (see the README's
 * "Configuration"): what an admin would write for RA, RB and the VXLAN sites.
 */
final class LabConfigs {
    static final int GRE_KEY = 0x1388;

    private LabConfigs() {
    }

    /** A router as {@link #router(String, String, String, String, String, String, String)}, its page on the LAN. */
    static String router(String hostname, String wan, String wanGateway, String lan, String remote, String remoteLan) {
        return router(hostname, wan, wanGateway, lan, remote, remoteLan, null);
    }

    /**
     * The seed's RA or RB; its web page on the WAN address, open to {@code manager} only (on the
     * LAN, the default, when null).
     */
    static String router(String hostname, String wan, String wanGateway, String lan, String remote,
            String remoteLan, String manager) {
        return """
                // %1$s: the seed's GRE site-to-site router, written by `tunnelbox lab`.
                {
                  "system": { "hostname": "%1$s" },
                  "interfaces": {
                    "wan": { "nic": "wan", "address": "%2$s/24", "gateway": "%3$s" },
                    "lan": { "nic": "lan", "address": "%4$s/24" }
                  },
                  "tunnels": [
                    { "name": "gre1", "remote": "%5$s", "key": %7$d, "sequence": true,
                      "keepalive": { "interval": 2, "retries": 3 } }
                  ],
                  "routes": [ { "prefix": "%6$s", "tunnel": "gre1" } ]%8$s
                }
                """.formatted(hostname, wan, wanGateway, lan, remote, remoteLan, GRE_KEY, manager == null ? "" : """
                ,
                  // the page on the WAN, opened to the machine running the lab only (its management cable)
                  "web": { "listen": "%1$s" },
                  "firewall": { "open": [ { "protocol": "tcp", "port": 443, "from": "%2$s/32" },
                                          { "protocol": "tcp", "port": 80, "from": "%2$s/32" } ] }""".formatted(wan, manager));
    }

    /**
     * RB of the fault lab's last part: its tunnel's remote and its head-end segments' peer are RA
     * by DNS name ({@code remoteName}, resolved through the hosts file the lab points the box at),
     * and it has a segment of each mode (VXLAN head-end, VXLAN multicast group, Ethernet over GRE)
     * for a stranger on the WAN to knock on.
     */
    static String namedRouter(String hostname, String wan, String wanGateway, String lan, String remoteName,
            String remoteLan, String groupMember) {
        return """
                // %1$s: the fault lab's router with peers by DNS name and a segment of each mode.
                {
                  "system": { "hostname": "%1$s" },
                  "interfaces": {
                    "wan": { "nic": "wan", "address": "%2$s/24", "gateway": "%3$s" },
                    "lan": { "nic": "lan", "address": "%4$s/24" }
                  },
                  "tunnels": [
                    { "name": "gre1", "remote": "%5$s", "key": %7$d, "sequence": true,
                      "keepalive": { "interval": 2, "retries": 3 } }
                  ],
                  "routes": [ { "prefix": "%6$s", "tunnel": "gre1" } ],
                  "segments": [
                    { "name": "headend", "transport": "vxlan", "id": 5000, "vlan": 0,
                      "flood": { "peers": ["%5$s"] } },
                    { "name": "group", "transport": "vxlan", "id": 5001, "vlan": 10,
                      "flood": { "group": "%9$s" }, "allow": ["%8$s"] },
                    { "name": "eogre", "transport": "gre", "id": 7001, "vlan": 20,
                      "flood": { "peers": ["%5$s"] } }
                  ]
                }
                """.formatted(hostname, wan, wanGateway, lan, remoteName, remoteLan, GRE_KEY, groupMember,
                LabTopology.GROUP);
    }

    /** A VTEP as {@link #vtep(String, String, String[], boolean, String)}, its page left closed. */
    static String vtep(String hostname, String wan, String[] peers, boolean multicast) {
        return vtep(hostname, wan, peers, multicast, null);
    }

    /**
     * A VTEP on VNI 5000, untagged on its LAN, flooding to peers or to the lab's group; its web page
     * on the WAN address, open to {@code manager} only (none when null).
     */
    static String vtep(String hostname, String wan, String[] peers, boolean multicast, String manager) {
        String list = "[\"" + String.join("\", \"", peers) + "\"]";
        // A group segment accepts only the VTEPs it lists (issue 19): the other sites.
        String flood = multicast
                ? "{ \"mode\": \"group\", \"group\": \"" + LabTopology.GROUP + "\" }, \"allow\": " + list
                : "{ \"mode\": \"peers\", \"peers\": " + list + " }";
        String page = manager == null ? "" : """
                ,
                  "web": { "listen": "%1$s" },
                  "firewall": { "open": [ { "protocol": "tcp", "port": 443, "from": "%2$s/32" },
                                          { "protocol": "tcp", "port": 80, "from": "%2$s/32" } ] }""".formatted(wan, manager);
        return """
                // %1$s: a VXLAN VTEP site, written by `tunnelbox lab`.
                {
                  "system": { "hostname": "%1$s" },
                  "interfaces": {
                    "wan": { "nic": "wan", "address": "%2$s/24" },
                    "lan": { "nic": "lan", "dhcp": false }
                  },
                  "segments": [
                    { "name": "office", "transport": "vxlan", "id": %3$d, "vlan": 0,
                      "flood": %4$s }
                  ]%5$s
                }
                """.formatted(hostname, wan, LabTopology.VNI, flood, page);
    }
}
