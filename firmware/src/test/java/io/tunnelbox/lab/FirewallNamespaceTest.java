package io.tunnelbox.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tunnelbox.control.ControlClient;
import io.tunnelbox.firewall.NftCounters;
import io.tunnelbox.hal.linux.Ip;
import io.tunnelbox.hal.testing.Requirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, "open to strangers on the WAN", against a real box in network namespaces: a stranger
 * on the WAN sends VXLAN into a head-end and a multicast-group segment, Ethernet over GRE, GRE to
 * the router, and plain packets to be routed into the tunnel and onto the LAN. Every packet must
 * be dropped and counted by the box's nftables table; packets from real peers that break the
 * rules (a segment they are not on, a LAN host's MAC) pass the firewall and are dropped and
 * counted by the datapath. The box's table must go at stop and leave other tables alone.
 *
 * <pre>
 *   firewall-wan  w0 198.51.100.66 (scapy sends as anyone) ── wan0 198.51.100.1  firewall-box
 *   firewall-lan  l0 192.168.1.1 ───────────────────────────── lan0 (bridged, LAN 192.168.1.254)
 * </pre>
 */
class FirewallNamespaceTest {
    static final long PID = ProcessHandle.current().pid();
    static final String BOX = "firewall-box-" + PID, WAN = "firewall-wan-" + PID, LAN = "firewall-lan-" + PID;
    static final int N = 5;

    static final String CONFIG = """
            {
              "system": { "hostname": "fwbox" },
              "interfaces": {
                "wan": { "nic": "wan", "address": "198.51.100.1/24" },
                "lan": { "nic": "lan", "address": "192.168.1.254/24" }
              },
              "tunnels": [ { "name": "gre1", "remote": "198.51.100.2", "key": 42 } ],
              "routes": [ { "prefix": "192.168.2.0/24", "tunnel": "gre1" } ],
              "segments": [
                { "name": "headend", "transport": "vxlan", "id": 5000, "vlan": 0,
                  "flood": { "peers": ["198.51.100.2"] } },
                { "name": "group", "transport": "vxlan", "id": 5001, "vlan": 10,
                  "flood": { "group": "239.1.1.1" }, "allow": ["198.51.100.3"] },
                { "name": "eogre", "transport": "gre", "id": 7001, "vlan": 20,
                  "flood": { "peers": ["198.51.100.2"] } }
              ]
            }
            """;

    /** What the stranger (and two peers breaking the rules) send, as scapy sees it. */
    static final String SENDER = """
            import sys
            from scapy.all import Ether, IP, UDP, TCP, GRE, ARP, sendp, conf
            from scapy.layers.vxlan import VXLAN
            conf.verb = 0
            box_mac, lan_mac, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
            BOX, STRANGER, PEER, MEMBER = "198.51.100.1", "198.51.100.66", "198.51.100.2", "198.51.100.3"
            def arp(src):
                return Ether(src=src, dst="ff:ff:ff:ff:ff:ff") / ARP(psrc="192.168.1.77", pdst="192.168.1.1")
            def vxlan(src, dst, vni, inner_src, mac=box_mac):
                return Ether(dst=mac) / IP(src=src, dst=dst) / UDP(sport=40000, dport=4789) / VXLAN(vni=vni) / arp(inner_src)
            def gre(src, key, proto, payload):
                return Ether(dst=box_mac) / IP(src=src, dst=BOX) / GRE(key_present=1, key=key, proto=proto) / payload
            phase = sys.argv[4]
            if phase == "stranger":
                p = []
                p += [vxlan(STRANGER, BOX, 5000, "02:66:00:00:00:01")] * n                  # head-end segment
                p += [vxlan(STRANGER, "239.1.1.1", 5001, "02:66:00:00:00:02", "01:00:5e:01:01:01")] * n  # group
                p += [vxlan(STRANGER, BOX, 5001, "02:66:00:00:00:03")] * n                  # group, unicast
                p += [gre(STRANGER, 7001, 0x6558, arp("02:66:00:00:00:04"))] * n            # Ethernet over GRE
                p += [gre(STRANGER, 42, 0x0800, IP(src="192.168.2.9", dst="192.168.1.1") / UDP(dport=9))] * n  # router
                p += [Ether(dst=box_mac) / IP(src=STRANGER, dst="192.168.2.5") / UDP(dport=9)] * n  # routed into gre1
                p += [Ether(dst=box_mac) / IP(src=STRANGER, dst="192.168.1.1") / UDP(dport=9)] * n  # routed to the LAN
                p += [Ether(dst=box_mac) / IP(src=STRANGER, dst=BOX) / TCP(dport=443, flags="S")] * n  # the web page
                sendp(p, iface="w0")
            else:
                p = []
                p += [vxlan(PEER, BOX, 5001, "02:66:00:00:00:05")] * n       # a peer, but not of the group segment
                p += [vxlan(MEMBER, BOX, 5000, "02:66:00:00:00:06")] * n     # a group member, not a head-end peer
                p += [vxlan(PEER, BOX, 5000, lan_mac)] * n                   # a peer claiming the LAN host's MAC
                sendp(p, iface="w0")
            """;

    @TempDir
    Path dir;
    BoxProcess box;

    @AfterEach
    void cleanUp() {
        if (box != null) {
            box.close();
        }
        for (String ns : List.of(BOX, WAN, LAN)) {
            Ip.deleteNamespace(ns);
        }
    }

    @Test
    void shouldDropAndCountEveryPacketFromAStrangerOnTheWan() throws IOException, InterruptedException {
        Requirements.root();
        for (String tool : List.of("ip", "nft", "ping")) {
            Requirements.tool(tool);
        }
        boolean scapy = Files.isExecutable(Path.of("/usr/bin/python3"))
                && Ip.host().exec("/usr/bin/python3", "-c", "import scapy.layers.vxlan").ok();
        if (!scapy && Requirements.inCi()) {
            fail("CI requires this test to run, but it needs Debian's python3-scapy");
        }
        assumeTrue(scapy, "needs Debian's python3-scapy");
        topology();
        // Another table in the box's namespace: the box must never touch it.
        Ip.in(BOX).execWithInput("table inet neighbour {\n chain c {\n type filter hook input priority 10;\n }\n}\n",
                "nft", "-f", "-").orThrow();

        Path config = dir.resolve("box.json");
        Files.writeString(config, CONFIG);
        Path state = dir.resolve("state");
        box = BoxProcess.start("fwbox", BOX, config, state, dir.resolve("box.log"));
        box.awaitReady(60);

        String boxMac = mac(BOX, "wan0");
        String lanMac = mac(LAN, "l0");
        // The LAN host speaks, so the switch learns its MAC on the LAN.
        Ip.in(LAN).exec("ping", "-c", "1", "-W", "1", "192.168.1.254");

        send(boxMac, lanMac, "stranger");
        String fw = ask(state, "show firewall");
        assertEquals(3L * N, packets(fw, "wan: VXLAN from a stranger"), fw);
        assertEquals(2L * N, packets(fw, "wan: GRE from a stranger"), fw);
        assertEquals(2L * N, packets(fw, "forward: from the WAN"), fw);
        assertEquals(N, packets(fw, "wan: not opened"), fw);
        assertEquals(0L, packets(fw, "GRE from peers"), fw);
        assertEquals(0L, packets(fw, "VXLAN from peers"), fw);

        send(boxMac, lanMac, "peers");
        fw = ask(state, "show firewall");
        assertEquals(3L * N, packets(fw, "VXLAN from peers"), "the firewall lets peers through\n" + fw);
        String flows = ask(state, "show flows");
        // Table 2's drop: a peer of one segment sending into another (both ways round).
        assertEquals(2L * N, flowPackets(flows, "table=2, ", "priority=0 actions=drop"), flows);
        // Table 10's sticky check: the LAN host's MAC from a tunnel.
        assertEquals(N, flowPackets(flows, "table=10, ", "priority=2,dl_vlan=4094,dl_src=learned@in_port:1 actions=drop"), flows);
        // Nothing from the WAN reached the LAN through any segment.
        Matcher out = Pattern.compile("table=10, n_packets=(\\d+),.* priority=1,").matcher(flows);
        int segments = 0;
        while (out.find()) {
            assertEquals("0", out.group(1), flows);
            segments++;
        }
        assertEquals(3, segments, flows);
        String tunnels = ask(state, "show tunnels");
        assertTrue(tunnels.contains("gre1"), tunnels);

        box.close();
        box = null;
        String tables = Ip.in(BOX).exec("nft", "list", "tables").orThrow();
        assertFalse(tables.contains("tunnelbox"), "the box's table goes at stop: " + tables);
        assertTrue(tables.contains("table inet neighbour"), "another table stays: " + tables);
    }

    private static long packets(String listing, String comment) {
        long[] c = NftCounters.of(listing, comment);
        assertNotNull(c, "no rule \"" + comment + "\" in\n" + listing);
        return c[0];
    }

    private static long flowPackets(String flows, String table, String rest) {
        for (String l : flows.lines().toList()) {
            if (l.contains(table) && l.endsWith(rest)) {
                Matcher m = Pattern.compile("n_packets=(\\d+)").matcher(l);
                assertTrue(m.find(), l);
                return Long.parseLong(m.group(1));
            }
        }
        throw new AssertionError("no flow " + table + "..." + rest + " in\n" + flows);
    }

    private void send(String boxMac, String lanMac, String phase) throws IOException, InterruptedException {
        Path script = dir.resolve("send.py");
        Files.writeString(script, SENDER);
        Ip.Result r = Ip.in(WAN).exec("/usr/bin/python3", script.toString(), boxMac, lanMac, String.valueOf(N), phase);
        assertEquals(0, r.exitCode(), r.stderr());
        Thread.sleep(500); // the datapath and the kernel have them long before; a margin for a loaded box
    }

    private static String ask(Path state, String command) throws IOException {
        return ControlClient.ask(state, command);
    }

    private static String mac(String ns, String dev) {
        String out = Ip.in(ns).run("-br", "link", "show", "dev", dev);
        return out.strip().split("\\s+")[2];
    }

    private static void topology() {
        for (String ns : List.of(BOX, WAN, LAN)) {
            Ip.deleteNamespace(ns);
            Ip.addNamespace(ns);
            // IPv4 only: IPv6 autoconfiguration chatter would land in the WAN's drop counter.
            Ip.in(ns).exec("sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1").orThrow();
            Ip.in(ns).exec("sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1").orThrow();
        }
        Ip.in(BOX).exec("sysctl", "-q", "-w", "net.ipv4.ip_forward=1").orThrow();
        Ip.in(BOX).run("link", "add", "wan0", "type", "veth", "peer", "name", "w0", "netns", WAN);
        Ip.in(BOX).run("link", "add", "lan0", "type", "veth", "peer", "name", "l0", "netns", LAN);
        Ip.in(BOX).run("addr", "add", "198.51.100.1/24", "dev", "wan0");
        Ip.in(BOX).run("link", "set", "wan0", "up");
        Ip.in(BOX).run("link", "set", "lan0", "up");
        Ip.in(BOX).run("route", "add", "192.168.1.0/24", "dev", "lan0");
        Ip.in(WAN).run("addr", "add", "198.51.100.66/24", "dev", "w0");
        Ip.in(WAN).run("link", "set", "w0", "up");
        Ip.in(LAN).run("addr", "add", "192.168.1.1/24", "dev", "l0");
        Ip.in(LAN).run("link", "set", "l0", "up");
    }
}
