package io.tunnelbox.app;

import io.tunnelbox.hal.offload.Offloads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.console.ConsoleDriver;
import io.tunnelbox.hal.serial.JSerialCommLine;
import io.tunnelbox.hal.serial.PtyPair;
import io.tunnelbox.hal.serial.SerialLine;
import io.tunnelbox.hal.testing.Requirements;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole box on the {@code sim} board (configuration store, engines, console, a simulated peer
 * site with hosts), driven like an admin on a serial terminal of 24 rows: the console runs on one
 * end of a socat pty pair, the test types on the other and reads the screen. No root needed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SimBoxConsolePtyTest {
    private static final String PROMPT = "branch-a> ";
    private static final String CONFIG_PROMPT = "branch-a(config)# ";

    @TempDir
    static Path dir;
    private static PtyPair pty;
    private static BoxRuntime box;
    private static JSerialCommLine screen;
    private static ConsoleDriver admin;

    @BeforeAll
    static void bootTheSimBox() throws Exception {
        Requirements.tool("socat");
        Path config = dir.resolve("example.json");
        try (InputStream in = SimBoxConsolePtyTest.class.getResourceAsStream("/config/example.json")) {
            Files.write(config, in.readAllBytes());
        }
        pty = PtyPair.start("simbox");
        box = BoxRuntime.start(config, dir.resolve("state"), BoxRuntime.SIM_BOARD, pty.a().toString(), Offloads.NONE);
        screen = new JSerialCommLine(pty.b().toString(), 115200);
        SerialLine.Connection c = screen.awaitConnection();
        admin = new ConsoleDriver(c.input(), c.output()).answeringSize(24);
        admin.send("");
        admin.logIn("admin", "change-me", "Welcome, admin.");
        admin.expect(PROMPT);
    }

    @AfterAll
    static void shutDown() throws Exception {
        if (admin != null) {
            admin.send("logout");
            admin.expect("bye");
            admin.close();
        }
        if (screen != null) {
            screen.close();
        }
        if (box != null) {
            box.close();
        }
        if (pty != null) {
            pty.close();
        }
    }

    @Test
    @Order(1)
    void shouldShowTunnelsUpWithTrafficFromTheSimulatedHosts() throws InterruptedException {
        // The hosts behind the box ping those behind the peer site every two seconds: ask until
        // the tunnel shows packets both ways (a condition, not a fixed wait).
        long deadline = System.nanoTime() + 60_000_000_000L;
        String shown;
        long tx;
        long rx;
        do {
            admin.send("show tunnels");
            shown = admin.expect(PROMPT);
            String row = shown.lines().filter(l -> l.startsWith("to-b ")).findFirst().orElse("");
            String[] cells = row.trim().split("\\s+");
            assertTrue(row.contains("203.0.113.1") && row.contains(" up "), "to-b is up: " + shown);
            tx = Long.parseLong(cells[cells.length - 3]);
            rx = Long.parseLong(cells[cells.length - 2]);
            if (tx == 0 || rx == 0) {
                Thread.sleep(200);
            }
        } while ((tx == 0 || rx == 0) && System.nanoTime() < deadline);
        assertTrue(tx > 0 && rx > 0, "packets both ways: " + shown);
    }

    @Test
    @Order(2)
    void shouldPingAndTracerouteAcrossTheTunnelFromTheBox() {
        admin.send("ping 192.168.2.1 count 2");
        admin.expect("PING 192.168.2.1 from lan: 56 data bytes, 2 echo requests");
        admin.expect("64 bytes from 192.168.2.1: icmp_seq=1 time=");
        admin.expect("2 sent, 2 received, 0% loss");
        admin.expect(PROMPT);

        admin.send("ping 203.0.113.1 source wan count 1 size 100 df");
        admin.expect("108 bytes from 203.0.113.1: icmp_seq=1");
        admin.expect(PROMPT);

        admin.send("traceroute 192.168.2.1");
        admin.expect("traceroute to 192.168.2.1 from lan, 15 hops max");
        // Hop 1 is the box's own router (TTL exceeded at the tunnel), then the far side.
        admin.expect(" 1  192.168.1.254");
        String rest = admin.expect(PROMPT);
        assertTrue(rest.contains("192.168.2.1  "), rest);

        admin.send("ping 192.168.2.1 size 9999");
        admin.expect("error: size is 0..8972, not \"9999\"");
        admin.expect(PROMPT);
    }

    @Test
    @Order(3)
    void shouldStopAPingOnCtrlC() {
        admin.send("ping 192.168.2.1 count 100");
        admin.expect("icmp_seq=1 ");
        admin.type("\u0003");
        admin.expect("^C");
        String stats = admin.expect(PROMPT);
        assertTrue(stats.matches("(?s).*\\d+ sent, \\d+ received, 0% loss, time \\d+ ms \\(stopped\\).*"), stats);
    }

    @Test
    @Order(4)
    void shouldRefuseBadValuesOnTheSetLineAndLeaveNothingHalfMade() {
        admin.send("configure");
        admin.expect(CONFIG_PROMPT);
        admin.send("set tunnels to-b remote 300.1.1.1");
        admin.expect("error: tunnels to-b remote: \"300.1.1.1\" is not an IPv4 address");
        admin.send("set tunnels to-b key abc");
        admin.expect("error: tunnels to-b key: expected a whole number, found \"abc\"");
        admin.send("set tunnels to-b ttl 999");
        admin.expect("error: tunnels to-b ttl: 999 is out of range 1..255");
        admin.send("set tunnels to-b remtoe 192.0.2.9");
        admin.expect("error: tunnels to-b remtoe: unknown key (did you mean \"remote\"?)");
        admin.send("set bogus thing 1");
        admin.expect("error: bogus: unknown key");
        admin.send("set tunnels gre9 ttl 0");
        admin.expect("error: tunnels gre9 ttl: 0 is out of range 1..255");
        admin.expect(CONFIG_PROMPT);
        admin.send("compare");
        String diff = admin.expect(CONFIG_PROMPT);
        assertTrue(diff.contains("no changes"), "a refused set leaves nothing behind: " + diff);

        // Cross-checks stay at commit, and their paths are in set syntax too.
        admin.send("set routes 192.168.9.0/24 tunnel nowhere");
        admin.expect(CONFIG_PROMPT);
        admin.send("commit");
        admin.expect("error: commit failed: refused: 1 error, nothing changed");
        admin.expect("error: routes 192.168.9.0/24 tunnel: no tunnel named \"nowhere\"");
        admin.send("delete routes 192.168.9.0/24");
        admin.expect(CONFIG_PROMPT);
        admin.send("exit");
        admin.expect(PROMPT);
    }

    @Test
    @Order(5)
    void shouldDescribeValuesOnQuestionMarkAndCompleteWordsOnTab() {
        admin.send("configure");
        admin.expect(CONFIG_PROMPT);
        admin.type("set tunnels to-b ttl ?");
        String help = admin.expect("now 64");
        assertTrue(help.contains(CONFIG_PROMPT + "set tunnels to-b ttl ?"), "the line stays, with its ?: " + help);
        assertTrue(help.matches("(?s).*inherit\\s+\n\\s+<ttl>\\s+outer time to live \\(1\\.\\.255 or inherit\\), default 64, now 64"), help);
        // ? keeps the typed line; Ctrl-C drops it and marks it so.
        admin.expect(CONFIG_PROMPT + "set tunnels to-b ttl ");
        admin.type("\u0003");
        admin.awaitDropped(CONFIG_PROMPT + "set tunnels to-b ttl ");
        admin.type("set tunnels to-b ?");
        String fields = admin.expect("mssClamp");
        assertTrue(fields.contains("remote") && fields.contains("the other end's WAN address"), fields);
        admin.type("\u0003");
        admin.awaitDropped(CONFIG_PROMPT + "set tunnels to-b ");
        admin.type("set segments office transport g\t");
        admin.expect("set segments office transport gre ");
        admin.type("\u0003");
        admin.awaitDropped(CONFIG_PROMPT + "set segments office transport gre ");
        admin.type("set tunnels to-b checksum \t");
        String offered = admin.expect("true");
        assertTrue(offered.contains("false"), offered);
        admin.send("true");
        admin.expect(CONFIG_PROMPT);
        admin.send("compare");
        admin.expect("+ set tunnels to-b checksum true");
        admin.send("exit");
        admin.expect("Discard the uncommitted changes? [yes/no] ");
        admin.send("yes");
        admin.expect(PROMPT);
    }

    /**
     * The whole pager prompt, not only its start: a match on "--More--" leaves the rest of the
     * prompt unread when it arrives in a later chunk, and the next read would count it as a line.
     */
    static final String MORE_PROMPT = "q: quit)";

    @Test
    @Order(6)
    void shouldPageLongOutputAndFilterIt() {
        admin.send("show config");
        String first = admin.expect(MORE_PROMPT);
        assertEquals(23, first.strip().lines().count() - 2, "the command, 23 lines and the --More-- line on 24 rows: " + first);
        admin.type(" ");
        String second = admin.expect(MORE_PROMPT);
        assertEquals(23, second.strip().lines().count() - 1, "a whole screen more: " + second);
        admin.type("\r");
        String oneMore = admin.expect(MORE_PROMPT);
        assertEquals(1, oneMore.strip().lines().count() - 1, "Enter shows one line more: " + oneMore);
        admin.type("q");
        admin.expect(PROMPT);

        admin.send("show config | match remote");
        String matched = admin.expect(PROMPT);
        assertTrue(matched.contains("\"remote\" : \"203.0.113.1\"") && !matched.contains("hostname"), matched);
        admin.send("show config | match remote | count");
        admin.expect("Count: 2 lines");
        admin.send("show config | except remote | match remote | count");
        admin.expect("Count: 0 lines");
        admin.send("show config | no-more");
        String all = admin.expect(PROMPT);
        assertFalse(all.contains("--More--"), all);
        admin.send("show flows table 0");
        String table0 = admin.expect(PROMPT);
        assertTrue(table0.lines().filter(l -> l.contains("table=")).allMatch(l -> l.contains("table=0,")), table0);
        admin.send("show log errors");
        admin.expect(PROMPT);
        admin.send("show config | frob");
        admin.expect("error: unknown filter \"| frob\": use match, except, count or no-more");
        admin.expect(PROMPT);
    }

    @Test
    @Order(7)
    void shouldBreakATunnelWhoseKeyChangesOnlyOnTheBoxAndMendItByRollback() throws InterruptedException {
        admin.send("configure");
        admin.send("set tunnels to-b keepalive interval 1");
        admin.send("commit fast keepalives");
        admin.expect("commit complete");
        admin.expect(CONFIG_PROMPT);
        awaitToB(" up ");
        // The simulated far end keeps the key it was first given, as a real one would.
        admin.send("set tunnels to-b key 99");
        admin.send("commit");
        admin.expect("commit complete");
        admin.expect(CONFIG_PROMPT);
        awaitToB(" down");
        admin.send("rollback 1");
        admin.expect("+ set tunnels to-b key 42");
        admin.send("commit");
        admin.expect("commit complete");
        admin.expect(CONFIG_PROMPT);
        awaitToB(" up ");
        admin.send("exit");
        admin.expect(PROMPT);
    }

    /** Asks show tunnels once a second, up to 15 times, until to-b's row shows {@code state}. */
    private static void awaitToB(String state) throws InterruptedException {
        String row = "";
        for (int i = 0; i < 15; i++) {
            admin.send("run show tunnels");
            row = admin.expect(CONFIG_PROMPT).lines().filter(l -> l.startsWith("to-b ")).findFirst().orElse("no to-b row");
            if (row.contains(state)) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("to-b never showed \"" + state + "\": " + row);
    }
}
