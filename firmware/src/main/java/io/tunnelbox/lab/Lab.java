package io.tunnelbox.lab;

import io.tunnelbox.control.ControlClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The firmware's main job on a developer's machine ({@code tunnelbox lab}): builds the seed's GRE
 * RA/RB picture and a three-site VXLAN segment in network namespaces, runs real TunnelBox boxes
 * in them from config files, pings across, shows the delivery packets the WAN carried (dissected
 * by tshark), the boxes' tunnels, flows and MAC tables, and ends with a one-line verdict. Everything
 * it made is removed at the end, also on failure and on Ctrl-C, unless {@code --keep}.
 */
public final class Lab {
    /** Where configs, state, captures and box logs go. */
    public static final Path WORK_DIR = Path.of("/tmp/tunnelbox-lab");
    static final long READY_SECONDS = 60;

    private final PrintStream out;
    private final List<BoxProcess> boxes = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final List<String> passes = new ArrayList<>();
    private boolean full;
    /** {@code lab --encrypted}: the GRE routers and the head-end segment inside IPsec. */
    private boolean encrypted;
    /** The lab's pre-shared key: a lab-only secret, never used anywhere else. */
    static final String LAB_PSK = "tunnelbox-lab-only-key-5c1e9a";
    private KernelIpsecPeer kernelIpsec;
    /** Tunnels must recover within the keepalive time (2 s x 3 retries in the lab) plus slack. */
    static final int RECOVERY_SECONDS = 20;

    /** The boxes this lab starts run with {@code --offloads value} (all, none, tso, gro). */
    public static void offloads(String value) {
        BoxProcess.offloads(value);
    }

    public Lab(PrintStream out) {
        this.out = out;
    }

    /**
     * Runs the GRE routers and the head-end VXLAN segment inside IPsec (pre-shared key, strongSwan),
     * with the kernel VTEP behind a strongSwan configured by the lab; multicast segments cannot be
     * encrypted and are left out.
     */
    public Lab encrypted(boolean on) {
        this.encrypted = on;
        return this;
    }

    /** Runs the lab; returns the process exit code (0 when every check passed). */
    public int run(boolean keep, boolean down, boolean forceSim) {
        return run(keep, down, forceSim, false);
    }

    /**
     * @param full also run the interop and resilience checks CI runs: iperf3 both ways through each
     *     tunnel, ARP reaching each other site exactly once, a box restart, a WAN link flap and a
     *     WAN address removed and added back
     */
    public int run(boolean keep, boolean down, boolean forceSim, boolean full) {
        this.full = full;
        if (forceSim || !isRoot()) {
            if (down) {
                out.println("removing a lab needs root: it lives in network namespaces");
                return 1;
            }
            if (!forceSim) {
                out.println("not root: network namespaces need root (run as root, or with sudo). Running the same"
                        + " scenarios in memory instead.");
            }
            return new SimLab(out).run();
        }
        try (LabLock _ = LabLock.acquire(out)) {
            if (down) {
                stopLeftoverBoxes();
                List<String> left = LabTopology.destroy();
                out.println(left.isEmpty() ? "lab removed" : "could not remove: " + left);
                return left.isEmpty() ? 0 : 1;
            }
            return runLocked(keep);
        } catch (LabException e) {
            failures.add(e.getMessage());
            return verdict();
        }
    }

    private int runLocked(boolean keep) {
        Thread cleanup = Thread.ofPlatform().unstarted(this::tearDown);
        if (!keep) {
            Runtime.getRuntime().addShutdownHook(cleanup);
        }
        try {
            List<String> tools = new ArrayList<>(List.of("ip", "bridge", "ping", "tshark", "ethtool"));
            if (full) {
                tools.add("iperf3");
            }
            if (encrypted) {
                tools.addAll(List.of("swanctl", "charon-systemd"));
            }
            preflight(tools);
            prepareWorkDir();
            greRouters();
            vxlanSites(false);
            if (!encrypted) {
                vxlanSites(true);
            }
        } catch (LabException e) {
            failures.add(e.getMessage());
        } finally {
            if (!keep) {
                tearDown();
                Runtime.getRuntime().removeShutdownHook(cleanup);
            }
        }
        if (keep) {
            explainKeep();
        }
        return verdict();
    }

