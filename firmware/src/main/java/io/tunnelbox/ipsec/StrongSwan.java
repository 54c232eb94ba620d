package io.tunnelbox.ipsec;

import io.tunnelbox.config.AtomicFile;
import io.tunnelbox.config.Config;
import io.tunnelbox.packet.Ipv4Address;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.tinylog.Logger;

/**
 * IPsec through strongSwan's own tools: each configuration becomes a {@code swanctl.conf} (and a
 * secrets file of its own, mode 0600) loaded with {@code swanctl --load-all}; the SAs are read back
 * with {@code swanctl --list-sas --raw}. Why files and swanctl rather than a VICI client in Java:
 * swanctl is strongSwan's own, documented, tested client of the same VICI socket, the generated
 * file is what an admin reads and can load by hand when debugging, {@code --load-all} replaces
 * the whole set in one step (connections no longer configured are unloaded), and there is no
 * well-kept VICI library on Maven Central to lean on.
 *
 * <p>The box runs its own charon ({@code charon-systemd}, started with {@code STRONGSWAN_CONF}
 * pointing at a strongswan.conf written here) with its configuration, VICI socket, log and pid file
 * under {@code dir}, normally the box's run directory under /run: two boxes in two network
 * namespaces each have their own. At {@link #close()} it stops that charon (which removes its SAs
 * and kernel policies) and deletes the directory. A system that runs charon already in the box's
 * network namespace ({@code /run/charon.vici}) is used instead: the box then writes one file into
 * {@code /etc/swanctl/conf.d} and removes it at stop.
 */
public final class StrongSwan implements Ipsec {
    static final String CHARON = "/usr/sbin/charon-systemd";
    static final String SWANCTL = "swanctl";
    static final Path SYSTEM_VICI = Path.of("/run/charon.vici");
    static final Path SYSTEM_CONF_D = Path.of("/etc/swanctl/conf.d");
    /** Between two initiations of a connection that has no SA (the peer may be down for hours). */
    static final long INITIATE_EVERY_MILLIS = 5_000;
    static final List<String> SWANCTL_DIRS = List.of("x509", "x509ca", "x509ocsp", "x509aa", "x509ac", "x509crl",
            "pubkey", "private", "rsa", "ecdsa", "bliss", "pkcs8", "pkcs12");

    private final Path dir;
    private final Path keyHome;
    private final Proposals proposals;
    private final boolean system;
    private final CharonLog log;
    private Process charon;
    private volatile List<PeerPlan> plan = List.of();
    private volatile int wan;
    private volatile boolean loaded;
    private volatile String problem;
    private volatile Map<String, Map<String, Object>> sas = Map.of();
    private final Map<String, Long> lastInitiate = new HashMap<>();

    /**
     * Own charon under {@code dir} unless the system runs one in this network namespace; the box's
     * key pair (certificates) is kept in {@code keyHome}, which survives restarts.
     */
    public static StrongSwan start(Path dir, Path keyHome) {
        return new StrongSwan(dir, keyHome, Proposals.forThisCpu(), systemCharonHere());
    }

    StrongSwan(Path dir, Path keyHome, Proposals proposals, boolean system) {
        this.dir = dir;
        this.keyHome = keyHome;
        this.proposals = proposals;
        this.system = system;
        this.log = new CharonLog(dir.resolve("charon.log"));
    }

