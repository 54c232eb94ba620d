package io.tunnelbox.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tunnelbox.console.ConsoleDriver;
import io.tunnelbox.control.ControlClient;
import io.tunnelbox.control.ControlServer;
import io.tunnelbox.hal.linux.Ip;
import io.tunnelbox.hal.serial.JSerialCommLine;
import io.tunnelbox.hal.serial.PtyPair;
import io.tunnelbox.hal.serial.SerialLine;
import io.tunnelbox.hal.testing.Requirements;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 end to end: two boxes in network namespaces with a GRE tunnel and a VXLAN segment, both
 * encrypted with a pre-shared key through strongSwan (each box runs its own charon).
 *
 * <pre>
 *   ipsec-ha (192.168.1.1, 10.0.0.1) ── lan0 ipsec-a [198.51.100.1] ─┐
 *                                                                     ├─ br0 in ipsec-w ─ ipsec-s [198.51.100.66]
 *   ipsec-hb (192.168.2.1, 10.0.0.2) ── lan0 ipsec-b [198.51.100.2] ─┘   (stranger, forges 198.51.100.2)
 * </pre>
 *
 * Box b starts with a wrong key: both say "ipsec: auth failed" within seconds; the key fixed from
 * b's serial console (set, commit) brings IPsec up without a restart. Then pings cross the GRE
 * tunnel and the VXLAN segment while the WAN carries only ESP; a 1472-byte DF ping learns the
 * encrypted tunnel's MTU; plain GRE and VXLAN forged from the peer's address are refused by the
 * kernel's policy (counted in xfrm_stat) and reach neither datapath; no key shows in any log,
 * show output or charon's log; at stop each box's charon, SAs and policies are gone.
 */
class IpsecNamespaceTest {
    static final long PID = ProcessHandle.current().pid();
    static final String A = "ipsec-a-" + PID, B = "ipsec-b-" + PID, W = "ipsec-w-" + PID, S = "ipsec-s-" + PID,
            HA = "ipsec-ha-" + PID, HB = "ipsec-hb-" + PID;
    static final String KEY = "branch-office-key-7f3a9c2e1b";
    static final String WRONG = "not-the-right-key-0c4d8e2f7a";
    static final int N = 5;
    /** The hash of "change-me", as in the shipped example. */
    static final String ADMIN = "{ \"name\": \"admin\", \"passwordHash\": "
            + "\"pbkdf2-sha256$210000$vRu1dwfg3FFLaC7kxkqpNw==$9PL6tA+NdaAXgLAtD8+0a5nAOX4BHhdRuXE1m68FUn4=\" }";

    static String config(String host, String wan, String peer, String lan, String remoteLan, String key) {
        return """
                {
                  "system": { "hostname": "%1$s", "admins": [ %7$s ] },
                  "interfaces": {
                    "wan": { "nic": "wan", "address": "%2$s/24" },
                    "lan": { "nic": "lan", "address": "%4$s/24" }
                  },
                  "tunnels": [ { "name": "gre1", "remote": "%3$s", "encryption": { "psk": "%6$s" } } ],
                  "routes": [ { "prefix": "%5$s", "tunnel": "gre1" } ],
                  "segments": [ { "name": "office", "transport": "vxlan", "id": 5000, "vlan": 0,
                                  "flood": { "peers": [ "%3$s" ] }, "encryption": { "psk": "%6$s" } } ]
                }
                """.formatted(host, wan, peer, lan, remoteLan, key, ADMIN);
    }

    /** A stranger on the WAN forges the peer's address: plain GRE to the router, plain VXLAN to the segment. */
    static final String FORGER = """
            import sys
            from scapy.all import Ether, IP, UDP, GRE, ARP, sendp, conf
            from scapy.layers.vxlan import VXLAN
            conf.verb = 0
            mac, n = sys.argv[1], int(sys.argv[2])
            PEER, BOX = "198.51.100.2", "198.51.100.1"
            p = [Ether(dst=mac) / IP(src=PEER, dst=BOX) / GRE(proto=0x0800)
                 / IP(src="192.168.2.1", dst="192.168.1.1") / UDP(sport=9, dport=9) / b"forged"] * n
            p += [Ether(dst=mac) / IP(src=PEER, dst=BOX) / UDP(sport=40000, dport=4789) / VXLAN(vni=5000)
                  / Ether(src="02:66:00:00:00:01", dst="ff:ff:ff:ff:ff:ff")
                  / ARP(psrc="10.0.0.66", pdst="10.0.0.1")] * n
            sendp(p, iface="s0")
            """;