    /**
     * {@code lab --faults}: the GRE routers, then every fault of {@link LabFaults} injected into RB
     * while it runs, each with its measured recovery time. Root only.
     */
    public int faults() {
        if (!isRoot()) {
            out.println("the fault lab needs root (network namespaces, mounts)");
            return 1;
        }
        try (LabLock _ = LabLock.acquire(out)) {
            preflight(List.of("ip", "bridge", "ping", "tshark", "ethtool"));
            return faultsLocked();
        } catch (LabException e) {
            failures.add(e.getMessage());
            return verdict();
        }
    }

    private int faultsLocked() {
        Thread cleanup = Thread.ofPlatform().unstarted(this::tearDown);
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            prepareWorkDir();
            heading("GRE site-to-site for the fault lab: RA 198.51.100.1 == WAN == RB 203.0.113.1");
            new LabTopology().buildGre();
            BoxProcess ra = startBox("RA", LabTopology.RA, LabConfigs.router("RA", LabTopology.RA_WAN,
                    "198.51.100.254", "192.168.1.254", LabTopology.RB_WAN, "192.168.2.0/24", "127.0.0.1"));
            BoxProcess rb = startBox("RB", LabTopology.RB, LabConfigs.router("RB", LabTopology.RB_WAN,
                    "203.0.113.254", "192.168.2.254", LabTopology.RA_WAN, "192.168.1.0/24", "127.0.0.1"));
            ra.awaitReady(READY_SECONDS);
            rb.awaitReady(READY_SECONDS);
            new LabFaults(out, boxes, passes, failures).run(ra, rb);
        } catch (LabException e) {
            failures.add(e.getMessage());
        } finally {
            tearDown();
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
        return verdict();
    }

    /** The side-by-side throughput benchmark (root only). */
    public int bench() {
        if (!isRoot()) {
            out.println("the benchmark needs root (network namespaces)");
            return 1;
        }
        try (LabLock _ = LabLock.acquire(out)) {
            preflight(List.of("ip", "bridge", "ping", "ethtool", "iperf3"));
            return new LabBench(out).run();
        } catch (LabException e) {
            out.println("BENCH FAILED: " + e.getMessage());
            return 1;
        }
    }

    private void greRouters() {
        heading("GRE site-to-site: host A 192.168.1.1 -- RA 198.51.100.1 == WAN == RB 203.0.113.1 -- host B 192.168.2.1");
        LabTopology t = new LabTopology();
        t.buildGre();
        t.management(true);
        BoxProcess ra = startBox("RA", LabTopology.RA, secured(LabConfigs.router("RA", LabTopology.RA_WAN,
                "198.51.100.254", "192.168.1.254", LabTopology.RB_WAN, "192.168.2.0/24", LabTopology.MGMT_GRE_HOST)));
        BoxProcess rb = startBox("RB", LabTopology.RB, secured(LabConfigs.router("RB", LabTopology.RB_WAN,
                "203.0.113.254", "192.168.2.254", LabTopology.RA_WAN, "192.168.1.0/24", LabTopology.MGMT_GRE_HOST)));
        ra.awaitReady(READY_SECONDS);
        rb.awaitReady(READY_SECONDS);
        webPage(ra, null);
        webPage(rb, null);
        if (encrypted) {
            ipsecUp(ra, List.of(LabTopology.RB_WAN));
            ipsecUp(rb, List.of(LabTopology.RA_WAN));
            try (WanCapture cap = WanCapture.start(LabTopology.WAN, "to-ra", "not arp",
                    WORK_DIR.resolve("wan-gre-esp.pcap"))) {
                check("ping host A -> host B through the encrypted GRE tunnel",
                        Ping.run(LabTopology.HOST_A, LabTopology.HOST_B_IP, 3));
                check("ping host B -> host A through the encrypted GRE tunnel",
                        Ping.run(LabTopology.HOST_B, LabTopology.HOST_A_IP, 3));
                onlyEsp(cap, "GRE: the WAN between RA and the WAN router");
            }
        } else {
            clearGre();
        }
        bigPing(ra);
    }

