package io.tunnelbox.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sim board starts the whole box without root, and --config is imported once only. */
class SimBoardRunTest {
    @TempDir
    Path dir;

    @Test
    void shouldNotImportTheInitialConfigurationAgainAfterAFactoryReset() throws Exception {
        Path config = dir.resolve("example.json");
        try (InputStream in = SimBoardRunTest.class.getResourceAsStream("/config/example.json")) {
            Files.write(config, in.readAllBytes());
        }
        Path state = dir.resolve("state");
        try (BoxRuntime box = BoxRuntime.start(config, state, BoxRuntime.SIM_BOARD, "none", io.tunnelbox.hal.offload.Offloads.ALL)) {
            assertEquals("branch-a", box.config().running().system().hostname());
            assertEquals(2, box.config().running().tunnels().size());
        }
        // What BoxSystemControl.factoryReset() does before the restart: the store goes aside.
        Files.move(state.resolve("config"), state.resolve("config.backup-test"));
        try (BoxRuntime box = BoxRuntime.start(config, state, BoxRuntime.SIM_BOARD, "none", io.tunnelbox.hal.offload.Offloads.ALL)) {
            assertEquals("tunnelbox", box.config().running().system().hostname(), "factory defaults, not the file");
            assertTrue(box.config().running().tunnels().isEmpty());
        }
    }
}
