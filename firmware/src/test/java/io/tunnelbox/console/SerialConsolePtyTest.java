package io.tunnelbox.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.config.ApplyResult;
import io.tunnelbox.config.Config;
import io.tunnelbox.config.ConfigParser;
import io.tunnelbox.config.ConfigService;
import io.tunnelbox.config.ConfigStore;
import io.tunnelbox.config.TunnelConfig;
import io.tunnelbox.hal.serial.JSerialCommLine;
import io.tunnelbox.hal.serial.PtyPair;
import io.tunnelbox.hal.serial.SerialLine;
import io.tunnelbox.hal.testing.Requirements;
import io.tunnelbox.hal.time.ManualClock;
import io.tunnelbox.hal.time.Sleeper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console for real: jSerialComm opens one end of a socat pty pair, the test types on the other
 * end like an admin with {@code screen}, and pulls the "cable" (kills socat) and plugs it back.
 */
class SerialConsolePtyTest {
    private static final String PASSWORD = "s3rial-console";

    @TempDir
    Path dir;

    @Test
    void shouldSetUpLogInConfigureAndSurviveAReplug() throws Exception {
        Requirements.tool("socat");
        ManualClock clock = new ManualClock();
        List<List<String>> applied = new CopyOnWriteArrayList<>();
        ConfigService service = new ConfigService(new ConfigStore(dir, 10, clock), (previous, next) -> {
            applied.add(next.tunnels().stream().map(TunnelConfig::name).toList());
            return ApplyResult.OK;
        }, clock);
        applied.clear();
        InMemoryDeviceView device = new InMemoryDeviceView()
                .add(new DeviceView.TunnelStatus("to-lyon", "192.0.2.1", "198.51.100.7", "up", 1476, 10, 12, 1000, 1200, 0))
                .add(new DeviceView.TunnelStatus("to-nantes-backup", "192.0.2.1", "198.51.100.8", "down", 1476, 123456789,
                        987654321, 0, 0, 4321, "keepalive-timeout", 1L, 7_384, true, null))
                .add(new DeviceView.MacEntry("office", 0, "02:00:00:00:00:01", "198.51.100.7", 12));
        SystemControl system = new SystemControl() {
            @Override
            public void reboot() {
            }

            @Override
            public void factoryReset() {
            }
        };
        ConsoleContext ctx = new ConsoleContext(service, device, system, new LogRing(100), new LoginThrottle(), clock,
                Sleeper.SYSTEM, 8, ConsoleContext.DEFAULT_IDLE_TIMEOUT);

        try (PtyPair pty = PtyPair.start("console");
             JSerialCommLine boxLine = new JSerialCommLine(pty.a().toString(), 115200, Duration.ofMillis(50), Sleeper.SYSTEM)) {
            SerialConsole console = new SerialConsole(boxLine, ctx).start();

            try (JSerialCommLine screen = new JSerialCommLine(pty.b().toString(), 115200)) {
                SerialLine.Connection c = screen.awaitConnection();
                ConsoleDriver admin = new ConsoleDriver(c.input(), c.output());
                admin.expect("This box has no admin account yet");
                admin.expect("Admin name [admin]: ");
                admin.send("");
                admin.expect("New password (at least 8 characters): ");
                admin.send(PASSWORD);
                admin.expect("Retype new password: ");
                admin.send(PASSWORD);
                admin.expect("Admin account \"admin\" stored");
                assertTrue(service.checkPassword("admin", PASSWORD.toCharArray()));

                logIn(admin);
                admin.send("show tunnels");
                String tunnels = admin.expect("tunnelbox> ");
                assertTrue(tunnels.matches("(?s).*to-lyon\\s+198\\.51\\.100\\.7\\s+up.*"), tunnels);
                assertTrue(tunnels.contains("down 2h03m (keepalive-timeout)"), tunnels);
                assertTrue(tunnels.lines().allMatch(l -> l.length() <= 80), "80 columns on the serial line:\n" + tunnels);
                admin.send("show tunnels to-nantes-backup");
                admin.expect("Tunnel to-nantes-backup is down 2h03m (keepalive-timeout)");
                admin.expect("tunnelbox> ");
                admin.send("show mac");
                String mac = admin.expect("tunnelbox> ");
                assertTrue(mac.matches("(?s).*office\\s+untagged\\s+02:00:00:00:00:01\\s+198\\.51\\.100\\.7\\s+12s.*"), mac);

                admin.send("configure");
                admin.expect("tunnelbox(config)# ");
                admin.send("set tunnels gre1 remote 203.0.113.1");
                admin.expect("tunnelbox(config)# ");
                admin.send("set tunnels gre1 key 5000");
                admin.expect("tunnelbox(config)# ");
                admin.send("commit \"tunnel to the lab\"");
                admin.expect("commit complete: version 3 (tunnels +gre1)");
                admin.expect("tunnelbox(config)# ");

                assertEquals(List.of(List.of("gre1")), applied.subList(1, applied.size()), "applied: " + applied);
                Config stored = ConfigParser.parse(Files.readString(dir.resolve(ConfigStore.FILE_NAME))).config();
                TunnelConfig gre1 = stored.tunnel("gre1").orElseThrow();
                assertEquals(5000L, gre1.okey().getAsLong());
                assertEquals("tunnel to the lab", service.history().getFirst().comment());

                admin.send("exit");
                admin.expect("tunnelbox> ");
                admin.send("logout");
                admin.expect("bye");
                admin.expect("login: ");
                admin.close();
            }

            // Pull the cable: both ends hang up and the box's port is closed.
            pty.unplug();
            pty.plugIn();

            try (JSerialCommLine screen = new JSerialCommLine(pty.b().toString(), 115200)) {
                SerialLine.Connection c = screen.awaitConnection();
                ConsoleDriver admin = new ConsoleDriver(c.input(), c.output());
                admin.send(""); // an admin presses Enter to wake the console up
                logIn(admin);
                admin.send("show config tunnels gre1 remote");
                admin.expect("\"203.0.113.1\"");
                admin.send("logout");
                admin.expect("bye");
                admin.close();
            }
            console.close();
        }
        try (var tmp = Files.list(Path.of("/tmp"))) {
            assertFalse(tmp.anyMatch(p -> p.getFileName().toString().startsWith("tbcons-console-"
                + ProcessHandle.current().pid() + "-")), "pty links removed");
        }
    }

    private static void logIn(ConsoleDriver admin) {
        admin.logIn("admin", PASSWORD, "Welcome, admin.");
        admin.expect("tunnelbox> ");
    }
}