    /** A system charon answers on its socket, and this process shares the system's network namespace. */
    static boolean systemCharonHere() {
        try {
            return Files.exists(SYSTEM_VICI)
                    && Files.readSymbolicLink(Path.of("/proc/self/ns/net")).equals(Files.readSymbolicLink(Path.of("/proc/1/ns/net")));
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    Path vici() {
        return system ? SYSTEM_VICI : dir.resolve("charon.vici");
    }

    private Path swanctlConf() {
        return system ? SYSTEM_CONF_D.resolve("tunnelbox.conf") : dir.resolve("swanctl.conf");
    }

    @Override
    public synchronized void apply(Config next, int wanAddress) {
        List<PeerPlan> peers = PeerPlan.of(next);
        List<PeerPlan> before = plan;
        plan = peers;
        wan = wanAddress;
        if ((peers.isEmpty() && !loaded) || wanAddress == 0) {
            return;
        }
        try {
            if (!system) {
                startCharon();
            }
            write(peers, wanAddress);
            // The system's charon: its own swanctl.conf, which includes ours from conf.d. "--load-all"
            // unloads every connection its file does not name, so never with our file alone there:
            // that would unload the admin's other VPNs.
            Result r = system ? swanctl("--load-all") : swanctl("--load-all", "--file", swanctlConf().toString());
            if (!r.ok()) {
                fail("swanctl --load-all failed (exit " + r.exit + "): " + lastLines(r.out));
                return;
            }
            if (!loaded || problem != null) {
                Logger.info("ipsec: {} peer(s) loaded into {} charon ({})", peers.size(), system ? "the system's" : "the box's own",
                        peers.stream().map(PeerPlan::remoteText).toList());
            }
            loaded = true;
            problem = null;
            lastInitiate.clear();
            // A new key or CA re-authenticates: an SA made with the old one would otherwise live on.
            for (PeerPlan p : peers) {
                before.stream().filter(b -> b.remote() == p.remote() && !b.encryption().equals(p.encryption()))
                        .findFirst().ifPresent(b -> swanctlDetached("--terminate", "--ike", p.connection(), "--force"));
            }
        } catch (IOException | RuntimeException e) {
            fail(e.getMessage());
        }
    }

    private void fail(String why) {
        problem = why;
        Logger.error("IPSEC NOT UPDATED: {}", why);
    }

    private void write(List<PeerPlan> peers, int local) throws IOException {
        Path conf = swanctlConf();
        Path base = conf.getParent();
        Files.createDirectories(base);
        if (!system) {
            for (String d : SWANCTL_DIRS) {
                Files.createDirectories(dir.resolve(d));
            }
        }
        for (PeerPlan p : peers) {
            if (!p.encryption().usesPsk()) {
                Path ca = (system ? Path.of("/etc/swanctl") : dir).resolve("x509ca").resolve(SwanctlConf.caFile(p));
                AtomicFile.write(ca, p.encryption().ca().getBytes(StandardCharsets.US_ASCII));
            }
        }
        String localCert = peers.stream().anyMatch(p -> !p.encryption().usesPsk()) ? BoxCertificate.ensure(
                system ? Path.of("/etc/swanctl") : dir, keyHome) : "";
        // The secrets first: the connections include them, and AtomicFile makes both 0600.
        AtomicFile.write(base.resolve(SwanctlConf.SECRETS_FILE), SwanctlConf.secrets(peers, local).getBytes(StandardCharsets.US_ASCII));
        AtomicFile.write(conf, SwanctlConf.connections(peers, local, proposals, localCert).getBytes(StandardCharsets.US_ASCII));
    }

    private void startCharon() throws IOException {
        if (charon != null && charon.isAlive()) {
            return;
        }
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        stopLeftover();
        Path conf = dir.resolve("strongswan.conf");
        AtomicFile.write(conf, strongswanConf().getBytes(StandardCharsets.US_ASCII));
        Files.deleteIfExists(vici());
        ProcessBuilder pb = new ProcessBuilder(CHARON).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("charon.out").toFile()));
        pb.environment().put("STRONGSWAN_CONF", conf.toString());
        charon = pb.start();
        Files.writeString(dir.resolve("charon.pid"), charon.pid() + "\n");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(vici())) {
            if (!charon.isAlive()) {
                throw new IOException("charon stopped at start (exit " + charon.exitValue() + "): "
                        + lastLines(readQuietly(dir.resolve("charon.out"))));
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("charon did not open its VICI socket " + vici() + " within 10 s");
            }
            sleep(50);
        }
        Logger.info("ipsec: started charon (pid {}) with {}", charon.pid(), conf);
    }

    /** A charon left by a box that was killed (SIGKILL leaves children running) holds UDP 500: stop it. */
    private void stopLeftover() {
        Path pid = dir.resolve("charon.pid");
        try {
            long old = Long.parseLong(Files.readString(pid).strip());
            ProcessHandle.of(old).filter(h -> h.info().command().map(c -> c.endsWith("charon-systemd")).orElse(false))
                    .ifPresent(h -> {
                        Logger.warn("ipsec: stopping charon {} left by an earlier run", old);
                        h.destroy();
                        h.onExit().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
                    });
        } catch (IOException | NumberFormatException e) {
            // none left
        }
    }

    String strongswanConf() {
        return """
                # Written by TunnelBox for the charon it runs; see the README's IPsec section.
                charon-systemd {
                  load_modular = no
                  load = random nonce openssl pem pkcs1 pkcs8 x509 pubkey revocation constraints sha2 hmac kdf \
                gcm aes kernel-netlink socket-default vici
                  install_routes = no
                  install_virtual_ip = no
                  retransmit_tries = 3
                  retransmit_timeout = 2.0
                  plugins {
                    vici {
                      socket = unix://%s
                    }
                  }
                  journal {
                    default = -1
                  }
                  filelog {
                    tunnelbox {
                      path = %s
                      default = 1
                      ike_name = yes
                      flush_line = yes
                      time_format = %%F %%T
                    }
                  }
                }
                swanctl {
                  load = random openssl pem pkcs1 pkcs8 x509 pubkey
                }
                """.formatted(vici(), dir.resolve("charon.log"));
    }

    @Override
    public void poll() {
        List<PeerPlan> peers = plan;
        if (!loaded || wan == 0) {
            return;
        }
        if (!system) {
            log.read();
        }
        Result r = swanctl("--list-sas", "--raw");
        if (!r.ok()) {
            sas = Map.of();
            return;
        }
        sas = SaListing.ikeSas(r.out);
        // Trapped children start on the first packet; a tunnel without traffic (or a peer that was
        // down) is started here, at a calm rate, so the state tells the truth before anyone sends.
        long now = System.currentTimeMillis();
        synchronized (this) {
            for (PeerPlan p : peers) {
                if (state(p).up() || now - lastInitiate.getOrDefault(p.connection(), 0L) < INITIATE_EVERY_MILLIS) {
                    continue;
                }
                lastInitiate.put(p.connection(), now);
                Map<String, Object> ike = sas.get(p.connection());
                for (String child : children(p)) {
                    if (ike == null || !hasChild(ike, child)) {
                        swanctlDetached("--initiate", "--ike", p.connection(), "--child", child);
                    }
                }
            }
        }
    }

    private static List<String> children(PeerPlan p) {
        return List.of(SwanctlConf.CHILD);
    }

    /** Takes {@code raw} as the current listing (tests; the poll reads swanctl's). */
    void show(String raw, int wanAddress, List<PeerPlan> peers) {
        wan = wanAddress;
        plan = List.copyOf(peers);
        sas = SaListing.ikeSas(raw);
    }

    @Override
    public List<PeerState> peers() {
        return plan.stream().map(this::state).toList();
    }

    PeerState state(PeerPlan p) {
        if (wan == 0) {
            return PeerState.down(p, PeerState.NO_WAN);
        }
        if (problem != null) {
            return PeerState.down(p, "ipsec: " + problem);
        }
        Map<String, Object> ike = sas.get(p.connection());
        Optional<String> failure = system ? Optional.empty() : log.failure(p.connection());
        if (ike == null || !"ESTABLISHED".equals(ike.get("state"))) {
            return PeerState.down(p, failure.orElse(PeerState.NO_SA));
        }
        List<String> esp = new ArrayList<>();
        long bytesIn = 0, bytesOut = 0, packetsIn = 0, packetsOut = 0;
        long newest = Long.MAX_VALUE;
        boolean all = true;
        for (String child : children(p)) {
            Map<String, Object> c = child(ike, child);
            if (c == null) {
                all = false;
                continue;
            }
            esp.add(alg(c.get("encr-alg"), c.get("encr-keysize")) + (c.containsKey("dh-group")
                    ? "/" + c.get("dh-group") : ""));
            bytesIn += number(c.get("bytes-in"));
            bytesOut += number(c.get("bytes-out"));
            packetsIn += number(c.get("packets-in"));
            packetsOut += number(c.get("packets-out"));
            newest = Math.min(newest, number(c.get("install-time")));
        }
        String ikeAlg = alg(ike.get("encr-alg"), ike.get("encr-keysize")) + "/" + ike.getOrDefault("prf-alg", "-")
                + "/" + ike.getOrDefault("dh-group", "-");
        return new PeerState(p.remoteText(), p.connection(), p.users(), p.encryption().method(), all ? "up" : "down",
                all ? "" : failure.orElse(PeerState.NO_SA), ikeAlg, String.join(", ", esp), bytesIn, bytesOut, packetsIn, packetsOut,
                number(ike.get("established")), newest == Long.MAX_VALUE ? 0 : newest,
                String.valueOf(ike.getOrDefault("remote-id", "")));
    }

    private static boolean hasChild(Map<String, Object> ike, String name) {
        return child(ike, name) != null;
    }

    /** The installed child SA named {@code name} (listed as "gre-7" and the like, with name=gre). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> child(Map<String, Object> ike, String name) {
        if (!(ike.get("child-sas") instanceof Map<?, ?> children)) {
            return null;
        }
        Map<String, Object> best = null;
        for (Object v : children.values()) {
            if (v instanceof Map<?, ?> c && name.equals(c.get("name")) && "INSTALLED".equals(c.get("state"))) {
                Map<String, Object> m = (Map<String, Object>) c;
                if (best == null || number(m.get("install-time")) < number(best.get("install-time"))) {
                    best = m;
                }
            }
        }
        return best;
    }

    private static String alg(Object name, Object size) {
        return name == null ? "-" : name + (size == null ? "" : "-" + size);
    }

    private static long number(Object v) {
        try {
            return v == null ? 0 : Long.parseLong(v.toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public synchronized void close() {
        plan = List.of();
        if (system) {
            if (loaded) {
                try {
                    Files.deleteIfExists(swanctlConf());
                    Files.deleteIfExists(SYSTEM_CONF_D.resolve(SwanctlConf.SECRETS_FILE));
                } catch (IOException e) {
                    Logger.warn("ipsec: removing {}: {}", swanctlConf(), e.getMessage());
                }
                swanctl("--load-all");
            }
            loaded = false;
            return;
        }
        if (charon != null) {
            charon.destroy(); // SIGTERM: charon deletes its SAs and kernel policies on the way out
            try {
                if (!charon.waitFor(10, TimeUnit.SECONDS)) {
                    charon.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                charon.destroyForcibly();
            }
            Logger.info("ipsec: charon stopped");
            charon = null;
        }
        loaded = false;
        deleteTree(dir);
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // left for the next start's cleanup
                }
            });
        } catch (IOException e) {
            Logger.warn("ipsec: removing {}: {}", root, e.getMessage());
        }
    }

    record Result(int exit, String out) {
        boolean ok() {
            return exit == 0;
        }
    }

    private ProcessBuilder swanctlCommand(String... args) {
        List<String> cmd = new ArrayList<>(List.of(SWANCTL));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--uri", "unix://" + vici()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (!system) {
            pb.environment().put("STRONGSWAN_CONF", dir.resolve("strongswan.conf").toString());
        }
        return pb;
    }

    /**
     * Runs swanctl against this box's charon and returns its output; at most 15 s (its output goes
     * to a file, so a swanctl that never ends cannot block the reader).
     */
    Result swanctl(String... args) {
        Path out = null;
        try {
            out = Files.createTempFile("tunnelbox-swanctl", ".out");
            Process p = swanctlCommand(args).redirectOutput(out.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "swanctl " + args[0] + " timed out");
            }
            return new Result(p.exitValue(), Files.readString(out));
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException e) {
                    // a temporary file left behind
                }
            }
        }
    }

    /**
     * Starts swanctl and does not wait for it: an initiation waits for charon's outcome, which with
     * endless keying tries can take as long as the peer is away. Killed after 60 s.
     */
    void swanctlDetached(String... args) {
        try {
            Process p = swanctlCommand(args).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            Thread.ofVirtual().start(() -> {
                try {
                    if (!p.waitFor(60, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                }
            });
        } catch (IOException e) {
            Logger.warn("ipsec: swanctl {}: {}", args[0], e.getMessage());
        }
    }

    private static String lastLines(String text) {
        List<String> l = text.lines().filter(s -> !s.startsWith("plugin '") && !s.contains("opening directory")).toList();
        return String.join(" / ", l.subList(Math.max(0, l.size() - 3), l.size()));
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The WAN address IKE uses, for show ipsec. */
    public String local() {
        return wan == 0 ? "-" : Ipv4Address.format(wan);
    }
}
