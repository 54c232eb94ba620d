package io.tunnelbox.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.config.ApplyResult;
import io.tunnelbox.config.ConfigService;
import io.tunnelbox.config.ConfigStore;
import io.tunnelbox.config.TunnelConfig;
import io.tunnelbox.hal.serial.JSerialCommLine;
import io.tunnelbox.hal.serial.PtyPair;
import io.tunnelbox.hal.serial.SerialLine;
import io.tunnelbox.hal.testing.Requirements;
import io.tunnelbox.hal.time.ManualClock;
import io.tunnelbox.hal.time.Sleeper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an admin at 2 a.m. must be able to trust, over a real serial line (a socat pty pair): a
 * commit confirmed that rolls back says so at once and leaves no trap in the candidate, rollback
 * goes through the candidate, and no uncommitted work disappears without a word. Time is a manual
 * clock, so the 10-minute and 15-minute timers run in no time.
 */
class ConsoleSafetyPtyTest {
    private static final String PASSWORD = "s3rial-console";
    private static final String PROMPT = "tunnelbox> ";
    private static final String CONFIG_PROMPT = "tunnelbox(config)# ";

    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock();
    private final AtomicInteger factoryResets = new AtomicInteger();
    private ConfigService service;
    private PtyPair pty;
    private SerialConsole console;
    private JSerialCommLine screen;
    private ConsoleDriver admin;

    @BeforeEach
    void boot() throws Exception {
        Requirements.tool("socat");
        service = new ConfigService(new ConfigStore(dir, 20, clock), (previous, next) -> ApplyResult.OK, clock);
        service.setAdminPassword("admin", PASSWORD.toCharArray(), "test");
        SystemControl system = new SystemControl() {
            @Override
            public void reboot() {
            }

            @Override
            public void factoryReset() {
                factoryResets.incrementAndGet();
            }
        };
        ConsoleContext ctx = new ConsoleContext(service, new InMemoryDeviceView(), system, new LogRing(100),
                new LoginThrottle(), clock, Sleeper.SYSTEM, 8, ConsoleContext.DEFAULT_IDLE_TIMEOUT);
        pty = PtyPair.start("safety");
        console = new SerialConsole(new JSerialCommLine(pty.a().toString(), 115200, Duration.ofMillis(50), Sleeper.SYSTEM), ctx)
                .start();
        screen = new JSerialCommLine(pty.b().toString(), 115200);
        SerialLine.Connection c = screen.awaitConnection();
        admin = new ConsoleDriver(c.input(), c.output());
        admin.send("");
    }

    @AfterEach
    void unplug() throws Exception {
        admin.close();
        screen.close();
        console.close();
        pty.close();
    }

    private void logIn() {
        admin.logIn("admin", PASSWORD, "Welcome, admin.");
    }

    @Test
    void shouldAnnounceAnAutomaticRollbackAtOnceAndNotReapplyItBlindly() {
        logIn();
        admin.expect(PROMPT);
        admin.send("configure");
        admin.send("set tunnels gre1 remote 203.0.113.1");
        admin.send("commit confirmed 5 comment \"trying gre1\"");
        admin.expect("commit confirmed complete: version 3 (tunnels +gre1)");
        admin.expect("type confirm (or commit) within 5 min, or the box goes back to version 2");
        admin.expect("[commit confirmed: goes back to version 2 in 300 s unless you type confirm]");
        admin.expect(CONFIG_PROMPT);
        assertEquals("trying gre1 (commit confirmed, rolled back unless confirmed within 5 min)",
                service.history().getFirst().comment());

        clock.advance(Duration.ofMinutes(6));
        service.poll();
        // On the screen at once, while the admin is at the prompt.
        admin.expect("*** commit confirmed by console:admin expired: back to version 2 (stored as 4)");
        admin.expect("*** the candidate still holds that change: see compare; rollback 0 drops it");
        assertEquals(List.of(), service.running().tunnels());

        // A reflex commit does not quietly bring the change back.
        admin.send("commit");
        admin.expect("error: the running configuration is version 4 now; your candidate was made on 3");
        admin.expect("error: (commit-confirmed by console:admin not confirmed in time: rolled bac...)");
        admin.expect("error: compare shows what commit would change now; commit again to apply it,");
        admin.send("compare");
        admin.expect("+ set tunnels gre1 remote 203.0.113.1");
        admin.send("commit confirmed 5");
        admin.expect("commit confirmed complete: version 5");
        admin.send("commit");
        admin.expect("commit complete: version 5 (no changes)");
        admin.expect("this commit confirms the commit confirmed: version 5 stays (no going back to version 4)");
        clock.advance(Duration.ofMinutes(30));
        service.poll();
        assertEquals(List.of("gre1"), service.running().tunnels().stream().map(TunnelConfig::name).toList());
    }