    /** The GRE pair in clear text: pings both ways, and tshark reads the GRE on the WAN. */
    private void clearGre() {
        try (WanCapture cap = WanCapture.start(LabTopology.WAN, "to-ra", "ip proto 47",
                WORK_DIR.resolve("wan-gre.pcap"))) {
            check("ping host A -> host B through the GRE tunnel",
                    Ping.run(LabTopology.HOST_A, LabTopology.HOST_B_IP, 3));
            check("ping host B -> host A through the GRE tunnel",
                    Ping.run(LabTopology.HOST_B, LabTopology.HOST_A_IP, 3));
            List<String> lines = cap.stopAndDissect("gre && icmp", "ip.src", "ip.dst", "gre.key",
                    "gre.sequence_number", "gre.proto", "icmp.type");
            out.println("WAN between RA and the WAN router (tshark: outer src, dst, GRE key, seq, proto, inner ICMP type):");
            lines.stream().limit(12).forEach(l -> out.println("  " + l));
            expect("WAN carried GRE with key " + LabConfigs.GRE_KEY + " (0x1388)",
                    !lines.isEmpty() && lines.stream().allMatch(l -> l.contains(LabTopology.RA_WAN)
                            && l.contains("0x00001388")), lines.size() + " GRE packets");
            int bad = cap.malformed();
            expect("tshark finds no malformed GRE packet", bad == 0, bad + " malformed");
        }
    }

    /** The DF ping, keepalives, and with --full iperf3 and the resilience checks. */
    private void bigPing(BoxProcess ra) {
        BoxProcess rb = boxes.stream().filter(b -> b.name().equals("RB")).findFirst().orElseThrow();
        Ping big = Ping.run(LabTopology.HOST_A, LabTopology.HOST_B_IP, 1, "-M", "do", "-s", "1472");
        int mtu = big.fragNeededMtu();
        expect("a 1472-byte DF ping from host A is answered with 'fragmentation needed' and the tunnel MTU",
                mtu > 0 && mtu < 1500, mtu > 0 ? "next-hop MTU " + mtu : big.output().strip());
        if (encrypted) {
            // 1500 - 34 (ESP) - 20 (IPv4) - 12 (GRE with key and sequence number)
            expect("the encrypted tunnel's MTU leaves room for ESP (1434)", mtu == 1434, "next-hop MTU " + mtu);
            show(ra, "show ipsec");
        }
        keepalivesAnswered(ra);
        if (full) {
            iperfBothWays(encrypted ? "GRE in IPsec" : "GRE", LabTopology.HOST_B, LabTopology.HOST_B_IP, LabTopology.HOST_A);
            greResilience(rb);
        }
        show(ra, "show tunnels");
        show(ra, "show routes");
    }

