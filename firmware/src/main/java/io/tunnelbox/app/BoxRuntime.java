package io.tunnelbox.app;

import io.tunnelbox.config.CommitResult;
import io.tunnelbox.config.Config;
import io.tunnelbox.config.ConfigService;
import io.tunnelbox.config.ConfigStore;
import io.tunnelbox.config.ParseResult;
import io.tunnelbox.config.ConfigParser;
import io.tunnelbox.control.ControlServer;
import io.tunnelbox.hal.board.BoardCatalog;
import io.tunnelbox.hal.board.BoardConfig;
import io.tunnelbox.hal.nic.NicRoles;
import io.tunnelbox.hal.nic.NicState;
import io.tunnelbox.hal.nic.RoleAssignment;
import io.tunnelbox.hal.nic.SysfsNics;
import io.tunnelbox.hal.time.Clock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

/**
 * A running box: the stored configuration (imported once from a file on first start), the Linux
 * dataplane it drives, the commit-confirm timer and the local control socket. {@code tunnelbox run}
 * holds one until it is told to stop.
 */
final class BoxRuntime implements AutoCloseable {
    private final ConfigService config;
    private final LinuxDataplane dataplane;
    private final ControlServer control;
    private final ScheduledExecutorService timers;

    private BoxRuntime(ConfigService config, LinuxDataplane dataplane, ControlServer control,
            ScheduledExecutorService timers) {
        this.config = config;
        this.dataplane = dataplane;
        this.control = control;
        this.timers = timers;
    }

    /**
     * Starts a box. {@code initialConfig}, when given, is stored as the first version if the state
     * directory holds none yet (first boot); afterwards the stored history rules.
     */
    static BoxRuntime start(Path initialConfig, Path stateDir, String boardId) throws IOException {
        Clock clock = Clock.SYSTEM;
        ConfigStore store = new ConfigStore(stateDir.resolve("config"), ConfigStore.DEFAULT_KEEP, clock);
        if (initialConfig != null && !Files.exists(store.file())) {
            importConfig(store, initialConfig);
        }
        BoardConfig board = BoardCatalog.shipped().byId(boardId).orElseThrow(() ->
                new IllegalArgumentException("unknown board '" + boardId + "'; known: "
                        + BoardCatalog.shipped().all().stream().map(BoardConfig::id).toList()));
        RoleAssignment roles = NicRoles.assign(board, new SysfsNics(SysfsNics.CLASS_NET).scan());
        if (!roles.complete()) {
            throw new IllegalArgumentException("board " + board.id() + ": " + String.join("; ", roles.problems()));
        }
        String wan = roles.nic("wan").map(NicState::name).orElseThrow();
        String lan = roles.nic("lan").map(NicState::name).orElseThrow();
        Config stored = store.load().config();
        LinuxDataplane dataplane = new LinuxDataplane(clock, stored.system().hostname(), wan, lan);
        ConfigService service;
        try {
            service = new ConfigService(store, dataplane, clock);
        } catch (IOException | RuntimeException e) {
            dataplane.close();
            throw e;
        }
        if (service.loadResult().fellBack()) {
            Logger.error("CONFIGURATION FELL BACK to version {}: {} (bad file kept as {})",
                    service.loadResult().version(), service.loadResult().problems(),
                    service.loadResult().badFile().map(Path::toString).orElse("-"));
        }
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("config-timer").factory());
        timers.scheduleAtFixedRate(service::poll, 1, 1, TimeUnit.SECONDS);
        timers.scheduleAtFixedRate(() -> dataplane.maintainWan(service.running()), 1, 1, TimeUnit.SECONDS);
        ShowCommands show = new ShowCommands(service, dataplane);
        ControlServer control = ControlServer.start(stateDir, show::answer);
        Logger.info("box {} on board {}: WAN {}, LAN {}, configuration version {}",
                stored.system().hostname(), board.id(), wan, lan, service.runningVersion());
        return new BoxRuntime(service, dataplane, control, timers);
    }

    private static void importConfig(ConfigStore store, Path file) throws IOException {
        ParseResult parsed = ConfigParser.parse(Files.readString(file));
        if (!parsed.ok()) {
            throw new IllegalArgumentException(file + " is not a valid configuration:\n" + parsed.describe());
        }
        store.load();
        store.save(parsed.config(), "import", "initial configuration from " + file);
        Logger.info("imported the initial configuration from {}", file);
    }

    ConfigService config() {
        return config;
    }

    CommitResult commit(com.fasterxml.jackson.databind.JsonNode candidate, String author, String comment) {
        return config.commit(candidate, author, comment);
    }

    @Override
    public void close() {
        timers.shutdownNow();
        control.close();
        dataplane.close();
    }
}
