package io.tunnelbox.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.hal.testing.Requirements;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A box on a multicast segment is ready when it says so: the first broadcast a LAN host sends
 * after the ready line reaches a peer VTEP (the kernel's vxlan device joined to the group), also
 * after the box was restarted into the same log and after its WAN link went down and up; and the
 * box itself sends nothing into the segment (its LAN bridge's own IGMP report used to reach the
 * peer, which learned the bridge's MAC).
 *
 * <p>Each probe is one ping with one ARP solicitation ({@code mcast_solicit=1}): a lost broadcast
 * fails the probe instead of being hidden by the kernel's retries. Needs root, iproute2 and ping;
 * uses the lab's namespaces under the lab lock.
 */
class MulticastReadinessTest {
    /** How long after a WAN flap the first broadcast may take to reach the peer (README). */
    static final long FLAP_RECOVERY_SECONDS = 5;

    private static LabLock lock;
    private static Path work;

    @BeforeAll
    static void topology() throws Exception {
        Requirements.root();
        Requirements.tool("ip");
        Requirements.tool("ping");
        lock = LabLock.acquire(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        LabTopology.destroy();
        LabTopology t = new LabTopology();
        t.buildVxlanSites();
        t.kernelVtep(true);
        HostCommand.in(LabTopology.H1, "sysctl", "-q", "-w", "net.ipv4.neigh.eth0.mcast_solicit=1");
        work = Files.createTempDirectory("tbx-readiness");
    }

    @AfterAll
    static void cleanUp() {
        if (lock != null) {
            List<String> left = LabTopology.destroy();
            lock.close();
            deleteTree(work);
            assertEquals(List.of(), left, "lab namespaces left behind");
        }
    }

    @Test
    void shouldReachThePeerWithTheFirstBroadcastAfterStartRestartAndWanFlap() throws Exception {
        Path config = work.resolve("site1.json");
        Files.writeString(config, LabConfigs.vtep("site1", LabTopology.VTEP[0],
                new String[] {LabTopology.VTEP[1], LabTopology.VTEP[2]}, true));
        Path log = work.resolve("site1.log");

        try (BoxProcess first = start(config, log)) {
            first.awaitReady(Lab.READY_SECONDS);
            assertTrue(oneBroadcastReachesThePeer(), "first broadcast after the first start: " + first.tail(20));
        }
        // A restarted box writes into the same log: its ready line must be this run's.
        try (BoxProcess again = start(config, log)) {
            again.awaitReady(Lab.READY_SECONDS);
            assertTrue(oneBroadcastReachesThePeer(), "first broadcast after a restart: " + again.tail(20));

            HostCommand.in(LabTopology.V1, "ip", "link", "set", LabTopology.WAN_IF, "down");
            HostCommand.in(LabTopology.V1, "ip", "link", "set", LabTopology.WAN_IF, "up");
            long start = System.nanoTime();
            boolean reached = false;
            while (!reached && System.nanoTime() - start < FLAP_RECOVERY_SECONDS * 1_000_000_000L) {
                reached = oneBroadcastReachesThePeer();
            }
            assertTrue(reached, "no broadcast reached the peer within " + FLAP_RECOVERY_SECONDS
                    + " s of a WAN flap: " + again.tail(20));

            String fdb = HostCommand.in(LabTopology.V3, "bridge", "fdb", "show", "dev", "vx0");
            List<String> fromSite1 = fdb.lines()
                    .filter(l -> l.contains("dst " + LabTopology.VTEP[0]) && !l.startsWith("00:00:00:00:00:00"))
                    .map(l -> l.split(" ")[0]).distinct().toList();
            assertEquals(List.of("02:00:00:00:00:01"), fromSite1,
                    "the peer learned only the LAN host behind site 1, nothing the box sent itself:\n" + fdb);
        }
    }

    private static BoxProcess start(Path config, Path log) throws Exception {
        Path state = work.resolve("state");
        deleteTree(state);
        return BoxProcess.start("site1", LabTopology.V1, config, state, log);
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Forgets what the host and the peer learned, then pings the peer's host once: the host's one
     * ARP broadcast must cross the box, the group and the kernel VTEP, and the answer come back.
     */
    private static boolean oneBroadcastReachesThePeer() {
        HostCommand.attempt(HostCommand.inNs(LabTopology.H1, "ip", "neigh", "flush", "dev", "eth0"));
        HostCommand.attempt(HostCommand.inNs(LabTopology.V3, "ip", "neigh", "flush", "dev", "vx0"));
        HostCommand.attempt(HostCommand.inNs(LabTopology.V3, "bridge", "fdb", "del", "02:00:00:00:00:01",
                "dev", "vx0"));
        Ping ping = Ping.parse(HostCommand.attempt(HostCommand.inNs(LabTopology.H1, "ping", "-n", "-c", "1",
                "-W", "1", LabTopology.VM[2])).output());
        return ping.allAnswered();
    }
}