    /** Both ends send Cisco keepalives every 2 s; the tunnel must be up because they come back. */
    private void keepalivesAnswered(BoxProcess box) {
        String answer = "";
        for (int i = 0; i < 10; i++) {
            try {
                answer = ControlClient.ask(WORK_DIR.resolve(box.name()), "show tunnels gre1");
            } catch (IOException e) {
                answer = e.getMessage();
            }
            if (answer.contains(" is up") && !answer.contains("replies 0,")) {
                break;
            }
            sleepSeconds(1);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("replies (\\d+)").matcher(answer);
        expect(box.name() + "'s tunnel is up and its keepalives come back",
                answer.contains(" is up") && m.find() && Integer.parseInt(m.group(1)) > 0,
                m.find(0) ? "keepalive replies " + m.group(1) : answer.strip());
    }

    private void iperfBothWays(String what, String serverNs, String serverIp, String clientNs) {
        for (boolean reverse : new boolean[] {false, true}) {
            Iperf r = Iperf.tcp(serverNs, serverIp, clientNs, reverse, 2);
            expect("iperf3 TCP through " + what + (reverse ? " (reverse direction)" : ""), r.ok(), r.detail());
        }
    }

    /** A restarted box, a WAN link flap and a WAN address renewal: traffic resumes by itself. */
    private void greResilience(BoxProcess rb) {
        rb.close();
        boxes.remove(rb);
        BoxProcess again = BoxProcess.start("RB", LabTopology.RB, WORK_DIR.resolve("RB.json"),
                WORK_DIR.resolve("RB"), WORK_DIR.resolve("RB.log"));
        boxes.add(again);
        again.awaitReady(READY_SECONDS);
        recovers("traffic resumes after RB restarts (from its stored configuration)");

        HostCommand.in(LabTopology.RB, "ip", "link", "set", LabTopology.WAN_IF, "down");
        sleepSeconds(3);
        HostCommand.in(LabTopology.RB, "ip", "link", "set", LabTopology.WAN_IF, "up");
        recovers("traffic resumes after RB's WAN link goes down and up");

        HostCommand.in(LabTopology.RB, "ip", "addr", "del", LabTopology.RB_WAN + "/24", "dev", LabTopology.WAN_IF);
        sleepSeconds(3);
        // What a DHCP client does on renewal: the address and the default route come back.
        HostCommand.in(LabTopology.RB, "ip", "addr", "replace", LabTopology.RB_WAN + "/24", "dev", LabTopology.WAN_IF);
        HostCommand.in(LabTopology.RB, "ip", "route", "replace", "default", "via", "203.0.113.254");
        recovers("traffic resumes after RB's WAN address is removed and added back");
    }

    private void recovers(String what) {
        long start = System.nanoTime();
        for (int i = 0; i < RECOVERY_SECONDS; i++) {
            if (Ping.run(LabTopology.HOST_A, LabTopology.HOST_B_IP, 1).allAnswered()) {
                expect(what, true, String.format("after %.1f s", (System.nanoTime() - start) / 1e9));
                return;
            }
            sleepSeconds(1);
        }
        expect(what, false, "no answer within " + RECOVERY_SECONDS + " s");
    }

    /**
     * Host 1 asks once for an address nobody has (one broadcast ARP request: the host sends a
     * single solicitation); the request must reach site 2's host and the kernel site exactly once.
     */
    private void arpOnce(String tag) {
        String nobody = "10.0.0.99";
        HostCommand.in(LabTopology.H1, "sysctl", "-q", "-w", "net.ipv4.neigh.eth0.mcast_solicit=1");
        try (WanCapture at2 = WanCapture.start(LabTopology.H2, "eth0", "arp", WORK_DIR.resolve("arp-h2.pcap"));
             WanCapture at3 = WanCapture.start(LabTopology.V3, "vx0", "arp", WORK_DIR.resolve("arp-v3.pcap"))) {
            Ping.run(LabTopology.H1, nobody, 1);
            sleepSeconds(2);
            String filter = "arp.opcode == 1 && arp.src.proto_ipv4 == " + LabTopology.VM[0]
                    + " && arp.dst.proto_ipv4 == " + nobody;
            int n2 = at2.stopAndDissect(filter, "arp.dst.proto_ipv4").size();
            int n3 = at3.stopAndDissect(filter, "arp.dst.proto_ipv4").size();
            expect("site 1's ARP broadcast reached site 2 and the kernel site exactly once each" + tag,
                    n2 == 1 && n3 == 1, "site 2: " + n2 + ", kernel site: " + n3);
        }
    }

    private static void sleepSeconds(int s) {
        try {
            Thread.sleep(s * 1000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void vxlanSites(boolean multicast) {
        heading("VXLAN VNI " + LabTopology.VNI + ", " + (multicast ? "multicast group " + LabTopology.GROUP
                : "head-end replication") + ": sites 192.0.2.1 (TunnelBox), 192.0.2.2 (TunnelBox), 192.0.2.3 (Linux kernel vxlan)");
        stopBoxes(b -> b.name().startsWith("site"));
        LabTopology.destroyVxlan();
        LabTopology t = new LabTopology();
        t.buildVxlanSites();
        t.kernelVtep(multicast);
        String[] vteps = LabTopology.VTEP;
        if (encrypted) {
            kernelIpsec = KernelIpsecPeer.start(LabTopology.V3, WORK_DIR.resolve("site3-ipsec"), vteps[2],
                    List.of(vteps[0], vteps[1]), LAB_PSK);
            out.println("started strongSwan for the kernel VTEP (site 3), configured by the lab: "
                    + WORK_DIR.resolve("site3-ipsec").resolve("swanctl.conf"));
        }
        BoxProcess v1 = startBox("site1", LabTopology.V1, secured(LabConfigs.vtep("site1", vteps[0],
                new String[] {vteps[1], vteps[2]}, multicast, LabTopology.MGMT_VXLAN_HOST)));
        BoxProcess v2 = startBox("site2", LabTopology.V2, secured(LabConfigs.vtep("site2", vteps[1],
                new String[] {vteps[0], vteps[2]}, multicast, LabTopology.MGMT_VXLAN_HOST)));
        v1.awaitReady(READY_SECONDS);
        v2.awaitReady(READY_SECONDS);
        if (encrypted) {
            ipsecUp(v1, List.of(vteps[1], vteps[2]));
            ipsecUp(v2, List.of(vteps[0], vteps[2]));
        }
        t.management(false);
        webPage(v1, "https://" + LabTopology.MGMT_VXLAN_GATE + ":1443/");
        webPage(v2, "https://" + LabTopology.MGMT_VXLAN_GATE + ":2443/");
        String tag = multicast ? " (multicast)" : " (head-end)";
        try (WanCapture cap = WanCapture.start(LabTopology.VWAN, "br0", encrypted ? "not arp" : "udp port 4789",
                WORK_DIR.resolve(multicast ? "wan-vxlan-mcast.pcap" : encrypted ? "wan-vxlan-esp.pcap" : "wan-vxlan.pcap"))) {
            check("ping 10.0.0.1 -> 10.0.0.2 (TunnelBox to TunnelBox)" + tag,
                    Ping.run(LabTopology.H1, LabTopology.VM[1], 3));
            check("ping 10.0.0.1 -> 10.0.0.3 (TunnelBox to the kernel VTEP)" + tag,
                    Ping.run(LabTopology.H1, LabTopology.VM[2], 3));
            check("ping 10.0.0.3 -> 10.0.0.2 (kernel VTEP to TunnelBox)" + tag,
                    Ping.run(LabTopology.V3, LabTopology.VM[1], 3));
            if (encrypted) {
                onlyEsp(cap, "VXLAN: the WAN bridge of the three sites");
            } else {
                List<String> lines = cap.stopAndDissect("vxlan", "ip.src", "ip.dst", "udp.dstport",
                        "vxlan.vni", "eth.src", "eth.dst", "_ws.col.Protocol");
                out.println("WAN bridge (tshark: outer src, dst, UDP port, VNI, inner src MAC, dst MAC, protocol):");
                lines.stream().limit(14).forEach(l -> out.println("  " + l));
                expect("WAN carried VXLAN with VNI " + LabTopology.VNI + tag,
                        !lines.isEmpty() && lines.stream().allMatch(l -> l.contains(" 5000 ")),
                        lines.size() + " VXLAN packets");
                int bad = cap.malformed();
                expect("tshark finds no malformed VXLAN packet" + tag, bad == 0, bad + " malformed");
            }
        }
        String fdb = HostCommand.in(LabTopology.V3, "bridge", "fdb", "show", "dev", "vx0");
        expect("the kernel VTEP learned site 1's host MAC behind 192.0.2.1" + tag,
                fdb.lines().anyMatch(l -> l.startsWith("02:00:00:00:00:01") && l.contains("dst " + vteps[0])),
                "kernel fdb");
        out.println("kernel VTEP (site 3) forwarding database:");
        fdb.lines().forEach(l -> out.println("  " + l));
        if (full) {
            arpOnce(tag);
            if (!multicast) {
                iperfBothWays("VXLAN, TunnelBox to TunnelBox", LabTopology.H2, LabTopology.VM[1], LabTopology.H1);
                iperfBothWays("VXLAN, TunnelBox to the kernel VTEP", LabTopology.V3, LabTopology.VM[2], LabTopology.H1);
            }
        }
        show(v1, "show mac");
        show(v1, "show flows");
    }

    /** With --encrypted: {@code configText} with the lab's key on every tunnel and segment. */
    private String secured(String configText) {
        if (!encrypted) {
            return configText;
        }
        try {
            var tree = (com.fasterxml.jackson.databind.node.ObjectNode) io.tunnelbox.config.ConfigJson.mapper()
                    .readTree(configText);
            for (String list : List.of("tunnels", "segments")) {
                tree.path(list).forEach(item -> ((com.fasterxml.jackson.databind.node.ObjectNode) item)
                        .putObject("encryption").put("psk", LAB_PSK));
            }
            return io.tunnelbox.config.ConfigJson.toText(tree);
        } catch (IOException e) {
            throw new LabException("the lab's own config does not parse: " + e.getMessage());
        }
    }

    /** Waits (30 s at most) until {@code box} has an SA with each of {@code peers}. */
    private void ipsecUp(BoxProcess box, List<String> peers) {
        long start = System.nanoTime();
        String answer = "";
        for (int i = 0; i < 120; i++) {
            try {
                answer = ControlClient.ask(WORK_DIR.resolve(box.name()), "show ipsec");
            } catch (IOException e) {
                answer = e.getMessage();
            }
            String a = answer;
            if (peers.stream().allMatch(p -> a.contains("Peer " + p + " "))) {
                expect(box.name() + " has IPsec SAs with " + String.join(" and ", peers), true,
                        String.format("after %.1f s", (System.nanoTime() - start) / 1e9));
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        expect(box.name() + " has IPsec SAs with " + String.join(" and ", peers), false, answer.strip());
    }

    /** Between the boxes the WAN carried ESP (and IKE), and not one IPv4 packet of anything else. */
    private void onlyEsp(WanCapture cap, String where) {
        List<String> esp = cap.stopAndDissect("esp", "ip.src", "ip.dst", "esp.spi");
        List<String> other = cap.stopAndDissect("ip && !esp && !(udp.port == 500) && !(udp.port == 4500)"
                + " && !(tcp.port == 443) && !(tcp.port == 80)", "ip.src", "ip.dst", "_ws.col.Protocol");
        out.println(where + " (tshark: ESP packets, outer src, dst, SPI):");
        esp.stream().limit(6).forEach(l -> out.println("  " + l));
        expect(where + " carried ESP only (no clear GRE or VXLAN)", !esp.isEmpty() && other.isEmpty(),
                esp.size() + " ESP packets, " + other.size() + " others" + (other.isEmpty() ? "" : ": " + other.getFirst()));
    }

    private BoxProcess startBox(String name, String namespace, String configText) {
        try {
            Path config = WORK_DIR.resolve(name + ".json");
            Files.writeString(config, configText);
            Path state = WORK_DIR.resolve(name);
            deleteTree(state);
            BoxProcess box = BoxProcess.start(name, namespace, config, state, WORK_DIR.resolve(name + ".log"));
            boxes.add(box);
            out.println("started box " + name + " in namespace " + namespace + " (config " + config + ")");
            return box;
        } catch (IOException e) {
            throw new LabException("cannot write the config of box " + name + ": " + e.getMessage());
        }
    }

    /**
     * Prints where the box's web page is (reachable from this machine over the lab's management
     * cable into the WAN, at {@code from} when that is not the box's own address) and its one-time
     * setup code, both from the box's own log lines.
     */
    private void webPage(BoxProcess box, String from) {
        // The front ends start before the box says it is ready, so their lines are in the log now.
        String page = null;
        String code = null;
        for (String line : box.logText().lines().toList()) {
            int at = line.indexOf("web page: ");
            if (at >= 0) {
                page = line.substring(at + "web page: ".length());
            }
            at = line.indexOf("web page setup code: ");
            if (at >= 0) {
                code = line.substring(at + "web page setup code: ".length()).split(" ")[0];
            }
        }
        if (page == null) {
            out.println("box " + box.name() + ": no web page (the web-ui jar is not on the class path, or see " + box.log() + ")");
        } else {
            out.println("box " + box.name() + " web page: " + (from == null ? page : from + " (the box's " + page + ")")
                    + (code == null ? "" : "  setup code: " + code));
        }
    }

    private void show(BoxProcess box, String command) {
        try {
            String answer = ControlClient.ask(WORK_DIR.resolve(box.name()), command);
            out.println(box.name() + "> " + command);
            answer.lines().forEach(l -> out.println("  " + l));
        } catch (IOException e) {
            failures.add(box.name() + " did not answer '" + command + "': " + e.getMessage());
        }
    }

    private void check(String what, Ping ping) {
        expect(what, ping.allAnswered(), ping.summary());
    }

    private void expect(String what, boolean ok, String detail) {
        out.println((ok ? "  PASS  " : "  FAIL  ") + what + " [" + detail + "]");
        (ok ? passes : failures).add(what);
    }

    private void heading(String text) {
        out.println();
        out.println("== " + text);
    }

    private int verdict() {
        out.println();
        if (failures.isEmpty() && !passes.isEmpty()) {
            out.println("LAB PASSED: " + passes.size() + " checks (GRE router, VXLAN head-end and multicast"
                    + " with the kernel VTEP); captures and box logs in " + WORK_DIR);
            return 0;
        }
        out.println("LAB FAILED: " + failures.size() + " of " + (failures.size() + passes.size())
                + " checks; first: " + (failures.isEmpty() ? "nothing ran" : failures.getFirst())
                + "; box logs in " + WORK_DIR);
        return 1;
    }

    private void explainKeep() {
        out.println();
        out.println("The lab is still running (--keep). Try:");
        out.println("(as root; as a user, put sudo in front)");
        out.println("  ip netns exec tbx-ha ping 192.168.2.1");
        out.println("  firmware/bin/tunnelbox ctl --state-dir " + WORK_DIR + "/site1 show flows");
        out.println("  ip netns exec tbx-vwan tshark -i br0 -f 'udp port 4789'");
        out.println("  open a box's web page (printed above; accept its self-signed certificate after checking the");
        out.println("  fingerprint) and create the admin with its setup code, e.g. https://" + LabTopology.RA_WAN + "/ for RA");
        out.println("Remove it with: firmware/bin/tunnelbox lab --down");
    }

    /** Names every missing tool at once, with the command that installs them. */
    private static void preflight(List<String> tools) {
        List<String> missing = tools.stream()
                .filter(t -> HostCommand.attempt(List.of("sh", "-c", "command -v " + t)).exitCode() != 0).toList();
        if (!missing.isEmpty()) {
            throw new LabException(String.join(", ", missing) + " missing: run .mvn/install-test-tools as root"
                    + " (it installs the Debian packages iproute2, iputils-ping, tshark, ethtool, iperf3)");
        }
    }

    private void prepareWorkDir() {
        try {
            deleteTree(WORK_DIR);
            Files.createDirectories(WORK_DIR);
        } catch (IOException e) {
            throw new LabException("cannot prepare " + WORK_DIR + ": " + e.getMessage());
        }
        stopLeftoverBoxes();
        LabTopology.destroy();
    }

    private void stopBoxes() {
        stopBoxes(b -> true);
    }

    private void stopBoxes(java.util.function.Predicate<BoxProcess> which) {
        List<BoxProcess> stopping = boxes.stream().filter(which).toList();
        stopping.forEach(BoxProcess::close);
        boxes.removeAll(stopping);
    }

    /** Boxes left by a --keep lab live in lab namespaces; destroy() kills what is inside them. */
    private static void stopLeftoverBoxes() {
        LabTopology.destroy();
    }

    private synchronized void tearDown() {
        stopBoxes();
        if (kernelIpsec != null) {
            kernelIpsec.close();
            kernelIpsec = null;
        }
        List<String> left = LabTopology.destroy();
        if (!left.isEmpty()) {
            failures.add("namespaces left behind: " + left);
        }
    }

    private static boolean isRoot() {
        return "0".equals(HostCommand.attempt(List.of("id", "-u")).output().strip());
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
