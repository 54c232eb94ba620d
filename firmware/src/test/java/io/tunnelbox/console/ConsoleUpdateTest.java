package io.tunnelbox.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.config.ApplyResult;
import io.tunnelbox.config.ConfigService;
import io.tunnelbox.config.ConfigStore;
import io.tunnelbox.hal.time.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jline.terminal.Terminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code update <file>} on the console hands the file to the box and prints its answer. */
class ConsoleUpdateTest {
    private static final String PASSWORD = "correct horse";

    @TempDir
    Path dir;

    @Test
    void shouldPassTheFileToTheBoxAndPrintWhatItSays() throws Exception {
        ManualClock clock = new ManualClock();
        ConfigService service = new ConfigService(new ConfigStore(dir, 10, clock), (previous, next) -> ApplyResult.OK, clock);
        assertTrue(service.setAdminPassword("admin", PASSWORD.toCharArray(), "test").ok());
        List<String> asked = new CopyOnWriteArrayList<>();
        SystemControl system = new SystemControl() {
            @Override
            public void reboot() {
            }

            @Override
            public void factoryReset() {
            }

            @Override
            public String update(String file) {
                asked.add(file);
                return file.endsWith("bad.tbx") ? "error: update refused: signed by key 00aa, which is not trusted (trusted: 11bb)"
                        : "firmware 2.0 installed into slot b; restarting into it";
            }
        };
        ConsoleContext ctx = new ConsoleContext(service, new InMemoryDeviceView(), system, new LogRing(100),
                new LoginThrottle(2, Duration.ofSeconds(1), Duration.ofSeconds(8)), clock, d -> { }, 8, ConsoleContext.DEFAULT_IDLE_TIMEOUT);
        BytePipe keyboard = new BytePipe();
        BytePipe screen = new BytePipe();
        Terminal terminal = SerialConsole.openTerminal(keyboard.source, screen.sink);
        Thread session = Thread.ofPlatform().daemon(true).start(new ConsoleSession(ctx, terminal)::run);
        try (ConsoleDriver admin = new ConsoleDriver(screen.source, keyboard.sink)) {
            admin.logIn("admin", PASSWORD, "tunnelbox> ");
            admin.send("update");
            admin.expect("error: usage: update <file>");
            admin.send("update /media/usb/bad.tbx");
            admin.expect("error: update refused: signed by key 00aa, which is not trusted (trusted: 11bb)");
            admin.send("update /media/usb/fw-2.0.tbx");
            admin.expect("firmware 2.0 installed into slot b; restarting into it");
            admin.expect("tunnelbox> ");
            keyboard.sink.close();
            session.join(10_000);
            assertFalse(session.isAlive());
        } finally {
            terminal.close();
        }
        assertEquals(List.of("/media/usb/bad.tbx", "/media/usb/fw-2.0.tbx"), asked);
    }
}
