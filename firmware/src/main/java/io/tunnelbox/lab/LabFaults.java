package io.tunnelbox.lab;

import io.tunnelbox.config.CommitResult;
import io.tunnelbox.config.ConfigApplier;
import io.tunnelbox.config.ConfigService;
import io.tunnelbox.config.ConfigStore;
import io.tunnelbox.control.ControlClient;
import io.tunnelbox.control.ControlServer;
import io.tunnelbox.hal.time.Clock;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * {@code tunnelbox lab --faults}: the GRE half of the lab (RA and RB as real boxes), then one
 * fault after another injected into RB while it runs, each followed by a clock that stops when
 * traffic from host A reaches host B again (or the fault's own check passes) without anyone
 * touching the box. Ends with the table of measured recovery times that the README quotes.
 */
final class LabFaults {
    /** A fault must be repaired by the box itself within this time. */
    static final int RECOVERY_SECONDS = 20;

    private final PrintStream out;
    private final List<BoxProcess> boxes;
    private final List<String> passes;
    private final List<String> failures;
    private final List<String[]> table = new ArrayList<>();
    private BoxProcess rb;

    LabFaults(PrintStream out, List<BoxProcess> boxes, List<String> passes, List<String> failures) {
        this.out = out;
        this.boxes = boxes;
        this.passes = passes;
        this.failures = failures;
    }

    void run(BoxProcess ra, BoxProcess rb) {
        this.rb = rb;
        heading("faults injected into RB while it runs; each must heal by itself within " + RECOVERY_SECONDS + " s");
        expect("baseline: host A reaches host B through the tunnel", recovered("baseline", () -> pingOnce()) >= 0, "");
        idleControlClient();
        tunDeleted();
        wanNicRecreated();
        strayHistoryFile();
        readOnlyStateDir();
        diskFullDuringCommit();
        lateWanAddress();
        wanAddressChanged();
        remoteByDnsName();
        strangers();
        printTable();
    }

    private void idleControlClient() {
        Path state = Lab.WORK_DIR.resolve("RB");
        try (SocketChannel idle = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            idle.connect(UnixDomainSocketAddress.of(state.resolve(ControlServer.SOCKET_NAME)));
            long start = System.nanoTime();
            String answer = ControlClient.ask(state, "show tunnels");
            double s = (System.nanoTime() - start) / 1e9;
            boolean ok = answer.lines().anyMatch(l -> l.startsWith("gre1 ")) && s < 2;
            expect("an idle control client blocks nobody: show tunnels answered beside it", ok, String.format("%.2f s", s));
            table.add(new String[] {"idle client on the control socket", ok ? String.format("%.2f s (answered at once)", s) : "FAILED"});
        } catch (IOException e) {
            expect("an idle control client blocks nobody", false, e.getMessage());
        }
    }

    private void tunDeleted() {
        HostCommand.in(LabTopology.RB, "ip", "link", "del", "tb-gre");
        double s = recovered("TUN device deleted", this::pingOnce);
        String shown = ask("show tunnels");
        expect("the TUN device is re-created with its routes and show tunnels says why",
                s >= 0 && shown.contains("TUN device tb-gre was deleted"), seconds(s));
    }

    private void wanNicRecreated() {
        HostCommand.in(LabTopology.RB, "ip", "link", "del", LabTopology.WAN_IF); // takes the WAN router's end too
        sleepMillis(1500);
        LabTopology.recableRbWan();
        double s = recovered("WAN NIC deleted and re-created", this::pingOnce);
        expect("RB's WAN NIC deleted and re-created: address, route and sockets follow it", s >= 0, seconds(s));
    }

    private void wanAddressChanged() {
        String moved = "203.0.113.2";
        newLease(moved);
        long start = System.nanoTime();
        Path state = Lab.WORK_DIR.resolve("RB-dhcp"); // a DHCP WAN: a static one would put its address back
        boolean resourced = waitFor(() -> askIn(state, "show tunnels gre1").contains("GRE " + moved + " -> "));
        double s = resourced ? (System.nanoTime() - start) / 1e9 : -1;
        table.add(new String[] {"WAN address changed (tunnel re-sourced)", seconds(s)});
        expect("a new WAN address re-sources RB's tunnel", resourced, seconds(s));
        // Back to the address RA knows (RA's remote is fixed): traffic follows again.
        newLease(LabTopology.RB_WAN);
        double back = recovered("WAN address changed back", this::pingOnce);
        expect("traffic follows the WAN address back", back >= 0, seconds(back));
    }

    private void strayHistoryFile() {
        restartRb(() -> {
            try {
                Files.writeString(Lab.WORK_DIR.resolve("RB/config/history/v99999999999.json"), "{}");
            } catch (IOException e) {
                throw new LabException("cannot write the stray file: " + e.getMessage());
            }
        }, null);
        double s = recovered("stray file in the history folder (restart included)", this::pingOnce);
        expect("a stray history file is set aside and RB starts", s >= 0
                && Files.exists(Lab.WORK_DIR.resolve("RB/config/history/v99999999999.json.bad")), seconds(s));
    }

    private void readOnlyStateDir() {
        Path state = Lab.WORK_DIR.resolve("RB");
        HostCommand.run("mount", "--bind", state.toString(), state.toString());
        try {
            restartRb(() -> HostCommand.run("mount", "-o", "remount,ro,bind", state.toString()), null);
            double s = recovered("read-only state directory (restart included)", this::pingOnce);
            String log = rb.logText();
            String answer = ask("show tunnels");
            expect("on a read-only state directory RB forwards, says STORAGE_FAILED and answers on /run",
                    s >= 0 && log.contains("STORAGE FAILED") && answer.lines().anyMatch(l -> l.startsWith("gre1 ")), seconds(s));
            rb.close();
            boxes.remove(rb);
        } finally {
            HostCommand.attempt(List.of("umount", state.toString()));
        }
        restartRb(() -> { }, null);
        recovered(null, this::pingOnce);
    }

    /** The disk fills up during a commit: refused, and the history after a restart is what it was. */
    private void diskFullDuringCommit() {
        Path mount = Lab.WORK_DIR.resolve("full-disk");
        try {
            Files.createDirectories(mount);
            HostCommand.run("mount", "-t", "tmpfs", "-o", "size=64k", "tunnelbox-lab-full", mount.toString());
            try {
                ConfigService service = new ConfigService(new ConfigStore(mount.resolve("config"), 20, Clock.SYSTEM),
                        ConfigApplier.NONE, Clock.SYSTEM);
                var tree = service.runningTree();
                tree.withObject("system").put("hostname", "before-full");
                service.commit(tree, "lab", "fits");
                int before = service.history().size();
                fill(mount.resolve("filler"));
                var big = service.runningTree();
                big.withObject("system").put("hostname", "after-full");
                CommitResult r = service.commit(big, "lab", "does not fit");
                ConfigStore reread = new ConfigStore(mount.resolve("config"), 20, Clock.SYSTEM);
                reread.load();
                boolean ok = !r.ok() && reread.history().size() == before
                        && reread.history().stream().noneMatch(v -> v.comment().equals("does not fit"));
                expect("disk full during a commit: refused, and after a restart the history is exactly what was committed",
                        ok, r.summary() + "; " + reread.history().size() + " versions kept");
                table.add(new String[] {"disk full during a commit", ok ? "refused at once, nothing lost" : "FAILED"});
            } finally {
                HostCommand.attempt(List.of("umount", mount.toString()));
            }
        } catch (IOException | RuntimeException e) {
            expect("disk full during a commit", false, e.toString());
        }
    }

    /** Writes until the file system is full (ENOSPC ends it). */
    private static void fill(Path file) throws IOException {
        byte[] block = new byte[4096];
        try (var o = Files.newOutputStream(file)) {
            for (int i = 0; i < 1024; i++) {
                o.write(block);
                o.flush();
            }
        } catch (IOException e) {
            if (e.getMessage() == null || !e.getMessage().contains("No space left")) {
                throw e;
            }
        }
    }

    /** RB starts with a DHCP WAN that has no address yet; the address arrives ten seconds later. */
    private void lateWanAddress() {
        Path config = Lab.WORK_DIR.resolve("RB-dhcp.json");
        try {
            Files.writeString(config, LabConfigs.router("RB", LabTopology.RB_WAN, "203.0.113.254", "192.168.2.254",
                    LabTopology.RA_WAN, "192.168.1.0/24", "127.0.0.1")
                    .replace("\"address\": \"" + LabTopology.RB_WAN + "/24\", \"gateway\": \"203.0.113.254\"", "\"dhcp\": true"));
        } catch (IOException e) {
            throw new LabException("cannot write " + config + ": " + e.getMessage());
        }
        rb.close();
        boxes.remove(rb);
        HostCommand.in(LabTopology.RB, "ip", "addr", "flush", "dev", LabTopology.WAN_IF);
        rb = BoxProcess.start("RB", LabTopology.RB, config, Lab.WORK_DIR.resolve("RB-dhcp"), Lab.WORK_DIR.resolve("RB-dhcp.log"));
        boxes.add(rb);
        rb.awaitReady(Lab.READY_SECONDS);
        String waiting = askIn(Lab.WORK_DIR.resolve("RB-dhcp"), "show tunnels");
        expect("RB without a WAN address accepts its configuration and its tunnel waits",
                waiting.contains("waiting for WAN address"), waiting.lines().findFirst().orElse(""));
        sleepMillis(5000);
        // What the DHCP client does when the modem finally answers.
        HostCommand.in(LabTopology.RB, "ip", "addr", "replace", LabTopology.RB_WAN + "/24", "dev", LabTopology.WAN_IF);
        HostCommand.in(LabTopology.RB, "ip", "route", "replace", "default", "via", "203.0.113.254");
        double s = recovered("WAN address arriving late (DHCP)", this::pingOnce);
        expect("the tunnel comes up by itself when the WAN address arrives", s >= 0, seconds(s));
    }

    /** RA's name in the hosts file the lab points RB at (.test: a name that is never real, RFC 2606). */
    static final String RA_NAME = "ra.tunnelbox.test";
    /** An address RA's name moves to (nobody answers there). */
    static final String RA_MOVED = "198.51.100.9";

    /**
     * RB restarted with RA by DNS name (its tunnel's remote and its segments' peer), resolved through
     * a hosts file the lab controls ({@code -Djdk.net.hosts.file}, no real DNS asked) every 2 s: the
     * tunnel waits for the name, starts on the answer, follows the name when it moves and back.
     */
    private void remoteByDnsName() {
        Path hosts = Lab.WORK_DIR.resolve("hosts");
        Path config = Lab.WORK_DIR.resolve("RB-dns.json");
        Path state = Lab.WORK_DIR.resolve("RB-dns");
        try {
            writeHosts(hosts, null);
            Files.writeString(config, LabConfigs.namedRouter("RB", LabTopology.RB_WAN, "203.0.113.254", "192.168.2.254",
                    RA_NAME, "192.168.1.0/24", LabTopology.RA_WAN));
        } catch (IOException e) {
            throw new LabException("cannot write " + config + ": " + e.getMessage());
        }
        rb.close();
        boxes.remove(rb);
        // RA's tunnel carries sequence numbers (RFC 2890): until RA sees RB gone (keepalives), it
        // drops a restarted RB's packets as older than the last it had. Wait for that first, as a
        // peer that restarted within RA's keepalive timeout would have to.
        waitFor(() -> askIn(Lab.WORK_DIR.resolve("RA"), "show tunnels gre1").contains("is down"));
        rb = BoxProcess.start("RB", LabTopology.RB, config, state, Lab.WORK_DIR.resolve("RB-dns.log"),
                List.of("-Djdk.net.hosts.file=" + hosts, "-Dtunnelbox.dns.period=2"));
        boxes.add(rb);
        rb.awaitReady(Lab.READY_SECONDS);
        String waiting = askIn(state, "show tunnels gre1");
        expect("a tunnel whose remote is a DNS name nobody knows yet waits for DNS",
                waiting.contains("waiting for DNS") || waiting.contains("remote " + RA_NAME + ": no address"),
                waiting.lines().filter(l -> l.contains("down")).findFirst().orElse(waiting.lines().findFirst().orElse("")));

        writeHosts(hosts, LabTopology.RA_WAN);
        double s = recovered("remote by DNS name, answered late (hosts file, looked up every 2 s)", this::pingOnce);
        String fw = askIn(state, "show firewall");
        expect("the tunnel starts when RA's name resolves, and the firewall lets RA in", s >= 0
                && fw.contains(LabTopology.RA_WAN), seconds(s));

        writeHosts(hosts, RA_MOVED);
        long start = System.nanoTime();
        boolean moved = waitFor(() -> askIn(state, "show tunnels gre1").contains(" -> " + RA_MOVED)
                && askIn(state, "show firewall").contains(RA_MOVED));
        double m = moved ? (System.nanoTime() - start) / 1e9 : -1;
        table.add(new String[] {"remote's DNS name moved (tunnel, allow-list and firewall re-sourced)", seconds(m)});
        expect("RA's name moves: RB's tunnel and firewall follow it, one log line", moved
                && rb.logText().contains("remote " + RA_NAME + " now resolves to " + RA_MOVED), seconds(m));

        writeHosts(hosts, LabTopology.RA_WAN);
        double back = recovered("remote's DNS name moved back (traffic flows)", this::pingOnce);
        expect("RA's name back at RA: traffic follows it", back >= 0, seconds(back));
    }

    private static void writeHosts(Path hosts, String raAddress) {
        try {
            Files.writeString(hosts, "# tunnelbox lab --faults: the names RB resolves\n"
                    + (raAddress == null ? "" : raAddress + " " + RA_NAME + "\n"));
        } catch (IOException e) {
            throw new LabException("cannot write " + hosts + ": " + e.getMessage());
        }
    }

    /** Packets of each kind the stranger sends. */
    static final int STRANGER_PACKETS = 5;

    /** What the stranger sends at RB, as scapy builds it: one burst of each kind. */
    static final String STRANGER_SCRIPT = """
            import sys
            from scapy.all import Ether, IP, UDP, TCP, GRE, ARP, sendp, conf
            from scapy.layers.vxlan import VXLAN
            conf.verb = 0
            box_mac, n, key = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
            BOX, STRANGER, GROUP = "203.0.113.1", "203.0.113.66", "239.1.1.1"
            def arp(src):
                return Ether(src=src, dst="ff:ff:ff:ff:ff:ff") / ARP(psrc="192.168.2.77", pdst="192.168.2.1")
            def vxlan(dst, vni, inner_src, mac=box_mac):
                return Ether(dst=mac) / IP(src=STRANGER, dst=dst) / UDP(sport=40000, dport=4789) / VXLAN(vni=vni) / arp(inner_src)
            def gre(gkey, proto, payload):
                return Ether(dst=box_mac) / IP(src=STRANGER, dst=BOX) / GRE(key_present=1, key=gkey, proto=proto) / payload
            p = []
            p += [vxlan(BOX, 5000, "02:66:00:00:00:01")] * n                                  # head-end segment
            p += [vxlan(GROUP, 5001, "02:66:00:00:00:02", "01:00:5e:01:01:01")] * n           # the group itself
            p += [vxlan(BOX, 5001, "02:66:00:00:00:03")] * n                                  # group segment, unicast
            p += [gre(7001, 0x6558, arp("02:66:00:00:00:04"))] * n                            # Ethernet over GRE
            p += [gre(key, 0x0800, IP(src="192.168.1.9", dst="192.168.2.1") / UDP(dport=9))] * n  # the router's tunnel
            p += [Ether(dst=box_mac) / IP(src=STRANGER, dst="192.168.1.1") / UDP(dport=9)] * n  # routed into gre1
            p += [Ether(dst=box_mac) / IP(src=STRANGER, dst="192.168.2.1") / UDP(dport=9)] * n  # routed onto the LAN
            sendp(p, iface="st0")
            """;

    /**
     * A stranger on RB's WAN link sends into each segment mode (head-end, group by unicast and to
     * the group, Ethernet over GRE), into the router's tunnel, and asks to be routed into the tunnel
     * and onto the LAN: each packet must be dropped and counted by RB's firewall, and nothing may
     * reach host B's LAN (captured there).
     */
    private void strangers() {
        boolean scapy = HostCommand.attempt(List.of("/usr/bin/python3", "-c", "import scapy.layers.vxlan")).ok();
        if (!scapy) {
            expect("strangers on the WAN (needs Debian's python3-scapy)", false, "python3-scapy not installed");
            return;
        }
        Path state = Lab.WORK_DIR.resolve("RB-dns");
        LabTopology.addStranger();
        Path script = Lab.WORK_DIR.resolve("stranger.py");
        try {
            Files.writeString(script, STRANGER_SCRIPT);
        } catch (IOException e) {
            throw new LabException("cannot write " + script + ": " + e.getMessage());
        }
        String boxMac = HostCommand.in(LabTopology.RB, "ip", "-br", "link", "show", "dev", LabTopology.WAN_IF)
                .strip().split("\\s+")[2];
        String before = askIn(state, "show firewall");
        long start = System.nanoTime();
        int delivered;
        try (WanCapture lan = WanCapture.start(LabTopology.HOST_B, "eth0", "udp port 9 or ether[6:2] == 0x0266",
                Lab.WORK_DIR.resolve("stranger-lan.pcap"))) {
            HostCommand.in(LabTopology.STRANGER, "/usr/bin/python3", script.toString(), boxMac,
                    String.valueOf(STRANGER_PACKETS), String.valueOf(LabConfigs.GRE_KEY));
            sleepMillis(500); // the kernel and the datapaths have them long before; a margin for a loaded box
            delivered = lan.stopAndDissect("frame", "frame.number").size();
        }
        String after = askIn(state, "show firewall");
        double s = (System.nanoTime() - start) / 1e9;
        int n = STRANGER_PACKETS;
        long vxlan = counted(before, after, "wan: VXLAN from a stranger");
        long gre = counted(before, after, "wan: GRE from a stranger");
        long forward = counted(before, after, "forward: from the WAN");
        String detail = "VXLAN " + vxlan + "/" + 3 * n + ", GRE " + gre + "/" + 2 * n + ", forwarded " + forward + "/"
                + 2 * n + ", on the LAN " + delivered;
        expect("a stranger's VXLAN into the head-end and the group segment is dropped and counted",
                vxlan == 3L * n, detail);
        expect("a stranger's Ethernet over GRE and GRE into the router's tunnel are dropped and counted",
                gre == 2L * n, detail);
        expect("a stranger's packets to be routed into the tunnel or onto the LAN are dropped and counted",
                forward == 2L * n, detail);
        expect("nothing a stranger sent reached host B's LAN", delivered == 0, detail);
        table.add(new String[] {"stranger on the WAN: " + 7 * n + " packets into every segment mode and the router",
            vxlan + gre + forward == 7L * n && delivered == 0
                    ? String.format("all dropped and counted, none on the LAN (%.1f s)", s) : "FAILED: " + detail});
    }

    /** How many more packets the firewall rule commented {@code comment} counted between two listings. */
    private static long counted(String before, String after, String comment) {
        long[] a = io.tunnelbox.firewall.NftCounters.of(after, comment);
        long[] b = io.tunnelbox.firewall.NftCounters.of(before, comment);
        return a == null ? -1 : a[0] - (b == null ? 0 : b[0]);
    }

    /** What a DHCP client does when a renewal hands out another address: old one out, new one and the route in. */
    private static void newLease(String address) {
        HostCommand.in(LabTopology.RB, "ip", "addr", "flush", "dev", LabTopology.WAN_IF);
        HostCommand.in(LabTopology.RB, "ip", "addr", "add", address + "/24", "dev", LabTopology.WAN_IF);
        HostCommand.in(LabTopology.RB, "ip", "route", "replace", "default", "via", "203.0.113.254");
    }

    private void restartRb(Runnable whileStopped, Path stateDir) {
        rb.close();
        boxes.remove(rb);
        whileStopped.run();
        Path state = stateDir != null ? stateDir : Lab.WORK_DIR.resolve("RB");
        rb = BoxProcess.start("RB", LabTopology.RB, Lab.WORK_DIR.resolve("RB.json"), state, Lab.WORK_DIR.resolve("RB.log"));
        boxes.add(rb);
    }

    private boolean pingOnce() {
        return Ping.run(LabTopology.HOST_A, LabTopology.HOST_B_IP, 1, "-W", "1").allAnswered();
    }

    /** Seconds until {@code healed} holds (polled), or -1 after {@link #RECOVERY_SECONDS}; recorded in the table. */
    private double recovered(String fault, BooleanSupplier healed) {
        long start = System.nanoTime();
        boolean ok = waitFor(healed);
        double s = ok ? (System.nanoTime() - start) / 1e9 : -1;
        if (fault != null && !fault.equals("baseline")) {
            table.add(new String[] {fault, seconds(s)});
        }
        return s;
    }

    private static boolean waitFor(BooleanSupplier healed) {
        long deadline = System.nanoTime() + RECOVERY_SECONDS * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (healed.getAsBoolean()) {
                return true;
            }
            sleepMillis(200);
        }
        return false;
    }

    private String ask(String command) {
        return askIn(Lab.WORK_DIR.resolve("RB"), command);
    }

    private static String askIn(Path state, String command) {
        try {
            return ControlClient.ask(state, command);
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    private void printTable() {
        out.println();
        out.println("FAULT TABLE (recovery measured from the fault to the first answered ping, or to the check):");
        out.println("| fault | recovered after |");
        out.println("| --- | --- |");
        for (String[] row : table) {
            out.println("| " + row[0] + " | " + row[1] + " |");
        }
    }

    private static String seconds(double s) {
        return s < 0 ? "NOT within " + RECOVERY_SECONDS + " s" : String.format("%.1f s", s);
    }

    private void expect(String what, boolean ok, String detail) {
        out.println((ok ? "  PASS  " : "  FAIL  ") + what + " [" + detail + "]");
        (ok ? passes : failures).add(what);
    }

    private void heading(String text) {
        out.println();
        out.println("== " + text);
    }

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
