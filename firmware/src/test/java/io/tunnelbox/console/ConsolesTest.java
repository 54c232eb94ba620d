package io.tunnelbox.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.config.ApplyResult;
import io.tunnelbox.config.ConfigService;
import io.tunnelbox.config.ConfigStore;
import io.tunnelbox.config.ConsoleConfig;
import io.tunnelbox.hal.board.ConsoleSpec;
import io.tunnelbox.hal.time.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsolesTest {
    @TempDir
    Path dir;

    @Test
    void shouldUseTheBoardsDeviceAndSpeedUnlessTheConfigurationNamesADevice() {
        ConsoleSpec nanopi = new ConsoleSpec("/dev/ttyS2", 1_500_000);
        assertEquals(new Consoles.Line("/dev/ttyS2", 1_500_000), Consoles.choose(nanopi, ConsoleConfig.DEFAULT));
        assertEquals(new Consoles.Line("/dev/ttyUSB0", 57600),
                Consoles.choose(nanopi, new ConsoleConfig("/dev/ttyUSB0", 57600)));
        assertEquals(new Consoles.Line("stdio", 115200), Consoles.choose(new ConsoleSpec("stdio", 0), ConsoleConfig.DEFAULT));
    }

    @Test
    void shouldOfferANewLoginAfterLogoutAndStopWhenTheInputEnds() throws Exception {
        ManualClock clock = new ManualClock();
        ConfigService service = new ConfigService(new ConfigStore(dir, 5, clock), (p, n) -> ApplyResult.OK, clock);
        assertTrue(service.setAdminPassword("admin", "long enough".toCharArray(), "test").ok());
        List<Duration> sleeps = new CopyOnWriteArrayList<>();
        ConsoleContext ctx = new ConsoleContext(service, new InMemoryDeviceView(), new SystemControl() {
            @Override
            public void reboot() {
            }

            @Override
            public void factoryReset() {
            }
        }, new LogRing(10), new LoginThrottle(), clock, sleeps::add, 8, ConsoleContext.DEFAULT_IDLE_TIMEOUT);
        BytePipe keyboard = new BytePipe();
        BytePipe screen = new BytePipe();
        StreamConsole console = new StreamConsole(keyboard.source, screen.sink, ctx).start();
        ConsoleDriver admin = new ConsoleDriver(screen.source, keyboard.sink);
        try {
            for (int session = 0; session < 2; session++) {
                admin.expect("login: ");
                admin.send("admin");
                admin.expect("Password: ");
                admin.send("long enough");
                admin.expect("tunnelbox> ");
                admin.send("logout");
                admin.expect("bye");
            }
            admin.expect("login: ");
            keyboard.sink.close();
            console.join(10_000);
            assertTrue(console.finished(), "no new session once the input has ended");
            assertEquals(List.of(), sleeps, "no crash pauses");
        } finally {
            console.close();
            admin.close();
        }
    }

    @Test
    void shouldStopAtOnceWhileAnIdleSessionWaitsForInputThatCannotBeInterrupted() throws Exception {
        ManualClock clock = new ManualClock();
        ConfigService service = new ConfigService(new ConfigStore(dir, 5, clock), (p, n) -> ApplyResult.OK, clock);
        ConsoleContext ctx = new ConsoleContext(service, new InMemoryDeviceView(), new SystemControl() {
            @Override
            public void reboot() {
            }

            @Override
            public void factoryReset() {
            }
        }, new LogRing(10), new LoginThrottle(), clock, d -> { }, 8, ConsoleContext.DEFAULT_IDLE_TIMEOUT);
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        java.io.InputStream stdin = new java.io.InputStream() {
            @Override
            public int read() {
                // like a read of fd 0: an interrupt does not end it
                while (true) {
                    try {
                        never.await();
                    } catch (InterruptedException ignored) {
                        // keep blocking
                    }
                }
            }
        };
        BytePipe screen = new BytePipe();
        StreamConsole console = new StreamConsole(stdin, screen.sink, ctx).start();
        ConsoleDriver admin = new ConsoleDriver(screen.source, new java.io.ByteArrayOutputStream());
        try {
            Thread.sleep(300); // the session is up and blocked in its first read
            long started = System.nanoTime();
            console.close();
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(millis < 1000, "SIGTERM must not wait for a keystroke: close took " + millis + " ms");
        } finally {
            never.countDown();
            admin.close();
        }
    }

    @Test
    void shouldLogOutASessionLeftIdleAfterLogin() throws Exception {
        ManualClock clock = new ManualClock();
        ConfigService service = new ConfigService(new ConfigStore(dir, 5, clock), (p, n) -> ApplyResult.OK, clock);
        assertTrue(service.setAdminPassword("admin", "long enough".toCharArray(), "test").ok());
        ConsoleContext ctx = new ConsoleContext(service, new InMemoryDeviceView(), new SystemControl() {
            @Override
            public void reboot() {
            }

            @Override
            public void factoryReset() {
            }
        }, new LogRing(10), new LoginThrottle(), clock, d -> { }, 8, Duration.ofMinutes(15));
        BytePipe keyboard = new BytePipe();
        BytePipe screen = new BytePipe();
        StreamConsole console = new StreamConsole(keyboard.source, screen.sink, ctx).start();
        ConsoleDriver admin = new ConsoleDriver(screen.source, keyboard.sink);
        try {
            clock.advance(Duration.ofHours(2)); // a login prompt may wait forever
            admin.expect("login: ");
            admin.send("admin");
            admin.expect("Password: ");
            admin.send("long enough");
            admin.expect("tunnelbox> ");
            clock.advance(Duration.ofMinutes(14));
            admin.send("show version");
            admin.expect("TunnelBox");
            admin.expect("tunnelbox> ");
            clock.advance(Duration.ofMinutes(14)); // 28 min since login, 14 since the last key
            admin.send("show version");
            admin.expect("TunnelBox");
            admin.expect("tunnelbox> ");
            assertTrue(!admin.screen().contains("logged out"));
            clock.advance(Duration.ofMinutes(16));
            admin.expect("idle for 15 min: logged out");
            admin.expect("login: ");
        } finally {
            keyboard.sink.close();
            console.close();
            admin.close();
        }
    }
}
