package io.tunnelbox.flash.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.control.ControlClient;
import io.tunnelbox.flash.Cli;
import io.tunnelbox.flash.FlashMain;
import io.tunnelbox.config.PasswordHash;
import io.tunnelbox.hal.testing.Requirements;
import io.tunnelbox.update.BootState;
import io.tunnelbox.update.SlotStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bundle from the build to a running box and back, on this machine: the real firmware with its
 * web UI ({@code tunnelbox run --board lab}, a GRE tunnel configured, the page on the WAN address)
 * in a network namespace of its own, started through the real launcher from slot A of a root
 * folder, restarted like systemd would.
 * <ol>
 *   <li>update to 2.0 with {@code tunnelbox-flash push} over HTTPS to the box's own
 *       {@code POST /api/update} (HTTP Basic admin login, the certificate pinned by its
 *       fingerprint): restarts into slot B on trial, reports healthy (web page answering
 *       included), B is kept, and push says so in one line;</li>
 *   <li>update to 3.0, pushed the same way, a firmware that never reports healthy: it rolls back
 *       to B by itself and push says ROLLED BACK;</li>
 *   <li>update to 4.0, a firmware that exits at start (through the control socket): the
 *       launcher's boot counter runs out after three starts and B runs again.</li>
 * </ol>
 * Push runs as its own process inside the namespace, as an admin's machine on the box's network
 * would. Needs root (network namespace, TUN, raw GRE socket).
 */
class UpdateEndToEndTest {
    static final String NS = "flash-e2e";
    static final int HEALTH_TIMEOUT = 15;
    static final String PASSWORD = "correct horse";
    /** The box's WAN address (the firmware puts it on wan0), where its page listens here. */
    static final String BOX = "198.51.100.1";

    @TempDir
    Path dir;
    Path root;
    Path stateDir;
    SlotStore slots;

    @BeforeEach
    void namespace() throws Exception {
        Requirements.root();
        Requirements.tool("ip");
        sh("ip", "netns", "del", NS);
        must("ip", "netns", "add", NS);
        must("ip", "-n", NS, "link", "add", "wan0", "type", "veth", "peer", "name", "wan0p");
        must("ip", "-n", NS, "link", "add", "lan0", "type", "veth", "peer", "name", "lan0p");
        for (String dev : List.of("lo", "wan0", "wan0p", "lan0", "lan0p")) {
            must("ip", "-n", NS, "link", "set", dev, "up");
        }
    }

    @AfterEach
    void removeNamespace() throws Exception {
        sh("ip", "netns", "del", NS);
    }