    @TempDir
    Path dir;
    BoxProcess boxA;
    BoxProcess boxB;
    PtyPair pty;
    JSerialCommLine line;
    final List<Process> started = new ArrayList<>();

    /** Charon's logs and the SAs as swanctl lists them, kept under target/ for a failed run. */
    private void keepDiagnostics() {
        Path out = Path.of("target", "ipsec-namespace");
        try {
            Files.createDirectories(out);
            for (String box : List.of("a", "b")) {
                Path run = ControlServer.fallbackDirectory(ControlServer.RUN_DIR, dir.resolve("state-" + box)).resolve("ipsec");
                if (Files.exists(run.resolve("charon.log"))) {
                    Files.copy(run.resolve("charon.log"), out.resolve("charon-" + box + ".log"),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    Ip.Result sas = Ip.in(box.equals("a") ? A : B).exec("env", "STRONGSWAN_CONF=" + run.resolve("strongswan.conf"),
                            "swanctl", "--list-sas", "--raw", "--uri", "unix://" + run.resolve("charon.vici"));
                    Files.writeString(out.resolve("sas-" + box + ".txt"), sas.stdout() + sas.stderr());
                    Files.writeString(out.resolve("xfrm-" + box + ".txt"), Ip.in(box.equals("a") ? A : B)
                            .exec("ip", "-s", "xfrm", "state").stdout());
                }
                Path log = dir.resolve(box + ".log");
                if (Files.exists(log)) {
                    Files.copy(log, out.resolve("box-" + box + ".log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException | RuntimeException e) {
            System.out.println("no diagnostics: " + e);
        }
    }

    @AfterEach
    void cleanUp() {
        keepDiagnostics();
        for (BoxProcess b : new BoxProcess[] {boxA, boxB}) {
            if (b != null) {
                b.close();
            }
        }
        started.forEach(Process::destroyForcibly);
        if (line != null) {
            line.close();
        }
        if (pty != null) {
            try {
                pty.close();
            } catch (Exception e) {
                // socat is gone already
            }
        }
        for (String ns : List.of(A, B, W, S, HA, HB)) {
            Ip.deleteNamespace(ns);
        }
    }

    /**
     * IKE, the kernel's policies, the box's IPsec state, secrecy and cleanup, on any kernel with
     * xfrm (the default suite; this project's CI kernel has no ESP). On a kernel with ESP the same
     * run also checks pings through and ESP on the wire.
     */
    @Test
    void shouldNegotiateRefusePlainTrafficAndKeepTheKeySecret() throws Exception {
        scenario();
    }

    /**
     * The ESP half for certain (tag "esp", {@code mvn verify -Pesp}, on a kernel with
     * CONFIG_INET_ESP and AES-GCM, as Debian's and Raspberry Pi OS's have): fails where the kernel
     * has no ESP rather than passing without it.
     */
    @Test
    @Tag("esp")
    void shouldCarryGreAndVxlanInsideEspOnly() throws Exception {
        requireKernelEsp(kernelHasEsp());
        scenario();
    }

    private void scenario() throws Exception {
        Requirements.root();
        for (String tool : List.of("ip", "ping", "tcpdump", "tshark", "swanctl", "charon-systemd", "socat")) {
            Requirements.tool(tool);
        }
        if (!Ip.host().exec("/usr/bin/python3", "-c", "import scapy.layers.vxlan").ok()) {
            fail("needs Debian's python3-scapy");
        }
        topology();
        Path stateA = dir.resolve("state-a"), stateB = dir.resolve("state-b");
        Path configA = dir.resolve("a.json"), configB = dir.resolve("b.json");
        Files.writeString(configA, config("ipsec-a", "198.51.100.1", "198.51.100.2", "192.168.1.254", "192.168.2.0/24", KEY));
        Files.writeString(configB, config("ipsec-b", "198.51.100.2", "198.51.100.1", "192.168.2.254", "192.168.1.0/24", WRONG));
        pty = PtyPair.start("ipsec-b");
        boxA = BoxProcess.start("ipsec-a", A, configA, stateA, dir.resolve("a.log"));
        boxB = BoxProcess.start("ipsec-b", B, configB, stateB, dir.resolve("b.log"), pty.a().toString());
        boxA.awaitReady(90);
        boxB.awaitReady(90);
        // Each box put its LAN address (the hosts' gateway) on its LAN bridge itself.
        assertTrue(Ip.in(A).run("-4", "-o", "addr", "show", "dev", "tb-lan").contains(" 192.168.1.254/24 "),
                "box a's LAN address on tb-lan");
        assertTrue(Ip.in(B).run("-4", "-o", "addr", "show", "dev", "tb-lan").contains(" 192.168.2.254/24 "),
                "box b's LAN address on tb-lan");

        // A wrong key: a clear state within seconds, on both sides, and no traffic.
        long t0 = System.nanoTime();
        String ipsecA = await(stateA, "show ipsec", s -> s.contains("ipsec: auth failed"), 30);
        long authFailedMillis = (System.nanoTime() - t0) / 1_000_000;
        await(stateB, "show ipsec", s -> s.contains("ipsec: auth failed"), 30);
        String tunnels = ask(stateA, "show tunnels");
        assertTrue(tunnels.contains("ipsec: auth failed"), "the tunnel says why it is down:\n" + tunnels);
        assertTrue(ask(stateA, "show segments").contains("Segment office is down: ipsec: auth failed (198.51.100.2)"));
        assertFalse(Ip.in(HA).exec("ping", "-c", "1", "-W", "1", "192.168.2.1").ok(), "no traffic with a wrong key");
        System.out.printf("ipsec: auth failed shown after %d ms%n%s%n", authFailedMillis, ipsecA);

        // The key fixed from b's serial console: up without a restart.
        line = new JSerialCommLine(pty.b().toString(), 115200);
        SerialLine.Connection c = line.awaitConnection();
        try (ConsoleDriver admin = new ConsoleDriver(c.input(), c.output()).answeringSize(24)) {
            admin.send("");
            admin.logIn("admin", "change-me", "ipsec-b> ");
            admin.send("configure");
            admin.expect("ipsec-b(config)# ");
            admin.send("set tunnels gre1 encryption psk " + KEY);
            admin.expect("ipsec-b(config)# ");
            admin.send("set segments office encryption psk " + KEY);
            admin.expect("ipsec-b(config)# ");
            admin.send("commit the right key");
            admin.expect("commit complete");
            long t1 = System.nanoTime();
            // The IKE detail lines appear once the peers authenticated each other.
            await(stateA, "show ipsec", s -> s.contains("Peer 198.51.100.2 (198.51.100.2) from"), 40);
            String up = await(stateB, "show ipsec", s -> s.contains("Peer 198.51.100.1 (198.51.100.1) from"), 40);
            System.out.printf("ipsec up %d ms after the commit%n%s%n", (System.nanoTime() - t1) / 1_000_000, up);
            assertTrue(up.contains("AES_GCM_16-256") || up.contains("CHACHA20_POLY1305"), up);
            assertTrue(up.contains("CURVE_25519"), up);
            admin.send("exit");
        }
        boolean esp = kernelHasEsp();
        String ipsec = ask(stateA, "show ipsec");
        assertTrue(ipsec.contains("gre1,office"), ipsec);
        if (esp) {
            assertTrue(ipsec.contains("Peer 198.51.100.2 (198.51.100.2) from 198.51.100.1: up"), ipsec);
        } else {
            // IKE authenticated; the kernel (no CONFIG_INET_ESP) refuses the ESP SA, and the box says so.
            ipsec = await(stateA, "show ipsec", x -> x.contains("no ESP SA: ipsec: kernel refused the SA")
                    || x.contains("no ESP SA: ipsec: no proposal chosen"), 20);
            // The side that tried to install the SA says the kernel refused it; the other one hears
            // "no proposal chosen" from it. At least one of the two names the kernel.
            String ipsecB = await(stateB, "show ipsec", x -> x.contains("no ESP SA: ipsec: kernel refused the SA")
                    || x.contains("no ESP SA: ipsec: no proposal chosen"), 20);
            assertTrue((ipsec + ipsecB).contains("kernel refused the SA"), ipsec + ipsecB);
        }

        // Pings across both. With ESP in the kernel they pass and the WAN carries only ESP (and
        // IKE); without it the policy keeps them from leaving in clear. Never plain GRE or VXLAN.
        Path pcap = dir.resolve("wan.pcap");
        Process capture = new ProcessBuilder("ip", "netns", "exec", W, "tcpdump", "-i", "to-a", "-U", "-w",
                pcap.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("tcpdump.out").toFile()).start();
        started.add(capture);
        Thread.sleep(1000);
        Ip.Result gre = Ip.in(HA).exec("ping", "-c", "4", "-i", "0.2", "-W", "2", "192.168.2.1");
        Ip.Result vxlan = Ip.in(HA).exec("ping", "-c", "4", "-i", "0.2", "-W", "2", "10.0.0.2");
        Thread.sleep(500);
        capture.destroy();
        capture.waitFor(5, TimeUnit.SECONDS);
        String protocols = Ip.host().exec("tshark", "-r", pcap.toString(), "-T", "fields", "-e", "ip.proto",
                "-e", "udp.dstport").orThrow();
        long espPackets = protocols.lines().filter(l -> l.startsWith("50")).count();
        long plainGre = protocols.lines().filter(l -> l.startsWith("47")).count();
        long plainVxlan = protocols.lines().filter(l -> l.contains("4789")).count();
        assertEquals(0, plainGre, "no clear GRE on the WAN:\n" + protocols);
        assertEquals(0, plainVxlan, "no clear VXLAN on the WAN:\n" + protocols);
        long other = protocols.lines().filter(l -> !l.isBlank() && !l.startsWith("50") && !l.startsWith("17\t500")
                && !l.startsWith("17\t4500")).count();
        assertEquals(0, other, "nothing but ESP and IKE between the boxes:\n" + protocols);
        if (esp) {
            assertTrue(gre.ok(), "ping through the encrypted GRE tunnel:\n" + gre.stdout() + ask(stateA, "show tunnels"));
            assertTrue(vxlan.ok(), "ping across the encrypted VXLAN segment:\n" + vxlan.stdout() + ask(stateA, "show segments"));
            assertTrue(espPackets >= 16, "ESP on the WAN for 8 pings and their replies:\n" + protocols);
        } else {
            assertFalse(gre.ok() || vxlan.ok(), "without an SA nothing crosses");
        }

        // A 1472-byte DF ping learns the encrypted tunnel's MTU: 1500 - 34 (ESP) - 24 (IP, GRE).
        Ip.Result df = Ip.in(HA).exec("ping", "-M", "do", "-s", "1472", "-c", "1", "-W", "2", "192.168.2.1");
        assertTrue((df.stdout() + df.stderr()).contains("mtu = 1442"), df.stdout() + df.stderr());
        if (esp) {
            assertTrue(Ip.in(HA).exec("ping", "-M", "do", "-s", "1414", "-c", "1", "-W", "2", "192.168.2.1").ok(),
                    "1442 bytes fit");
        }

        // A stranger forging the peer's address: the kernel's policy refuses plain GRE and VXLAN.
        long mismatchBefore = xfrmStat(A, "XfrmInTmplMismatch");
        long[] before = datapathRx(stateA);
        Path script = dir.resolve("forge.py");
        Files.writeString(script, FORGER);
        Ip.Result forged = Ip.in(S).exec("/usr/bin/python3", script.toString(), mac(A, "wan0"), String.valueOf(N));
        assertEquals(0, forged.exitCode(), forged.stderr());
        Thread.sleep(500);
        long refused = xfrmStat(A, "XfrmInTmplMismatch") - mismatchBefore;
        assertTrue(refused >= 2L * N, "the kernel's policy counted " + refused + " refused packets");
        long[] after = datapathRx(stateA);
        assertEquals(before[0], after[0], "nothing forged reached the GRE tunnel:\n" + ask(stateA, "show tunnels"));
        assertEquals(before[1], after[1], "nothing forged reached the segment:\n" + ask(stateA, "show segments"));

        // No key in any log, show output or charon's log; the key files are the owner's only.
        Path runA = ControlServer.fallbackDirectory(ControlServer.RUN_DIR, stateA).resolve("ipsec");
        Path secrets = runA.resolve(io.tunnelbox.ipsec.SwanctlConf.SECRETS_FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets)));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(stateA.resolve("config").resolve("config.json"))));
        StringBuilder seen = new StringBuilder();
        for (Path state : List.of(stateA, stateB)) {
            for (String command : List.of("show config", "show ipsec", "show tunnels", "show segments", "show log 500",
                    "show commits")) {
                seen.append(ask(state, command)).append('\n');
            }
        }
        seen.append(boxA.logText()).append(boxB.logText());
        seen.append(Files.readString(runA.resolve("charon.log")));
        seen.append(Files.readString(ControlServer.fallbackDirectory(ControlServer.RUN_DIR, stateB)
                .resolve("ipsec").resolve("charon.log")));
        for (String secret : List.of(KEY, WRONG)) {
            String b64 = Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.US_ASCII));
            assertFalse(seen.toString().contains(secret), "a key was shown or logged");
            assertFalse(seen.toString().contains(b64), "a key was shown or logged (base64)");
        }
        assertTrue(seen.toString().contains("\"psk\" : \"<hidden>\""), "show config hides the key");

