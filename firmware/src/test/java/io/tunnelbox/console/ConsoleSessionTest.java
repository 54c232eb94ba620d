package io.tunnelbox.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.config.ApplyResult;
import io.tunnelbox.config.Config;
import io.tunnelbox.config.ConfigService;
import io.tunnelbox.config.ConfigStore;
import io.tunnelbox.config.TunnelConfig;
import io.tunnelbox.hal.time.ManualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jline.terminal.Terminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleSessionTest {
    private static final String PASSWORD = "correct horse";

    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock();
    private final List<List<String>> applied = new CopyOnWriteArrayList<>();
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private final AtomicInteger reboots = new AtomicInteger();
    private final AtomicInteger factoryResets = new AtomicInteger();
    private final LogRing ring = new LogRing(100);
    private final InMemoryDeviceView device = new InMemoryDeviceView();
    private final LoginThrottle throttle = new LoginThrottle(2, Duration.ofSeconds(1), Duration.ofSeconds(8));
    private ConfigService service;
    private BytePipe keyboard;
    private BytePipe screen;
    private Terminal terminal;
    private Thread session;
    private ConsoleDriver admin;

    @BeforeEach
    void boot() throws IOException {
        service = new ConfigService(new ConfigStore(dir, 10, clock), (previous, next) -> {
            applied.add(next.tunnels().stream().map(TunnelConfig::name).toList());
            return ApplyResult.OK;
        }, clock);
        applied.clear();
    }

    private void startSession() throws IOException {
        SystemControl system = new SystemControl() {
            @Override
            public void reboot() {
                reboots.incrementAndGet();
            }

            @Override
            public void factoryReset() {
                factoryResets.incrementAndGet();
            }
        };
        ConsoleContext ctx = new ConsoleContext(service, device, system, ring, throttle, clock, sleeps::add, 8, ConsoleContext.DEFAULT_IDLE_TIMEOUT);
        keyboard = new BytePipe();
        screen = new BytePipe();
        terminal = SerialConsole.openTerminal(keyboard.source, screen.sink);
        ConsoleSession s = new ConsoleSession(ctx, terminal);
        session = Thread.ofPlatform().daemon(true).name("console-session").start(s::run);
        admin = new ConsoleDriver(screen.source, keyboard.sink);
    }

    @AfterEach
    void hangUp() throws Exception {
        if (session != null) {
            keyboard.sink.close();
            session.join(10_000);
            assertFalse(session.isAlive(), "the session ends when its input ends");
            terminal.close();
            admin.close();
        }
    }

    private void loggedIn() throws IOException {
        assertTrue(service.setAdminPassword("admin", PASSWORD.toCharArray(), "test").ok());
        applied.clear();
        startSession();
        admin.expect("login: ");
        admin.send("admin");
        admin.expect("Password: ");
        admin.send(PASSWORD);
        admin.expect("tunnelbox> ");
    }

    @Test
    void shouldAskForAnAdminPasswordOnFirstBootAndStoreIt() throws IOException {
        startSession();
        admin.expect("no admin account yet");
        admin.expect("Admin name [admin]: ");
        admin.send("");
        admin.expect("New password (at least 8 characters): ");
        admin.send("short");
        admin.expect("error: too short: 5 characters, at least 8 needed");
        admin.expect("New password");
        admin.send(PASSWORD);
        admin.expect("Retype new password: ");
        admin.send("correct horsf");
        admin.expect("error: the two passwords differ; try again");
        admin.expect("New password");
        admin.send(PASSWORD);
        admin.expect("Retype new password: ");
        admin.send(PASSWORD);
        admin.expect("Admin account \"admin\" stored (configuration version 2)");

        assertTrue(service.checkPassword("admin", PASSWORD.toCharArray()));
        assertEquals("console:admin", service.history().getFirst().author());
        assertFalse(Files.readString(dir.resolve(ConfigStore.FILE_NAME)).contains(PASSWORD), "no password in the file");
        assertFalse(admin.screen().contains(PASSWORD), "passwords are not echoed");

        admin.expect("login: ");
        admin.send("admin");
        admin.expect("Password: ");
        admin.send(PASSWORD);
        admin.expect("Welcome, admin.");
        admin.expect("tunnelbox> ");
    }

    @Test
    void shouldSlowDownAfterFailedLogins() throws IOException {
        assertTrue(service.setAdminPassword("admin", PASSWORD.toCharArray(), "test").ok());
        startSession();
        for (int i = 0; i < 4; i++) {
            admin.expect("login: ");
            admin.send(i == 1 ? "root" : "admin");
            admin.expect("Password: ");
            admin.send("guess" + i);
            admin.expect("Login incorrect");
        }
        admin.expect("login: ");
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), sleeps);
        admin.send("admin");
        admin.expect("Password: ");
        admin.send(PASSWORD);
        admin.expect("tunnelbox> ");
        assertEquals(0, throttle.failures(), "a good login starts the count over");
        admin.send("logout");
        admin.expect("bye");
    }

    @Test
    void shouldShowTunnelsFromTheDeviceAndConfiguredOnesNotRunning() throws IOException {
        device.add(new DeviceView.TunnelStatus("to-lyon", "192.0.2.1", "198.51.100.7", "up", 1476, 1200, 1100, 90000, 80000, 3));
        assertTrue(service.commit(withTunnel("to-nice", "203.0.113.9"), "test", "").ok());
        loggedIn();
        admin.send("show tunnels");
        String shown = admin.expect("tunnelbox> ");
        assertTrue(shown.contains("NAME     LOCAL      REMOTE        STATE"), shown);
        assertTrue(shown.matches("(?s).*to-lyon\\s+192\\.0\\.2\\.1\\s+198\\.51\\.100\\.7\\s+up\\s+1476\\s+1200\\s+1100\\s+3.*"), shown);
        assertTrue(shown.matches("(?s).*to-nice\\s+wan\\s+203\\.0\\.113\\.9\\s+not-running.*"), shown);
    }

    private com.fasterxml.jackson.databind.node.ObjectNode withTunnel(String name, String remote) {
        var tree = service.runningTree();
        tree.withArray("tunnels").addObject().put("name", name).put("remote", remote);
        return tree;
    }

    @Test
    void shouldConfigureCompareAndCommitATunnel() throws IOException {
        loggedIn();
        admin.send("configure");
        admin.expect("tunnelbox(config)# ");
        admin.send("set tunnels gre1 remote 203.0.113.1");
        admin.expect("tunnelbox(config)# ");
        admin.send("set tunnels gre1 key 5000");
        admin.expect("tunnelbox(config)# ");
        admin.send("compare");
        String diff = admin.expect("tunnelbox(config)# ");
        assertTrue(diff.contains("+ set tunnels gre1 remote 203.0.113.1"), diff);
        assertTrue(diff.contains("+ set tunnels gre1 key 5000"), diff);
        assertFalse(diff.contains("- "), diff);
        assertTrue(applied.isEmpty(), "nothing applied before commit");

        admin.send("commit \"first tunnel\"");
        admin.expect("commit complete: version 3");
        admin.expect("tunnelbox(config)# ");

        assertEquals(List.of(List.of("gre1")), applied);
        Config stored = io.tunnelbox.config.ConfigParser.parse(Files.readString(dir.resolve(ConfigStore.FILE_NAME))).config();
        assertEquals(5000L, stored.tunnel("gre1").orElseThrow().okey().getAsLong());
        assertEquals("first tunnel", service.history().getFirst().comment());
        assertEquals("console:admin", service.history().getFirst().author());

        admin.send("compare");
        admin.expect("no changes");
        admin.send("exit");
        admin.expect("tunnelbox> ");
    }

    @Test
    void shouldRefuseAnInvalidCommitWithOneLinePerError() throws IOException {
        loggedIn();
        admin.send("configure");
        admin.send("set tunnels gre1 remote 300.1.1.1");
        admin.send("commit");
        String out = admin.expect("tunnelbox(config)# ");
        out += admin.expect("tunnelbox(config)# ");
        out += admin.expect("tunnelbox(config)# ");
        assertTrue(out.contains("error: commit failed: refused"), out);
        assertTrue(out.contains("error: tunnels[0].remote: "), out);
        assertTrue(applied.isEmpty());
        assertEquals(2, service.runningVersion());
    }

    @Test
    void shouldRollBackAnUnconfirmedCommitAndKeepAConfirmedOne() throws IOException {
        loggedIn();
        admin.send("configure");
        admin.send("set tunnels gre1 remote 203.0.113.1");
        admin.send("commit confirmed 2");
        admin.expect("commit confirmed complete: version 3");
        admin.expect("type confirm within 2 min");
        admin.expect("rolls back in 120 s unless you type confirm");
        clock.advance(Duration.ofMinutes(3));
        service.poll();
        assertEquals(List.of(), service.running().tunnels());

        admin.send("set tunnels gre2 remote 203.0.113.2");
        admin.send("commit confirmed");
        admin.expect("type confirm within 10 min");
        admin.send("confirm");
        admin.expect("confirmed: version");
        clock.advance(Duration.ofMinutes(30));
        service.poll();
        // The candidate still held gre1 when the first commit was rolled back: both are committed now.
        assertEquals(List.of("gre1", "gre2"), service.running().tunnels().stream().map(TunnelConfig::name).toList());
    }

    @Test
    void shouldRollBackToAnEarlierVersion() throws IOException {
        loggedIn();
        admin.send("configure");
        admin.send("set system hostname branch-7");
        admin.send("commit");
        admin.expect("branch-7(config)# ");
        admin.send("rollback 1");
        admin.expect("rollback complete");
        admin.expect("tunnelbox(config)# ");
        assertEquals("tunnelbox", service.running().system().hostname());
        admin.send("rollback 99");
        admin.expect("error: rollback failed");
        admin.expect("error: cannot roll back 99");
    }

    @Test
    void shouldSuggestACommandForATypo() throws IOException {
        loggedIn();
        admin.send("show tunels");
        admin.expect("error: unknown command \"show tunels\"; did you mean \"show tunnels\"?");
        admin.send("shwo version");
        admin.expect("error: unknown command \"shwo\"; did you mean \"show\"?");
    }

    @Test
    void shouldListChoicesOnQuestionMarkAndKeepTheLine() throws IOException {
        loggedIn();
        admin.type("show ?");
        String help = admin.expect("config");
        assertTrue(help.contains("tunnels") && help.contains("GRE tunnels: state and counters"), help);
        admin.type("version\r");
        admin.expect("TunnelBox 0.1.0-SNAPSHOT");
        admin.expect("config     version 2");
    }

    @Test
    void shouldCompleteCommandsAndConfigPathsWithTab() throws IOException {
        device.add(new DeviceView.TunnelStatus("to-lyon", "192.0.2.1", "198.51.100.7", "up", 1476, 0, 0, 0, 0, 0));
        loggedIn();
        admin.type("sh\tver\t\r");
        admin.expect("TunnelBox 0.1.0-SNAPSHOT");
        admin.expect("tunnelbox> ");
        admin.send("configure");
        admin.type("set tun\tgre1 rem\t203.0.113.1\r");
        admin.expect("tunnelbox(config)# ");
        admin.send("show tunnels gre1");
        admin.expect("\"remote\" : \"203.0.113.1\"");
    }

    @Test
    void shouldAskTwiceBeforeAFactoryResetAndOnceBeforeAReboot() throws IOException {
        loggedIn();
        admin.send("factory-reset");
        admin.expect("[yes/no] ");
        admin.send("yes");
        admin.expect("Type yes again: ");
        admin.send("no");
        admin.expect("factory reset cancelled");
        assertEquals(0, factoryResets.get());
        admin.send("factory-reset");
        admin.expect("[yes/no] ");
        admin.send("yes");
        admin.expect("Type yes again: ");
        admin.send("yes");
        admin.expect("factory reset: erasing and restarting");
        admin.expect("tunnelbox> "); // the prompt comes back once the call returned
        assertEquals(1, factoryResets.get());

        admin.send("reboot");
        admin.expect("Reboot the box? [yes/no] ");
        admin.send("");
        admin.expect("reboot cancelled");
        admin.send("reboot");
        admin.expect("Reboot the box? [yes/no] ");
        admin.send("y");
        admin.expect("rebooting");
        admin.expect("tunnelbox> ");
        assertEquals(1, reboots.get());
    }

    @Test
    void shouldShowTheNewestLogLinesAndClearCounters() throws IOException {
        for (int i = 1; i <= 5; i++) {
            ring.add("event " + i);
        }
        device.count("router.drop.bad-checksum", 7);
        loggedIn();
        admin.send("show log 2");
        String log = admin.expect("tunnelbox> ");
        assertTrue(log.contains("event 4") && log.contains("event 5") && !log.contains("event 3"), log);
        admin.send("show counters");
        admin.expect("router.drop.bad-checksum      7");
        admin.send("clear counters");
        admin.expect("counters cleared");
        assertEquals(0L, device.counters().get("router.drop.bad-checksum"));
        admin.send("show log x");
        admin.expect("error: \"x\" is not a number of lines (1 or more)");
    }

    @Test
    void shouldHideThePasswordHashInShowConfig() throws IOException {
        loggedIn();
        admin.send("show config system");
        String shown = admin.expect("tunnelbox> ");
        assertTrue(shown.contains("\"passwordHash\" : \"<hidden>\""), shown);
        assertFalse(shown.contains("pbkdf2"), shown);
    }

    @Test
    void shouldAskBeforeDiscardingUncommittedChanges() throws IOException {
        loggedIn();
        admin.send("configure");
        admin.send("set system hostname edited");
        admin.send("exit");
        admin.expect("Discard the uncommitted changes? [yes/no] ");
        admin.send("no");
        admin.expect("still in configure mode");
        admin.send("exit");
        admin.expect("[yes/no] ");
        admin.send("yes");
        admin.expect("tunnelbox> ");
        assertEquals("tunnelbox", service.running().system().hostname());
    }

    @Test
    void shouldRunOperationalCommandsFromConfigureModeOnlyThroughRun() throws IOException {
        loggedIn();
        admin.send("configure");
        admin.send("show version");
        admin.expect("error: \"show version\" is an operational command: type run show version, or exit configure mode first");
        admin.send("run show version");
        admin.expect("TunnelBox 0.1.0-SNAPSHOT");
        admin.send("run configure");
        admin.expect("error: \"configure\" cannot run from configure mode; exit first");
        admin.send("comit");
        admin.expect("error: unknown command \"comit\"; did you mean \"commit\"?");
    }

    @Test
    void shouldDeleteATunnelAndShowItInCompare() throws IOException {
        assertTrue(service.commit(withTunnel("to-nice", "203.0.113.9"), "test", "").ok());
        loggedIn();
        admin.send("configure");
        admin.send("delete tunnels to-nice");
        admin.send("compare");
        admin.expect("- set tunnels to-nice remote 203.0.113.9");
        admin.send("delete tunnels to-nice");
        admin.expect("error: nothing to delete: \"tunnels to-nice\" is not set");
        admin.send("commit");
        admin.expect("commit complete");
        assertEquals(List.of(), service.running().tunnels());
    }

    @Test
    void shouldSetAnotherAdminsPasswordThroughTheCandidate() throws IOException {
        loggedIn();
        admin.send("configure");
        admin.send("password operator");
        admin.expect("New password (at least 8 characters): ");
        admin.send("operator-secret");
        admin.expect("Retype new password: ");
        admin.send("operator-secret");
        admin.expect("password set in the candidate; commit to store it");
        assertFalse(service.checkPassword("operator", "operator-secret".toCharArray()), "not before commit");
        admin.send("compare");
        admin.expect("+ set system admins operator passwordHash <hidden>");
        admin.send("commit");
        admin.expect("commit complete");
        assertTrue(service.checkPassword("operator", "operator-secret".toCharArray()));
        assertFalse(admin.screen().contains("operator-secret"));
    }

    @Test
    void shouldTakeAQuestionMarkInsideQuotesAsText() throws IOException {
        loggedIn();
        admin.send("configure");
        admin.type("set system hostname \"why?\"\r");
        admin.expect("tunnelbox(config)# ");
        admin.send("show system hostname");
        admin.expect("\"why?\"");
    }

    @Test
    void shouldRefuseAnEndlessLineQuicklyAndCarryOn() throws IOException {
        loggedIn();
        long start = System.nanoTime();
        admin.send("show " + "x".repeat(100_000));
        admin.expect("error: line longer than 1024 characters; the rest was dropped and nothing was run");
        admin.expect("tunnelbox> ");
        admin.send("configure");
        admin.expect("tunnelbox(config)# ");
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertTrue(seconds < 15, "took " + seconds + " s");
    }
}
