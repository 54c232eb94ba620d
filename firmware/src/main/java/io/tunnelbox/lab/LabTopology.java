package io.tunnelbox.lab;

import java.util.ArrayList;
import java.util.List;

/**
 * The lab's network namespaces, veth cables and addresses: the seed's RA/RB picture and a
 * three-site VXLAN segment, with documentation-range WAN addresses only (RFC 5737), never real
 * public ones.
 *
 * <pre>
 * GRE:    tbx-ha (192.168.1.1) -- tbx-ra [198.51.100.1] -- tbx-wan -- [203.0.113.1] tbx-rb -- tbx-hb (192.168.2.1)
 * VXLAN:  tbx-h1 (10.0.0.1) -- tbx-v1 [192.0.2.1] --+
 *         tbx-h2 (10.0.0.2) -- tbx-v2 [192.0.2.2] --+-- tbx-vwan (bridge)
 *                 (10.0.0.3)   tbx-v3 [192.0.2.3] --+   tbx-v3 is the Linux kernel's own vxlan device
 * </pre>
 *
 * Every name starts with {@link #PREFIX}, so {@link #destroy()} can remove exactly what a lab
 * made, including leftovers of a lab that was killed.
 */
public final class LabTopology {
    public static final String PREFIX = "tbx-";

    public static final String HOST_A = "tbx-ha", RA = "tbx-ra", WAN = "tbx-wan", RB = "tbx-rb",
            HOST_B = "tbx-hb";
    public static final String V1 = "tbx-v1", V2 = "tbx-v2", V3 = "tbx-v3", H1 = "tbx-h1",
            H2 = "tbx-h2", VWAN = "tbx-vwan";

    public static final String RA_WAN = "198.51.100.1", RB_WAN = "203.0.113.1";
    public static final String HOST_A_IP = "192.168.1.1", HOST_B_IP = "192.168.2.1";
    public static final String[] VTEP = {"192.0.2.1", "192.0.2.2", "192.0.2.3"};
    public static final String[] VM = {"10.0.0.1", "10.0.0.2", "10.0.0.3"};
    public static final String GROUP = "239.1.1.1";
    public static final int VNI = 5000;

    /** The box-side interface names the firmware configs refer to. */
    public static final String LAN_IF = "lan0", WAN_IF = "wan0";