    @Test
    void shouldUpdateRollBackOnBadHealthAndRollBackACrashLoop() throws Exception {
        root = dir.resolve("root");
        stateDir = dir.resolve("state");
        slots = new SlotStore(root.resolve("opt/tunnelbox"));
        Path keys = Files.createDirectories(root.resolve("etc/tunnelbox/trusted-keys"));
        flash("keygen", dir.resolve("release").toString());
        Files.copy(dir.resolve("release.pub"), keys.resolve("release.pub"));
        Path config = dir.resolve("initial.json");
        // A cheap hash (the format allows any cost): the box checks it once per push, then remembers the login.
        String hash = PasswordHash.hash(PASSWORD.toCharArray(), 1000);
        Files.writeString(config, """
                { "system": { "hostname": "branch-e2e", "admins": [ { "name": "admin", "passwordHash": "%s" } ] },
                  "interfaces": { "wan": { "nic": "wan", "address": "%s/24" },
                                  "lan": { "nic": "lan", "address": "192.168.1.1/24" } },
                  "tunnels": [ { "name": "to-b", "remote": "198.51.100.2", "key": 42 } ],
                  "routes": [ { "prefix": "192.168.2.0/24", "tunnel": "to-b" } ],
                  "web": { "listen": "%s" } }
                """.formatted(hash, BOX, BOX));
        Path firmware = io.tunnelbox.flash.Cli.firmwareTarget();
        flash("install", "--root", root.toString(), "--bundle", bundle("1.0", firmware).toString(), "--trust", keys.toString());

        Files.createDirectories(dir.resolve("logs"));
        try (Supervisor box = new Supervisor(unitCommand(config, keys), dir.resolve("logs"), 14)) {
            await(box, "the box runs 1.0 from slot a", s -> update().startsWith("firmware 1.0 from slot a;"));
            String tunnels = ControlClient.ask(stateDir, "show tunnels");
            assertTrue(tunnels.contains("to-b") && tunnels.contains("up"), tunnels);
            String fingerprint = certificateFingerprint(box);

            // 1. A good update, pushed over HTTPS: slot b on trial, healthy, kept; push reports it in one line.
            Cli push = push(bundle("2.0", firmware), fingerprint);
            assertEquals(0, push.code(), push.out() + box.logs());
            assertTrue(push.out().lines().anyMatch(l -> l.startsWith("OK " + BOX + " runs 2.0 from slot b, healthy")), push.out());
            await(box, "2.0 kept in slot b", s -> s.active().equals("b") && !s.onTrial() && s.result().startsWith("updated to 2.0"));
            await(box, "the box answers from slot b", s -> update().startsWith("firmware 2.0 from slot b;"));
            assertTrue(Files.isDirectory(stateDir.resolve("config.before-2.0")), "a copy of the configuration from before 2.0 is kept");
            assertTrue(box.logged("health checks ([engine, configuration, tunnels, web])"), "the web page's answer is part of healthy:\n" + box.logs());
            assertTrue(box.logged("uploaded a firmware bundle"), "the upload went through the web UI's endpoint:\n" + box.logs());

            // 2. A version that starts but never reports healthy: back to b by itself; push says so.
            Path sick = bundle("3.0", firmware, "--lib", sickJar().toString());
            int startsBefore = box.starts();
            push = push(sick, fingerprint);
            assertEquals(1, push.code(), push.out());
            assertTrue(push.out().lines().anyMatch(l -> l.startsWith("ROLLED BACK " + BOX + " runs 2.0 again: rolled back from slot a")), push.out());
            await(box, "3.0 rolled back", s -> s.result().startsWith("rolled back from slot a: not healthy in time: sick: this test firmware never becomes healthy"));
            await(box, "2.0 runs again from slot b", s -> s.active().equals("b") && update().startsWith("firmware 2.0 from slot b;"));
            assertEquals(startsBefore + 2, box.starts(), "one start of 3.0, one of 2.0 again:\n" + box.logs());

            // 3. A version that exits at start (no firmware jar): three starts, then the launcher rolls back.
            Path crash = bundle("4.0", firmware.resolve("lib"));
            startsBefore = box.starts();
            String answer = ControlClient.ask(stateDir, "update " + crash);
            assertTrue(answer.startsWith("firmware 4.0 installed into slot a"), answer);
            await(box, "4.0 rolled back by the launcher", s -> s.result().startsWith("rolled back from slot a: it did not report healthy in its starts"));
            await(box, "2.0 runs again from slot b", s -> update().startsWith("firmware 2.0 from slot b;"));
            assertEquals(startsBefore + 1 + 3, box.starts(), "three starts of 4.0, then 2.0:\n" + box.logs());
            List<Integer> exits = box.exits();
            assertEquals(List.of(1, 1, 1), exits.subList(exits.size() - 3, exits.size()), "4.0 failed its three starts: " + exits);
            tunnels = ControlClient.ask(stateDir, "show tunnels");
            assertTrue(tunnels.contains("to-b") && tunnels.contains("up"), tunnels);
        }
    }

    private Path passwordFile() throws IOException {
        Path f = dir.resolve("password");
        Files.writeString(f, PASSWORD + "\n");
        return f;
    }

