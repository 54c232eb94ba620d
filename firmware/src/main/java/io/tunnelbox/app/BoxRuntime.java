package io.tunnelbox.app;

import io.tunnelbox.config.ConfigService;
import io.tunnelbox.config.ConfigStore;
import io.tunnelbox.config.ParseResult;
import io.tunnelbox.config.ConfigParser;
import io.tunnelbox.control.ControlServer;
import io.tunnelbox.console.LogRing;
import io.tunnelbox.management.FrontEnds;
import io.tunnelbox.management.ManagementContext;
import io.tunnelbox.firewall.NftFirewall;
import io.tunnelbox.firewall.Zones;
import io.tunnelbox.hal.linux.Ip;
import io.tunnelbox.hal.board.BoardCatalog;
import io.tunnelbox.hal.board.BoardConfig;
import io.tunnelbox.hal.nic.NicState;
import io.tunnelbox.hal.nic.SysfsNics;
import io.tunnelbox.hal.nic.RoleAssignment;
import io.tunnelbox.hal.offload.Offloads;
import io.tunnelbox.hal.time.Clock;
import io.tunnelbox.config.LoadResult;
import io.tunnelbox.console.ConsoleContext;
import io.tunnelbox.console.Consoles;
import io.tunnelbox.hal.board.ConsoleSpec;
import io.tunnelbox.hal.status.BoardServices;
import io.tunnelbox.hal.status.StatusEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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
    /** The board that runs on in-memory ports with a simulated peer site: no root, no devices. */
    static final String SIM_BOARD = "sim";
    /** Written in the state directory once --config was imported. */
    static final String IMPORTED_MARKER = "initial-config-imported";
    private final ConfigService config;
    private final List<AutoCloseable> parts;

    private BoxRuntime(ConfigService config, List<AutoCloseable> parts) {
        this.config = config;
        this.parts = parts;
    }

    /**
     * Starts a box. {@code initialConfig}, when given, is stored as the first version if the state
     * directory holds none yet (first boot); afterwards the stored history rules. {@code console}
     * is a serial device, or "none". {@code offloads}: what the Linux ports may use, overriding the configuration's (null: the configuration's).
     */
    static BoxRuntime start(Path initialConfig, Path stateDir, String boardId, String console, Offloads offloads)
            throws IOException {
        Clock clock = Clock.SYSTEM;
        // Updates first: after a rollback the configuration from before the update goes back.
        UpdateHealth.Pending updates = UpdateHealth.beforeStart(stateDir);
        Path configDir = stateDir.resolve("config");
        ConfigStore store = new ConfigStore(configDir, ConfigStore.DEFAULT_KEEP, clock);
        // Imported once: after a factory reset the box must come up with factory defaults, not
        // with this file again (the marker lives outside the configuration store, which a reset wipes).
        Path imported = stateDir.resolve(IMPORTED_MARKER);
        if (initialConfig != null && !Files.exists(store.file()) && !Files.exists(imported)) {
            importConfig(store, initialConfig);
            Files.writeString(imported, initialConfig.toAbsolutePath() + "\n");
        }
        boolean sim = SIM_BOARD.equals(boardId);
        BoardConfig board = BoardCatalog.shipped().byId(boardId).orElseThrow(() ->
                new IllegalArgumentException("unknown board '" + boardId + "'; known: "
                        + BoardCatalog.shipped().all().stream().map(BoardConfig::id).toList()
                        + " (add one: see board-configs/README.md)"));
        BoxSystemControl system = new BoxSystemControl(configDir);
        List<AutoCloseable> parts = new ArrayList<>();
        try {
            BoardServices services = sim
                    ? BoardServices.sim(board, clock, io.tunnelbox.hal.time.Sleeper.SYSTEM, system::factoryReset)
                    : BoardServices.hardware(board, BoardServices.Paths.LINUX, clock, system::factoryReset);
            parts.add(services);
            RoleAssignment roles = services.roles();
            roles.explanations().forEach(line -> Logger.info("Board {}: {}", board.id(), line));
            if (!roles.complete()) {
                throw new IllegalArgumentException(roles.startupError(board.id()));
            }
            String wan = roles.nic("wan").map(NicState::name).orElseThrow();
            String lan = roles.nic("lan").map(NicState::name).orElseThrow();
            LinuxDataplane linux = sim ? null : new LinuxDataplane(wan, lan, offloads);
            SimDevices simDevices = sim ? new SimDevices(clock) : null;
            DatapathApplier dataplane = sim ? new DatapathApplier(simDevices, clock)
                    : new DatapathApplier(linux, clock, new NftFirewall(Ip.host(),
                            new Zones(wan, List.of(lan, LinuxDataplane.BRIDGE), List.of(LinuxDataplane.TUN))),
                            io.tunnelbox.ipsec.StrongSwan.start(io.tunnelbox.control.ControlServer.fallbackDirectory(
                                    io.tunnelbox.control.ControlServer.RUN_DIR, stateDir).resolve("ipsec"),
                                    stateDir.resolve("ipsec")));
            parts.add(dataplane);
            ConfigService service = new ConfigService(store, dataplane, clock);
            LoadResult loaded = service.loadResult();
            if (loaded.fellBack()) {
                Logger.error("CONFIGURATION FELL BACK to version {}: {} (bad file kept as {})",
                        loaded.version(), loaded.problems(), loaded.badFile().map(Path::toString).orElse("-"));
            }
            services.bus().publish(new StatusEvent.ConfigFellBack(loaded.fellBack()));
            services.bus().publish(new StatusEvent.Running(true));
            services.start();

            ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("box-timer").factory());
            parts.add(timers::shutdownNow);
            BoxStatus status = new BoxStatus(services, dataplane, service);
            timers.scheduleAtFixedRate(() -> guarded("storage check", service::recheckStorage), 30, 30, TimeUnit.SECONDS);
            timers.scheduleAtFixedRate(() -> guarded("commit-confirm timer", service::poll), 1, 1, TimeUnit.SECONDS);
            if (linux != null) {
                Runnable upkeep = () -> guarded("WAN upkeep", () -> {
                    linux.maintainWan(service.running());
                    dataplane.maintain(service.running());
                });
                timers.scheduleAtFixedRate(upkeep, 1, 1, TimeUnit.SECONDS);
                // Link and address events start the upkeep at once (a burst of events runs it once or twice).
                java.util.concurrent.atomic.AtomicBoolean queued = new java.util.concurrent.atomic.AtomicBoolean();
                try {
                    parts.add(io.tunnelbox.hal.linux.Rtnetlink.start(event -> {
                        if (queued.compareAndSet(false, true)) {
                            timers.schedule(() -> {
                                queued.set(false);
                                upkeep.run();
                            }, 20, TimeUnit.MILLISECONDS);
                        }
                    }));
                } catch (RuntimeException e) {
                    Logger.warn("no rtnetlink events ({}): WAN and device changes are noticed within a second", e.getMessage());
                }
            }
            timers.scheduleAtFixedRate(() -> guarded("status", status::tick), 1, 1, TimeUnit.SECONDS);
            // IPsec state (swanctl --list-sas and charon's log) at a calm rate, off the datapaths and
            // on a thread of its own, so a slow swanctl never delays the WAN upkeep.
            ScheduledExecutorService ipsecTimer = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("ipsec-poll").factory());
            parts.add(ipsecTimer::shutdownNow);
            ipsecTimer.scheduleWithFixedDelay(() -> guarded("ipsec poll", dataplane.ipsec()::poll), 2, 2, TimeUnit.SECONDS);

            EngineDeviceView view = new EngineDeviceView(service, dataplane, clock, board.id(), wan, lan,
                    services.nics(), SysfsNics.CLASS_NET);
            // Before the front ends: the web page uploads updates to it (and on a trial start the
            // health watch waits for the page to answer).
            UpdateHealth health = updates.start(services, service, dataplane);
            parts.add(health);
            system.updater(file -> health.update(Path.of(file)));
            // The web page, when its jar is on the class path (found at run time: firmware never imports it).
            parts.add(FrontEnds.startAll(new ManagementContext(service, view, LogRing.shared(), stateDir, clock,
                    new BoxDiagnostics(service, wan), health)));
            if (!"none".equals(console)) {
                // "auto": the configuration's console device, else the board's (Consoles.choose);
                // a device given on the command line wins over both. The sim box's console is
                // this terminal unless told otherwise (its configuration may name a real UART).
                boolean auto = "auto".equals(console) && !sim;
                String device = sim && "auto".equals(console) ? Consoles.STDIO : console;
                ConsoleSpec spec = auto ? board.console()
                        : new ConsoleSpec(device, board.console() != null ? board.console().baud() : 0);
                io.tunnelbox.config.ConsoleConfig cc = auto ? service.running().console()
                        : io.tunnelbox.config.ConsoleConfig.DEFAULT;
                io.tunnelbox.console.Probes probes = sim ? simDevices : new LinuxProbes(service, linux);
                parts.add(Consoles.start(spec, cc, ConsoleContext.of(service, view, system, probes)));
            }
            ShowCommands show = new ShowCommands(service, view, health);
            parts.add(ControlServer.start(stateDir, show::answer));
            Logger.info("box {} on board {}: WAN {}, LAN {}, configuration version {}",
                    service.running().system().hostname(), board.id(), wan, lan, service.runningVersion());
            return new BoxRuntime(service, parts);
        } catch (IOException | RuntimeException e) {
            closeAll(parts);
            throw e;
        }
    }

    /** A timer task that fails must not stop the timer (a ScheduledExecutor drops it silently). */
    private static void guarded(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            Logger.error(e, "{} failed", what);
        }
    }

    private static void closeAll(List<AutoCloseable> parts) {
        for (int i = parts.size() - 1; i >= 0; i--) {
            try {
                parts.get(i).close();
            } catch (Exception e) {
                Logger.warn("closing {}: {}", parts.get(i), e.getMessage());
            }
        }
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

    @Override
    public void close() {
        closeAll(parts);
    }
}