    /** Builds the GRE router picture: hosts, RA, RB, and a WAN router between them. */
    public void buildGre() {
        for (String ns : List.of(HOST_A, RA, WAN, RB, HOST_B)) {
            addNamespace(ns);
        }
        cable(HOST_A, "eth0", RA, LAN_IF);
        cable(RA, WAN_IF, WAN, "to-ra");
        cable(WAN, "to-rb", RB, WAN_IF);
        cable(RB, LAN_IF, HOST_B, "eth0");
        address(HOST_A, "eth0", HOST_A_IP + "/24");
        // RA and RB put their LAN addresses (192.168.1.254, 192.168.2.254) on lan0 themselves, from
        // their configuration, as a box on a fresh image must: the hosts' gateway ARP proves it.
        address(RA, WAN_IF, RA_WAN + "/24");
        address(WAN, "to-ra", "198.51.100.254/24");
        address(WAN, "to-rb", "203.0.113.254/24");
        address(RB, WAN_IF, RB_WAN + "/24");
        address(HOST_B, "eth0", HOST_B_IP + "/24");
        HostCommand.in(HOST_A, "ip", "route", "add", "default", "via", "192.168.1.254");
        HostCommand.in(HOST_B, "ip", "route", "add", "default", "via", "192.168.2.254");
        HostCommand.in(RA, "ip", "route", "add", "default", "via", "198.51.100.254");
        HostCommand.in(RB, "ip", "route", "add", "default", "via", "203.0.113.254");
        for (String ns : List.of(RA, WAN, RB)) {
            HostCommand.in(ns, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        }
    }

    /**
     * Builds the VXLAN sites: v1 and v2 are TunnelBox sites (WAN port plus a LAN cable to their
     * host), v3 is a namespace where the kernel's vxlan device will be the third VTEP.
     */
    public void buildVxlanSites() {
        for (String ns : List.of(VWAN, V1, V2, V3, H1, H2)) {
            addNamespace(ns);
        }
        HostCommand.in(VWAN, "ip", "link", "add", "br0", "type", "bridge", "mcast_snooping", "0");
        HostCommand.in(VWAN, "ip", "link", "set", "br0", "up");
        String[] sites = {V1, V2, V3};
        for (int i = 0; i < 3; i++) {
            String port = "to-v" + (i + 1);
            cable(sites[i], WAN_IF, VWAN, port);
            HostCommand.in(VWAN, "ip", "link", "set", port, "master", "br0");
            address(sites[i], WAN_IF, VTEP[i] + "/24");
        }
        cable(H1, "eth0", V1, LAN_IF);
        cable(H2, "eth0", V2, LAN_IF);
        address(H1, "eth0", VM[0] + "/24");
        address(H2, "eth0", VM[1] + "/24");
        // A VTEP cannot fragment Ethernet frames: hosts on a VXLAN segment get an MTU that leaves
        // room for the 50 bytes of outer headers, as OpenStack gives its VMs 1450.
        HostCommand.in(H1, "ip", "link", "set", "eth0", "mtu", "1450");
        HostCommand.in(H2, "ip", "link", "set", "eth0", "mtu", "1450");
        // The hosts' MACs are fixed so the MAC tables in the lab's printout are easy to read.
        HostCommand.in(H1, "ip", "link", "set", "eth0", "address", "02:00:00:00:00:01");
        HostCommand.in(H2, "ip", "link", "set", "eth0", "address", "02:00:00:00:00:02");
    }

    /**
     * Makes v3's kernel vxlan device: head-end replication to {@code peers}, or, when
     * {@code group} is set, the multicast group on the WAN interface.
     */
    public void kernelVtep(boolean multicast) {
        HostCommand.attempt(HostCommand.inNs(V3, "ip", "link", "del", "vx0"));
        if (multicast) {
            HostCommand.in(V3, "ip", "link", "add", "vx0", "type", "vxlan", "id", String.valueOf(VNI),
                    "group", GROUP, "dev", WAN_IF, "dstport", "4789", "ttl", "4");
        } else {
            HostCommand.in(V3, "ip", "link", "add", "vx0", "type", "vxlan", "id", String.valueOf(VNI),
                    "local", VTEP[2], "dstport", "4789");
            for (int i = 0; i < 2; i++) {
                HostCommand.in(V3, "bridge", "fdb", "append", "00:00:00:00:00:00", "dev", "vx0",
                        "dst", VTEP[i]);
            }
        }
        HostCommand.in(V3, "ip", "link", "set", "vx0", "address", "02:00:00:00:00:03");
        // On veth nothing ever fills in a checksum left to "hardware": the kernel VTEP would send
        // TCP segments whose inner checksum is only the pseudo-header sum, and the receiving host
        // drops them. A real NIC computes it on the wire; here the kernel must do it before
        // encapsulating.
        HostCommand.in(V3, "ethtool", "-K", "vx0", "tx", "off");
        address(V3, "vx0", VM[2] + "/24");
    }

    private void addNamespace(String ns) {
        HostCommand.attempt(List.of("ip", "netns", "del", ns));
        HostCommand.run("ip", "netns", "add", ns);
        HostCommand.in(ns, "ip", "link", "set", "lo", "up");
        // IPv4 only: IPv6 autoconfiguration chatter (MLD, router solicitations) would fill the
        // captures the lab prints and hide the packets it is about.
        HostCommand.in(ns, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1");
        HostCommand.in(ns, "sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1");
    }

    /** A stranger on RB's WAN segment (the fault lab's last part): anyone on the internet next to the box. */
    public static final String STRANGER = "tbx-stranger", STRANGER_IP = "203.0.113.66";

    /**
     * Puts the stranger on RB's WAN wire: a macvlan on the WAN router's cable to RB, moved into its
     * own namespace, so what it sends reaches RB's WAN NIC as from a neighbour on the same link
     * (multicast to the segment's group included).
     */
    static void addStranger() {
        HostCommand.attempt(List.of("ip", "netns", "del", STRANGER));
        HostCommand.run("ip", "netns", "add", STRANGER);
        HostCommand.in(STRANGER, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1");
        HostCommand.in(STRANGER, "sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1");
        HostCommand.in(WAN, "ip", "link", "add", "st0", "link", "to-rb", "type", "macvlan", "mode", "bridge");
        HostCommand.in(WAN, "ip", "link", "set", "st0", "netns", STRANGER);
        address(STRANGER, "st0", STRANGER_IP + "/24");
    }

    /** RB's WAN cable plugged in again after it was deleted (a USB NIC that re-enumerated); RB's side stays unaddressed. */
    static void recableRbWan() {
        cable(WAN, "to-rb", RB, WAN_IF);
        address(WAN, "to-rb", "203.0.113.254/24");
    }

    private static void cable(String nsA, String ifA, String nsB, String ifB) {
        // Create with temporary names in the root namespace, then move and rename: interface
        // names only need to be unique per namespace, and this keeps the root namespace clean.
        String tmpA = "tbxa" + Integer.toHexString((nsA + ifA).hashCode() & 0xFFFFFF);
        String tmpB = "tbxb" + Integer.toHexString((nsB + ifB).hashCode() & 0xFFFFFF);
        HostCommand.run("ip", "link", "add", tmpA, "netns", nsA, "type", "veth", "peer", "name", tmpB,
                "netns", nsB);
        HostCommand.in(nsA, "ip", "link", "set", tmpA, "name", ifA);
        HostCommand.in(nsB, "ip", "link", "set", tmpB, "name", ifB);
        HostCommand.in(nsA, "ip", "link", "set", ifA, "up");
        HostCommand.in(nsB, "ip", "link", "set", ifB, "up");
    }

    private static void address(String ns, String dev, String cidr) {
        HostCommand.in(ns, "ip", "addr", "add", cidr, "dev", dev);
        HostCommand.in(ns, "ip", "link", "set", dev, "up");
    }

    /**
     * Where the boxes' pages see the lab machine's requests come from: its own cable address for
     * the GRE routers, the WAN bridge namespace's address (it translates) for the VXLAN sites.
     */
    public static final String MGMT_GRE_HOST = "198.18.0.1", MGMT_VXLAN_HOST = "192.0.2.254";
    /** The VXLAN WAN namespace's end of its management cable, where site n's page is port n443. */
    public static final String MGMT_VXLAN_GATE = "198.18.0.6";

    /**
     * A management cable from the machine running the lab into a WAN, so an admin can open the
     * boxes' web pages in a browser there, over the WAN as a head office would (each box opens its
     * page to one address, {@code firewall.open}). Addresses are in RFC 2544's benchmarking range.
     * GRE: {@code tbxm-wan} (198.18.0.1/30) to the WAN router, with routes to RA's and RB's WANs.
     * VXLAN: {@code tbxm-vwan} (198.18.0.5/30) to the WAN bridge's namespace, which forwards port
     * 1443 to site 1's page and 2443 to site 2's (translating to its bridge address 192.0.2.254), so
     * the machine needs no route into 192.0.2.0/24, which may be its own network. Deleting the
     * namespaces deletes the cables, their routes and the translation.
     */
    public void management(boolean gre) {
        String root = gre ? "tbxm-wan" : "tbxm-vwan";
        String ns = gre ? WAN : VWAN;
        String rootSide = gre ? MGMT_GRE_HOST : "198.18.0.5";
        String nsSide = gre ? "198.18.0.2" : MGMT_VXLAN_GATE;
        HostCommand.attempt(List.of("ip", "link", "del", root));
        HostCommand.run("ip", "link", "add", root, "type", "veth", "peer", "name", "mgmt0", "netns", ns);
        HostCommand.attempt(List.of("sysctl", "-q", "-w", "net.ipv6.conf." + root + ".disable_ipv6=1"));
        HostCommand.run("ip", "addr", "add", rootSide + "/30", "dev", root);
        HostCommand.run("ip", "link", "set", root, "up");
        address(ns, "mgmt0", nsSide + "/30");
        if (gre) {
            HostCommand.run("ip", "route", "replace", "198.51.100.0/24", "via", nsSide, "dev", root);
            HostCommand.run("ip", "route", "replace", "203.0.113.0/24", "via", nsSide, "dev", root);
            return;
        }
        address(VWAN, "br0", MGMT_VXLAN_HOST + "/24");
        HostCommand.in(VWAN, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        // Best effort: without nft the lab runs on, only the sites' pages are out of reach.
        HostCommand.attempt(HostCommand.inNs(VWAN, "nft", "add table ip tbxlab; "
                + "add chain ip tbxlab pre { type nat hook prerouting priority dstnat; }; "
                + "add chain ip tbxlab post { type nat hook postrouting priority srcnat; }; "
                + "add rule ip tbxlab pre iifname \"mgmt0\" tcp dport 1443 dnat to " + VTEP[0] + ":443; "
                + "add rule ip tbxlab pre iifname \"mgmt0\" tcp dport 2443 dnat to " + VTEP[1] + ":443; "
                // Only the translated management connections: with br_netfilter loaded (Docker
                // does), the VTEPs' own VXLAN packets crossing br0 pass this hook too, and a plain
                // masquerade rewrote their source, so the kernel VTEP learned 192.0.2.254.
                + "add rule ip tbxlab post oifname \"br0\" ct status dnat masquerade"));
    }

    public static final String P1 = "tbx-p1", P2 = "tbx-p2", K1 = "tbx-k1", K2 = "tbx-k2";

    /**
     * The benchmark's yardsticks: a plain veth pair (p1 10.9.0.1 - p2 10.9.0.2) and a pair of
     * kernel VXLAN devices over a veth underlay (k1 10.8.0.1 - k2 10.8.0.2, VNI 5000).
     */
    public void buildBenchPairs() {
        for (String ns : List.of(P1, P2, K1, K2)) {
            addNamespace(ns);
        }
        cable(P1, "eth0", P2, "eth0");
        address(P1, "eth0", "10.9.0.1/24");
        address(P2, "eth0", "10.9.0.2/24");
        cable(K1, WAN_IF, K2, WAN_IF);
        address(K1, WAN_IF, "192.0.2.101/24");
        address(K2, WAN_IF, "192.0.2.102/24");
        String[][] ends = {{K1, "192.0.2.101", "192.0.2.102", "10.8.0.1/24"}, {K2, "192.0.2.102", "192.0.2.101", "10.8.0.2/24"}};
        for (String[] e : ends) {
            HostCommand.in(e[0], "ip", "link", "add", "vx0", "type", "vxlan", "id", String.valueOf(VNI),
                    "local", e[1], "remote", e[2], "dstport", "4789");
            address(e[0], "vx0", e[3]);
        }
    }

    /** Removes only the VXLAN sites (to rebuild them in another flood mode), leaving the GRE part. */
    public static void destroyVxlan() {
        for (String ns : List.of(V1, V2, V3, H1, H2, VWAN)) {
            remove(ns);
        }
    }

    /** Names of lab namespaces that exist now. */
    public static List<String> existing() {
        HostCommand.Result r = HostCommand.attempt(List.of("ip", "netns", "list"));
        List<String> out = new ArrayList<>();
        for (String line : r.output().split("\n")) {
            String name = line.strip().split(" ")[0];
            if (name.startsWith(PREFIX)) {
                out.add(name);
            }
        }
        return out;
    }

    /**
     * Removes every lab namespace (those this object made and any left over by an earlier lab);
     * deleting a namespace removes its veths, routes and devices with it. Returns what remains,
     * which should be nothing.
     */
    public static List<String> destroy() {
        for (String ns : existing()) {
            remove(ns);
        }
        return existing();
    }

    private static void remove(String ns) {
        // Processes still inside (boxes of a --keep lab) would keep the namespace's devices alive.
        HostCommand.attempt(List.of("ip", "netns", "pids", ns)).output().lines()
                .filter(s -> !s.isBlank())
                .forEach(pid -> HostCommand.attempt(List.of("kill", "-9", pid.strip())));
        HostCommand.attempt(List.of("ip", "netns", "del", ns));
    }
}