        // At stop: charon, its SAs and policies and the run directory go.
        long charon = Long.parseLong(Files.readString(runA.resolve("charon.pid")).strip());
        boxA.close();
        boxA = null;
        assertFalse(ProcessHandle.of(charon).map(ProcessHandle::isAlive).orElse(false), "the box's charon stopped");
        // Only SAs charon made count: a larval state the kernel made for an acquire (SPI 0) is the
        // kernel's own and expires by itself (net.core.xfrm_acq_expires).
        String states = Ip.in(A).exec("ip", "xfrm", "state").stdout();
        assertFalse(Pattern.compile("spi 0x(?!00000000)").matcher(states).find(), "no SA left:\n" + states);
        assertFalse(Ip.in(A).exec("ip", "xfrm", "policy").stdout().contains("198.51.100.2"), "no policy left");
        assertFalse(Files.exists(runA), "the box's IPsec run directory is removed");

        // Everything above runs on any kernel with xfrm; ESP itself (pings through, ESP on the
        // wire) needs CONFIG_INET_ESP and AES-GCM: the "esp" test insists on it.
        if (!esp) {
            System.out.println("IpsecNamespaceTest: this kernel has no ESP; the ESP half runs in the \"esp\" test (-Pesp)");
        }
    }

    /** Fails, naming what the kernel lacks, unless it can hold an ESP SA with AES-GCM. */
    static void requireKernelEsp(boolean esp) {
        if (!esp) {
            fail("the kernel has no ESP with AES-GCM (CONFIG_INET_ESP, CONFIG_CRYPTO_GCM): ip xfrm state add"
                    + " refuses rfc4106(gcm(aes)); run the \"esp\" tests on a kernel that has them");
        }
    }

    /** Can this kernel hold an ESP SA with AES-GCM? Tried in a namespace of the test's own. */
    static boolean kernelHasEsp() {
        String ns = "ipsec-k-" + PID;
        Ip.deleteNamespace(ns);
        Ip.addNamespace(ns);
        try {
            return Ip.in(ns).exec("ip", "xfrm", "state", "add", "src", "192.0.2.1", "dst", "192.0.2.2", "proto", "esp",
                    "spi", "0x1000", "mode", "transport", "aead", "rfc4106(gcm(aes))",
                    "0x" + "11".repeat(36), "128").ok();
        } finally {
            Ip.deleteNamespace(ns);
        }
    }

    private static long[] datapathRx(Path state) throws IOException {
        String tunnels = ask(state, "show tunnels");
        Matcher t = Pattern.compile("(?m)^gre1\\s+\\S+\\s+.*?\\s(\\d+)\\s+(\\d+)\\s+(\\d+)\\s*$").matcher(tunnels);
        String segments = ask(state, "show segments");
        Matcher s = Pattern.compile("(?m)^office\\s+vxlan\\s+5000\\s+.*?\\s(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s*$").matcher(segments);
        assertTrue(t.find(), tunnels);
        assertTrue(s.find(), segments);
        return new long[] {Long.parseLong(t.group(2)), Long.parseLong(s.group(3))};
    }

    private static long xfrmStat(String ns, String name) {
        for (String l : Ip.in(ns).exec("cat", "/proc/net/xfrm_stat").orThrow().lines().toList()) {
            String[] f = l.trim().split("\\s+");
            if (f.length == 2 && f[0].equals(name)) {
                return Long.parseLong(f[1]);
            }
        }
        throw new AssertionError("no " + name + " in /proc/net/xfrm_stat");
    }

    private static String await(Path state, String command, Predicate<String> done, int seconds)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String answer = "";
        while (System.nanoTime() < deadline) {
            answer = ask(state, command);
            if (done.test(answer)) {
                return answer;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("\"" + command + "\" not as expected within " + seconds + " s:\n" + answer);
    }

    private static String ask(Path state, String command) throws IOException {
        return ControlClient.ask(state, command);
    }

    private static String mac(String ns, String dev) {
        return Ip.in(ns).run("-br", "link", "show", "dev", dev).strip().split("\\s+")[2];
    }

    private static void topology() {
        for (String ns : List.of(A, B, W, S, HA, HB)) {
            Ip.deleteNamespace(ns);
            Ip.addNamespace(ns);
            Ip.in(ns).exec("sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1").orThrow();
            Ip.in(ns).exec("sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1").orThrow();
            Ip.in(ns).run("link", "set", "lo", "up");
        }
        Ip.in(W).run("link", "add", "br0", "type", "bridge");
        Ip.in(W).run("link", "set", "br0", "up");
        String[][] wan = {{A, "to-a", "198.51.100.1"}, {B, "to-b", "198.51.100.2"}, {S, "to-s", "198.51.100.66"}};
        for (String[] site : wan) {
            String dev = site[0].equals(S) ? "s0" : "wan0";
            Ip.in(site[0]).run("link", "add", dev, "type", "veth", "peer", "name", site[1], "netns", W);
            Ip.in(site[0]).run("addr", "add", site[2] + "/24", "dev", dev);
            Ip.in(site[0]).run("link", "set", dev, "up");
            Ip.in(W).run("link", "set", site[1], "master", "br0");
            Ip.in(W).run("link", "set", site[1], "up");
        }
        String[][] lans = {{A, HA, "192.168.1.0/24", "192.168.1.1/24", "10.0.0.1/24", "192.168.1.254"},
            {B, HB, "192.168.2.0/24", "192.168.2.1/24", "10.0.0.2/24", "192.168.2.254"}};
        for (String[] l : lans) {
            Ip.in(l[0]).exec("sysctl", "-q", "-w", "net.ipv4.ip_forward=1").orThrow();
            Ip.in(l[0]).run("link", "add", "lan0", "type", "veth", "peer", "name", "eth0", "netns", l[1]);
            Ip.in(l[0]).run("link", "set", "lan0", "up");
            Ip.in(l[1]).run("addr", "add", l[3], "dev", "eth0");
            Ip.in(l[1]).run("addr", "add", l[4], "dev", "eth0");
            Ip.in(l[1]).run("link", "set", "eth0", "up");
            Ip.in(l[1]).run("route", "add", "default", "via", l[5]);
        }
    }
}
