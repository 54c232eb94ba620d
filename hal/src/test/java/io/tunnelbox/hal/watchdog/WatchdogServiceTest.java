package io.tunnelbox.hal.watchdog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.hal.time.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watchdog on virtual time, with a plain file as the device (each kick appends '.', the magic
 * close 'V') and a real AF_UNIX datagram socket standing in for systemd.
 */
class WatchdogServiceTest {
    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock();
    private final EngineProgress progress = new EngineProgress(clock);
    private Path device;
    private FakeNotifySocket systemd;
    private WatchdogService watchdog;

    @BeforeEach
    void setUp() throws Exception {
        device = Files.createFile(dir.resolve("watchdog"));
        systemd = new FakeNotifySocket(dir.resolve("notify"));
        watchdog = new WatchdogService(clock, progress,
                Optional.of(LinuxWatchdog.open(device.toString(), Duration.ofSeconds(15))),
                Optional.of(new SdNotify(systemd.name)), Duration.ofSeconds(5));
    }

    @AfterEach
    void tearDown() throws Exception {
        systemd.close();
    }

    private String deviceWrites() throws Exception {
        return Files.readString(device);
    }

    /** Advances one second at a time, beating {@code beat} (if not null) before each tick. */
    private void run(int seconds, Heartbeat beat) {
        for (int i = 0; i < seconds; i++) {
            clock.advance(Duration.ofSeconds(1));
            if (beat != null) {
                beat.beat();
            }
            watchdog.tick(clock.nanoTime());
        }
    }

    @Test
    void shouldKickEveryIntervalWhileTheEngineProgresses() throws Exception {
        Heartbeat engine = progress.register("datapath", Duration.ofSeconds(3));
        watchdog.start();
        run(20, engine);
        assertEquals(".....", deviceWrites(), "at 0, 5, 10, 15, 20 s");
        List<String> msgs = systemd.received();
        assertEquals("READY=1\nSTATUS=running", msgs.getFirst());
        assertEquals(Collections.nCopies(5, "WATCHDOG=1"), msgs.subList(1, msgs.size()));
    }

    @Test
    void shouldStopKickingWhenAnEngineThreadHangs() throws Exception {
        Heartbeat datapath = progress.register("datapath", Duration.ofSeconds(3));
        Heartbeat console = progress.register("console", Duration.ofSeconds(3));
        watchdog.start();
        for (int i = 0; i < 8; i++) { // both progress for 8 s
            clock.advance(Duration.ofSeconds(1));
            datapath.beat();
            console.beat();
            watchdog.tick(clock.nanoTime());
        }
        assertEquals("..", deviceWrites(), "kicks at 0 and 5 s");
        systemd.received();
        // The datapath hangs at 8 s; the console thread still runs. At 10 s the datapath has been
        // silent only 2 s (allowed: 3 s), so that kick still happens; from 15 s on, none.
        run(30, console);
        assertEquals("...", deviceWrites(), "no kick after the hang is seen: the hardware timer reboots the box");
        assertEquals(List.of("WATCHDOG=1", "STATUS=engine hung: datapath silent for 7000 ms"), systemd.received(),
                "said once, and no WATCHDOG=1 after it");
    }

    @Test
    void shouldResumeIfTheThreadRecoversBeforeTheTimerRunsOut() throws Exception {
        Heartbeat datapath = progress.register("datapath", Duration.ofSeconds(3));
        watchdog.start();
        run(4, null); // silent 4 s > 3 s
        watchdog.tick(clock.nanoTime());
        clock.advance(Duration.ofSeconds(2));
        watchdog.tick(clock.nanoTime());
        assertEquals(".", deviceWrites());
        datapath.beat();
        watchdog.tick(clock.nanoTime());
        assertEquals("..", deviceWrites());
        assertEquals(List.of("READY=1\nSTATUS=running", "WATCHDOG=1", "STATUS=engine hung: datapath silent for 6000 ms",
                "STATUS=running", "WATCHDOG=1"), systemd.received());
    }

    @Test
    void shouldNotCountAThreadThatStoppedCleanly() throws Exception {
        Heartbeat datapath = progress.register("datapath", Duration.ofSeconds(3));
        watchdog.start();
        datapath.close();
        run(10, null);
        assertEquals("...", deviceWrites());
        assertEquals(0, progress.registered());
    }

    @Test
    void shouldDisarmWithTheMagicCloseOnACleanStop() throws Exception {
        Heartbeat engine = progress.register("datapath", Duration.ofSeconds(3));
        watchdog.start();
        run(5, engine);
        watchdog.stop();
        assertEquals("..V", deviceWrites());
        List<String> msgs = systemd.received();
        assertEquals("STOPPING=1", msgs.getLast());
        run(10, engine);
        assertEquals("..V", deviceWrites(), "nothing written after the magic close");
    }

    @Test
    void shouldKickAtAThirdOfTheTimeoutOrHalfOfSystemdsWatchdogSec() {
        assertEquals(Duration.ofSeconds(5), WatchdogService.kickInterval(15, Optional.empty()));
        assertEquals(Duration.ofSeconds(4), WatchdogService.kickInterval(15, Optional.of(8_000_000L)));
        assertEquals(Duration.ofSeconds(5), WatchdogService.kickInterval(15, Optional.of(30_000_000L)));
    }

    @Test
    void shouldTolerateSystemdNotListening() throws Exception {
        systemd.close();
        SdNotify orphan = new SdNotify(dir.resolve("nobody").toString());
        assertFalse(orphan.send("READY=1"));
        orphan.close();
    }

    @Test
    void shouldNeverBlockWhenSystemdDoesNotRead() {
        SdNotify notify = new SdNotify(systemd.name);
        int refused = 0;
        for (int i = 0; i < 2000; i++) { // far more than a datagram socket queues
            if (!notify.send("WATCHDOG=1")) {
                refused++;
            }
        }
        notify.close();
        assertTrue(refused > 0, "a full queue makes send return false instead of blocking");
    }
}
