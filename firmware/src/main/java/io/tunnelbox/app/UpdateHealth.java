package io.tunnelbox.app;

import io.tunnelbox.config.ConfigService;
import io.tunnelbox.engine.DatapathRunner;
import io.tunnelbox.hal.status.BoardServices;
import io.tunnelbox.hal.status.StatusEvent;
import io.tunnelbox.management.Updates;
import io.tunnelbox.router.Keepalive;
import io.tunnelbox.router.LinkState;
import io.tunnelbox.router.RouterDatapath;
import io.tunnelbox.router.Tunnel;
import io.tunnelbox.update.HealthProbe;
import io.tunnelbox.update.UpdateAgent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.tinylog.Logger;

/**
 * The running box's part in updates: the {@link UpdateAgent} with the box's health probes (engine
 * threads alive, configuration loaded as stored, every tunnel that was up before the update up
 * again or down for a remote reason, and each front end's own probe found with ServiceLoader, such
 * as the web UI's "page answering"). Timeouts come from the service settings
 * ({@code TUNNELBOX_HEALTH_TIMEOUT}, {@code TUNNELBOX_HEALTH_SETTLE}, in seconds).
 */
final class UpdateHealth implements Updates, AutoCloseable {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(180);
    static final Duration DEFAULT_SETTLE = Duration.ofSeconds(10);
    static final Duration RESTART_DELAY = Duration.ofSeconds(1);

    private final UpdateAgent agent;
    private final ConfigService config;
    private final DatapathApplier dataplane;
    private Thread watcher;

    /** Made before the configuration is loaded: restores the pre-update configuration after a rollback. */
    record Pending(UpdateAgent agent, Optional<String> rolledBack, Forward forward) {
        UpdateHealth start(BoardServices services, ConfigService config, DatapathApplier dataplane) {
            rolledBack.ifPresent(why -> services.bus().publish(new StatusEvent.Error(true, why)));
            UpdateHealth h = new UpdateHealth(agent, config, dataplane);
            forward.services = services;
            h.watch();
            return h;
        }
    }

    static Pending beforeStart(Path stateDir) throws IOException {
        // The bus does not exist yet; LED events from the agent are forwarded once it does.
        Forward forward = new Forward();
        // The restart waits a moment so that the answer to "update" still reaches whoever asked.
        UpdateAgent agent = UpdateAgent.fromEnvironment(stateDir, forward, () -> Thread.ofPlatform().daemon().start(() -> {
            try {
                Thread.sleep(RESTART_DELAY);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            BoxSystemControl.exitForRestart();
        }));
        return new Pending(agent, agent.beforeStart(), forward);
    }

    /** Passes status events to the board's bus once it exists. */
    static final class Forward implements java.util.function.Consumer<StatusEvent> {
        private volatile BoardServices services;

        @Override
        public void accept(StatusEvent e) {
            BoardServices s = services;
            if (s != null) {
                s.bus().publish(e);
            }
        }
    }

    private UpdateHealth(UpdateAgent agent, ConfigService config, DatapathApplier dataplane) {
        this.agent = agent;
        this.config = config;
        this.dataplane = dataplane;
    }

    private void watch() {
        if (!agent.onTrial()) {
            return;
        }
        List<HealthProbe> probes = new ArrayList<>(List.of(engine(), configuration(), tunnels(agent.tunnelsUpBefore())));
        for (HealthProbe p : ServiceLoader.load(HealthProbe.class)) {
            probes.add(p);
        }
        Duration timeout = seconds("TUNNELBOX_HEALTH_TIMEOUT", DEFAULT_TIMEOUT);
        Duration settle = seconds("TUNNELBOX_HEALTH_SETTLE", DEFAULT_SETTLE);
        Logger.info("new firmware on trial: {} health checks ({}), {} s to pass them", probes.size(),
                probes.stream().map(HealthProbe::name).toList(), timeout.toSeconds());
        watcher = agent.watchTrial(probes, timeout, settle, Duration.ofSeconds(1));
    }

    /** For the console and the control socket: the agent's lines. */
    String update(Path bundle) {
        return install(bundle).lines().stream().reduce((a, b) -> a + "\n" + b).orElse("");
    }

    /** For the management front ends (the web UI's upload). */
    @Override
    public Result install(Path bundle) {
        List<String> up = new ArrayList<>();
        RouterDatapath router = dataplane.router();
        if (router != null) {
            for (Tunnel t : router.tunnels()) {
                if (t.state() == LinkState.UP) {
                    up.add(t.name());
                }
            }
        }
        UpdateAgent.Result r = agent.update(bundle, up, frontEndChecksFailing());
        return new Result(r.accepted() ? Outcome.ACCEPTED : r.busy() ? Outcome.BUSY : Outcome.REFUSED, r.lines());
    }

    /** The front ends' checks (the web page's) that fail on this firmware now, before the update. */
    private static List<String> frontEndChecksFailing() {
        List<String> failing = new ArrayList<>();
        for (HealthProbe p : ServiceLoader.load(HealthProbe.class)) {
            Optional<String> problem = p.problem();
            if (problem.isPresent()) {
                Logger.info("update check \"{}\" fails before the update already: {}", p.name(), problem.get());
                failing.add(p.name());
            }
        }
        return failing;
    }

    @Override
    public Optional<String> busy() {
        return agent.busy();
    }

    String describe() {
        return agent.describe();
    }

    @Override
    public String statusJson() {
        return agent.statusJson();
    }

    private HealthProbe engine() {
        return probe("engine", () -> {
            for (DatapathRunner r : dataplane.runners()) {
                if (!r.isAlive()) {
                    return Optional.of("datapath " + r.name() + " is not running");
                }
            }
            return Optional.empty();
        });
    }

    private HealthProbe configuration() {
        return probe("configuration", () -> config.loadResult().fellBack()
                ? Optional.of("the stored configuration did not load: " + config.loadResult().problems())
                : Optional.empty());
    }

    /** A tunnel that was up must be up again; down because the far end does not answer keepalives is the far end's doing. */
    private HealthProbe tunnels(List<String> upBefore) {
        return probe("tunnels", () -> {
            RouterDatapath router = dataplane.router();
            List<String> missing = new ArrayList<>();
            for (String name : upBefore) {
                Tunnel t = router == null ? null : router.tunnels().stream().filter(x -> x.name().equals(name)).findFirst().orElse(null);
                if (t == null) {
                    missing.add(name + " (not running)");
                } else if (t.state() != LinkState.UP && !Keepalive.REASON_TIMEOUT.equals(t.keepalive().reason())) {
                    missing.add(name + " (" + t.keepalive().reason() + ")");
                }
            }
            return missing.isEmpty() ? Optional.empty() : Optional.of("tunnels up before the update are not: " + missing);
        });
    }

    private static HealthProbe probe(String name, java.util.function.Supplier<Optional<String>> check) {
        return new HealthProbe() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Optional<String> problem() {
                return check.get();
            }
        };
    }

    private static Duration seconds(String env, Duration fallback) {
        String v = System.getenv(env);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(v.strip()));
        } catch (NumberFormatException e) {
            Logger.warn("Ignoring {}=\"{}\": not a number of seconds", env, v);
            return fallback;
        }
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.interrupt();
        }
    }
}