    @Test
    void shouldKeepUncommittedChangesOverCtrlDAndIdleLogout() throws InterruptedException {
        logIn();
        admin.send("configure");
        admin.send("set system hostname branch-9");
        admin.expect(CONFIG_PROMPT);
        admin.type("\u0004");
        admin.expect("You have uncommitted changes: commit them, or exit to discard them.");
        admin.expect("(Ctrl-D again logs out and keeps them for your next login.)");
        admin.expect(CONFIG_PROMPT);
        admin.type("\u0004");
        logIn();
        admin.expect("Your uncommitted changes from your last session are back (2 lines in compare); you are in configure mode.");
        admin.expect(CONFIG_PROMPT);
        admin.send("compare");
        admin.expect("+ set system hostname branch-9");
        admin.expect(CONFIG_PROMPT);

        clock.advance(Duration.ofMinutes(16)); // the idle guard looks once a second
        admin.expect("idle for 15 min: logged out");
        admin.expect("your uncommitted changes are kept: they come back when admin logs in again");
        logIn();
        admin.expect("Your uncommitted changes from your last session are back");
        admin.send("commit");
        admin.expect("commit complete");
        assertEquals("branch-9", service.running().system().hostname());
    }

    @Test
    void shouldGuardPasswordsAndTheFactoryReset() {
        admin.expect("login: ");
        for (int i = 0; i < 2; i++) {
            admin.send("admin");
            admin.expect("Password: ");
            admin.send("wrong-password");
            admin.expect("Login incorrect");
        }
        logIn();
        admin.expect("NOTE: 2 failed logins since the last good login on this console");
        admin.send("factory-reset");
        admin.expect("[yes/no] ");
        admin.send("yes");
        admin.expect("Type yes again: ");
        admin.send("y");
        admin.expect("factory reset cancelled");
        assertEquals(0, factoryResets.get());

        admin.send("configure");
        admin.send("password admn");
        admin.expect("There is no admin \"admn\" (admins: admin). Create a new admin account? [yes/no] ");
        admin.send("no");
        admin.expect("no password set");
        admin.send("password admin");
        admin.expect("New password (at least 8 characters): ");
        admin.send("12345678");
        admin.expect("error: that is one of the most common passwords; choose another");
        admin.expect("New password (at least 8 characters): ");
        admin.send("abcdefghij");
        admin.expect("error: a run of the keyboard or of digits is too easy to guess; choose another");
        admin.expect("New password (at least 8 characters): ");
        admin.send("a-better-one");
        admin.expect("Retype new password: ");
        admin.send("a-better-one");
        admin.expect("password set in the candidate");
        admin.expect(CONFIG_PROMPT);
    }

    @Test
    void shouldAnswerForeignCommandsAndCompleteRunAndMarkCtrlC() {
        logIn();
        admin.expect(PROMPT);
        admin.type("show ver");
        admin.expect("show ver"); // echoed: the console has read it
        admin.type("\u0003");
        admin.awaitDropped(PROMPT + "show ver"); // the line, marked in place (the cursor moves back up to it)
        admin.send("configure");
        admin.send("edit tunnels gre1");
        admin.expect("error: there is no edit: set and delete take the whole path, e.g. set tunnels gre1 ttl 64");
        admin.type("run show ver\t");
        admin.expect("run show version ");
        admin.send("");
        admin.expect("config     version 2");
        admin.expect(CONFIG_PROMPT);
    }
}
