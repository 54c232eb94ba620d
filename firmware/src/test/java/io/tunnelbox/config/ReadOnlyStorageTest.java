package io.tunnelbox.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.control.ControlClient;
import io.tunnelbox.control.ControlServer;
import io.tunnelbox.hal.testing.Requirements;
import io.tunnelbox.hal.time.ManualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An SD card remounted read-only (a read-only bind mount here, which stops root too): the box
 * runs the stored configuration, says STORAGE_FAILED, refuses commits and moves its control socket.
 */
class ReadOnlyStorageTest {
    @TempDir
    Path dir;

    @Test
    void shouldRunTheStoredConfigurationAndSayStorageFailedOnAReadOnlyCard() throws Exception {
        Requirements.root();
        Requirements.tool("mount");
        ManualClock clock = new ManualClock();
        Path state = dir.resolve("state");
        Path configDir = state.resolve("config");
        ConfigStore writable = new ConfigStore(configDir, 5, clock);
        writable.load();
        writable.save(Config.defaults().withSystem(new SystemConfig("branch-7", List.of())), "alice", "before the card failed");

        run("mount", "--bind", state.toString(), state.toString());
        try {
            run("mount", "-o", "remount,ro,bind", state.toString());
            ConfigService service = new ConfigService(new ConfigStore(configDir, 5, clock), ConfigApplier.NONE, clock);
            assertEquals(LoadResult.Status.STORAGE_FAILED, service.loadResult().status());
            assertEquals("branch-7", service.running().system().hostname(), "the stored version runs, not factory defaults");
            assertTrue(service.storageProblem().orElseThrow().contains("cannot write"), service.storageProblem().toString());

            var tree = service.runningTree();
            tree.withObject("system").put("hostname", "changed");
            CommitResult r = service.commit(tree, "alice", "");
            assertFalse(r.ok());
            assertEquals("branch-7", service.running().system().hostname());

            Path run = dir.resolve("run");
            try (ControlServer control = ControlServer.start(state, run, Duration.ofSeconds(5), cmd -> "alive")) {
                assertTrue(control.path().startsWith(run), control.path().toString());
                assertEquals("alive\n", ControlClient.ask(state, run, "show version"));
            }
            service.recheckStorage();
            assertTrue(service.storageProblem().isPresent(), "still read-only");
        } finally {
            run("umount", state.toString());
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + ": " + out);
        }
    }
}