    /** {@code tunnelbox-flash push} as its own process inside the box's namespace, to the page's address. */
    private Cli push(Path bundle, String fingerprint) throws Exception {
        List<String> cmd = List.of("ip", "netns", "exec", NS, Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), FlashMain.class.getName(), "push", "--box", "https://" + BOX,
                "--bundle", bundle.toString(), "--fingerprint", fingerprint, "--password-file", passwordFile().toString(),
                "--timeout", "120");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(150, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("push did not end: " + out);
        }
        return new Cli(p.exitValue(), out);
    }

    /** The SHA-256 of the certificate the box made on its first start, as {@code show web} prints it. */
    private String certificateFingerprint(Supervisor box) throws Exception {
        Path pem = stateDir.resolve("web/tls-cert.pem");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(pem) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertTrue(Files.exists(pem), "the box made no certificate:\n" + box.logs());
        try (var in = Files.newInputStream(pem)) {
            var cert = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        }
    }

    /** The unit's ExecStart, with the test's folders, inside the namespace. */
    private List<String> unitCommand(Path config, Path keys) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", NS, "env",
                "TUNNELBOX_SLOT_ROOT=" + slots.root(),
                "TUNNELBOX_TRUSTED_KEYS=" + keys,
                "TUNNELBOX_JAVA=" + Path.of(System.getProperty("java.home"), "bin", "java"),
                "TUNNELBOX_HEALTH_TIMEOUT=" + HEALTH_TIMEOUT,
                "TUNNELBOX_HEALTH_SETTLE=2",
                "TUNNELBOX_STATE_DIR=" + stateDir,
                "TUNNELBOX_HEAP=64m"));
        cmd.add(root.resolve("usr/lib/tunnelbox/tunnelbox-launch").toString());
        cmd.addAll(List.of("--boot", "run", "--board", "lab", "--config", config.toString(), "--state-dir", stateDir.toString(),
                "--console", "none"));
        return cmd;
    }

    private String update() {
        try {
            return ControlClient.ask(stateDir, "show update");
        } catch (IOException e) {
            return "";
        }
    }

    private void await(Supervisor box, String what, Predicate<BootState> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            BootState s = slots.state();
            if (condition.test(s)) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("timed out waiting for: " + what + "; boot state " + slots.state() + ", show update: " + update()
                + ", exits " + box.exits() + "\n" + box.logs());
    }

    /** A bundle of the build with the web UI (its jar and lib/), as a release carries it. */
    private Path bundle(String version, Path firmware, String... more) {
        Path out = dir.resolve("fw-" + version + ".tbx");
        Path webUi = Cli.root().resolve("web-ui/target");
        assertTrue(Files.isDirectory(webUi.resolve("lib")), "web-ui/target/lib is missing: build with -am (mvn -pl flash-tools -am verify)");
        List<String> args = new ArrayList<>(List.of("bundle", "--key", dir.resolve("release.key").toString(), "--out", out.toString(),
                "--firmware-version", version, "--firmware", firmware.toString(), "--lib", webUi.toString()));
        args.addAll(List.of(more));
        flash(args.toArray(String[]::new));
        return out;
    }

    /** A jar holding {@link SickProbe} and its ServiceLoader entry. */
    private Path sickJar() throws IOException {
        Path jar = dir.resolve("sick-probe.jar");
        String cls = SickProbe.class.getName().replace('.', '/') + ".class";
        try (OutputStream o = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(o)) {
            j.putNextEntry(new JarEntry("META-INF/services/io.tunnelbox.update.HealthProbe"));
            j.write((SickProbe.class.getName() + "\n").getBytes());
            j.putNextEntry(new JarEntry(cls));
            try (var in = SickProbe.class.getClassLoader().getResourceAsStream(cls)) {
                in.transferTo(j);
            }
        }
        return jar;
    }

    private static void flash(String... args) {
        int code = FlashMain.execute(args);
        assertEquals(0, code, "tunnelbox-flash " + String.join(" ", args));
    }

    private static void must(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + ": " + out);
        }
    }

    private static void sh(String... cmd) throws Exception {
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }
}
