package io.tunnelbox.update;

import io.tunnelbox.config.AtomicFile;
import io.tunnelbox.hal.status.StatusEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.tinylog.Logger;

/**
 * The box's side of an update, in the style of RAUC's and Mender's A/B updates:
 * The rollback is shown by the status LED's error pattern (the box publishes
 * {@link StatusEvent.Error} with the reason on the first start after it) and in "show version".
 * <ol>
 *   <li>{@link #update}: check the bundle against the trusted keys, refuse one that cannot read this
 *       box's configuration, unpack it into the inactive slot, put that slot on trial with
 *       {@link #TRIAL_STARTS} starts, keep a copy of the configuration ({@code config.pre-update}),
 *       note which tunnels are up, and restart;</li>
 *   <li>the launcher starts the trial slot, counting down its starts (a crash loop runs them out and
 *       the launcher itself goes back to the old slot);</li>
 *   <li>{@link #watchTrial}: the new firmware checks its health every second; healthy for
 *       {@code settle} in a row, it makes its slot the active one; not healthy within the timeout,
 *       it hands back to the old slot and restarts;</li>
 *   <li>{@link #beforeStart}: a firmware that starts after a rollback puts the configuration copy
 *       back (what the trial changed is kept beside it).</li>
 * </ol>
 */
public final class UpdateAgent {
    /** The configuration format this firmware reads and writes. */
    public static final int CONFIG_FORMAT = 1;
    /** The oldest configuration format this firmware migrates forward. */
    public static final int MIN_CONFIG_FORMAT = 1;
    /** Starts a trial slot gets from the launcher before it rolls back by itself. */
    public static final int TRIAL_STARTS = 3;
    public static final String PRE_UPDATE = "config.pre-update";
    static final String TUNNELS_UP = "update/tunnels-up";
    static final String CHECKS_FAILING = "update/checks-failing";

    private final SlotStore slots;
    private final String bootedSlot;
    /** Started on trial and not decided yet. */
    private volatile boolean trial;
    private final Path stateDir;
    private final Path trustedKeys;
    private final Consumer<StatusEvent> status;
    private final Runnable restart;
    private volatile String lastReport = "";
    /** Held while a bundle is checked and installed: a second update at the same time is told "busy". */
    private final ReentrantLock installing = new ReentrantLock();
    /** Set once this process is about to restart (into a new slot or back): no update until then. */
    private volatile String restarting = "";

    /**
     * @param slots      the slot store, or null on a box without slots (installed from the .deb)
     * @param bootedSlot the slot this process runs from (the launcher's {@code TUNNELBOX_SLOT})
     * @param trial      whether the launcher started it on trial ({@code TUNNELBOX_TRIAL=1})
     * @param restart    ends the process so that the service manager restarts it (exit code 75)
     */
    public UpdateAgent(SlotStore slots, String bootedSlot, boolean trial, Path stateDir, Path trustedKeys,
                       Consumer<StatusEvent> status, Runnable restart) {
        this.slots = slots;
        this.bootedSlot = bootedSlot;
        this.trial = trial;
        this.stateDir = stateDir;
        this.trustedKeys = trustedKeys;
        this.status = status;
        this.restart = restart;
    }

    /** From the launcher's environment; {@code slots} is null when the box was not started from a slot. */
    public static UpdateAgent fromEnvironment(Path stateDir, Consumer<StatusEvent> status, Runnable restart) {
        String root = System.getenv("TUNNELBOX_SLOT_ROOT");
        String slot = System.getenv().getOrDefault("TUNNELBOX_SLOT", "");
        String keys = System.getenv().getOrDefault("TUNNELBOX_TRUSTED_KEYS", TrustedKeys.BOX_DIR.toString());
        return new UpdateAgent(root == null || root.isBlank() ? null : new SlotStore(Path.of(root)), slot,
                "1".equals(System.getenv("TUNNELBOX_TRIAL")), stateDir, Path.of(keys), status, restart);
    }

    public boolean onTrial() {
        return trial && slots != null;
    }

    /**
     * Before the configuration is loaded: after a rollback (a configuration copy left and no trial
     * running), the copy goes back and the trial's configuration is kept beside it.
     */
    public Optional<String> beforeStart() throws IOException {
        Path copy = stateDir.resolve(PRE_UPDATE);
        if (slots == null || trial || !Files.isDirectory(copy)) {
            return Optional.empty();
        }
        Path config = stateDir.resolve("config");
        Path kept = stateDir.resolve("config.rolled-back-" + System.currentTimeMillis());
        if (Files.exists(config)) {
            Files.move(config, kept);
        }
        Files.move(copy, config);
        AtomicFile.syncDirectory(stateDir);
        Logger.warn("firmware update was rolled back: configuration from before the update restored (the trial's is in {})", kept);
        return Optional.of("firmware update rolled back: " + slots.state().result());
    }

    /** One line for "show version" / "show update". */
    public String describe() {
        if (slots == null) {
            return "firmware: installed from the Debian package (update with apt)";
        }
        try {
            BootState s = slots.state();
            String version = slots.installed(bootedSlot).map(BundleManifest::version).orElse("?");
            return "firmware " + version + " from slot " + bootedSlot + (onTrial() ? " (on trial, " + s.tries() + " starts left)" : "")
                    + "; active slot " + s.active() + (s.result().isEmpty() ? "" : "; last update: " + s.result())
                    + (lastReport.isEmpty() ? "" : "; " + lastReport);
        } catch (IOException e) {
            return "firmware slots unreadable: " + e.getMessage();
        }
    }

    /**
     * Where the box stands, for the management API's {@code GET /api/update/status} (and
     * {@code tunnelbox-flash push}): JSON {@code {"state":"running"|"trial", "version", "slot",
     * "activeSlot", "lastResult"}}. After an update to V a client waits for state "running" with
     * version V (kept), or "running" with another version and lastResult "rolled back ..." (refused
     * by the box's health check or boot counter).
     */
    public String statusJson() {
        var o = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        if (slots == null) {
            o.put("state", "running");
            o.put("version", java.util.Objects.requireNonNullElse(UpdateAgent.class.getPackage().getImplementationVersion(), "unknown"));
            o.put("slot", "package");
            o.put("activeSlot", "package");
            o.put("lastResult", "");
            return o.toString();
        }
        try {
            BootState s = slots.state();
            o.put("state", onTrial() ? "trial" : "running");
            o.put("version", slots.installed(bootedSlot).map(BundleManifest::version).orElse("?"));
            o.put("slot", bootedSlot);
            o.put("activeSlot", s.active());
            o.put("lastResult", s.result());
        } catch (IOException e) {
            o.put("state", "error");
            o.put("lastResult", "firmware slots unreadable: " + e.getMessage());
        }
        return o.toString();
    }

    /**
     * The outcome of {@link #update}: accepted (the box restarts) or refused with the problems;
     * {@code busy} when refused only because another update is under way (try again later).
     */
    public record Result(boolean accepted, boolean busy, List<String> lines) {
        public String text() {
            return String.join("\n", lines);
        }
    }

    /**
     * Why an update cannot start now: one is being installed, one is on trial, or the box is
     * restarting (after an update or a rollback). Empty when one can.
     */
    public Optional<String> busy() {
        if (installing.isLocked() && !installing.isHeldByCurrentThread()) {
            return Optional.of("another update is being installed");
        }
        if (!restarting.isEmpty()) {
            return Optional.of("the box is restarting (" + restarting + ")");
        }
        if (onTrial()) {
            return Optional.of("an update is still on trial (slot " + bootedSlot + "): wait until it is kept or rolled back");
        }
        return Optional.empty();
    }

    /**
     * Installs a bundle into the inactive slot and restarts into it. Refused (nothing changes) when
     * the box has no slots, another update is under way ({@link #busy}), or the bundle fails any check.
     */
    public Result update(Path bundle, List<String> tunnelsUpNow) {
        return update(bundle, tunnelsUpNow, List.of());
    }

    /**
     * As {@link #update(Path, List)}; {@code checksFailingNow} names the front ends' health checks
     * that fail on this firmware already (say, its page cannot listen where the configuration
     * says): the new firmware is not rolled back for what the old one did not do either.
     */
    public Result update(Path bundle, List<String> tunnelsUpNow, List<String> checksFailingNow) {
        if (slots == null) {
            return refused("this box was installed from the Debian package: update it with apt, not with a bundle");
        }
        if (!installing.tryLock()) {
            return busyResult("another update is being installed");
        }
        try {
            Optional<String> busy = busy();
            return busy.isPresent() ? busyResult(busy.get()) : install(bundle, tunnelsUpNow, checksFailingNow);
        } finally {
            installing.unlock();
        }
    }

    private Result install(Path bundle, List<String> tunnelsUpNow, List<String> checksFailingNow) {
        TrustedKeys keys;
        try {
            keys = TrustedKeys.fromDirectory(trustedKeys);
        } catch (IOException e) {
            return refused(e.getMessage());
        }
        status.accept(new StatusEvent.UpdateInProgress(true));
        boolean handedOver = false;
        try {
            BundleCheck check = BundleReader.verify(bundle, keys);
            if (!check.ok()) {
                return refused(check.problems());
            }
            BundleManifest m = check.manifest().orElseThrow();
            if (m.minConfigFormat() > CONFIG_FORMAT) {
                return refused("firmware " + m.version() + " reads configuration format " + m.minConfigFormat()
                        + " and newer; this box has format " + CONFIG_FORMAT + ": update to an intermediate version first");
            }
            copyConfiguration();
            SlotStore.Installed installed = slots.install(bundle, keys, TRIAL_STARTS);
            if (!installed.ok()) {
                deleteTree(stateDir.resolve(PRE_UPDATE));
                return refused(installed.check().problems());
            }
            recordTunnelsUp(tunnelsUpNow);
            record(CHECKS_FAILING, checksFailingNow);
            Logger.warn("firmware {} installed into slot {}; restarting into it on trial", m.version(), installed.slot());
            handedOver = true;
            restarting = "into firmware " + m.version() + " in slot " + installed.slot();
            restart.run();
            return new Result(true, false, List.of("firmware " + m.version() + " installed into slot " + installed.slot()
                    + "; restarting into it (it has " + TRIAL_STARTS + " starts to report healthy, else the box goes back to slot "
                    + bootedSlot + ")"));
        } catch (IOException e) {
            return refused("update failed, nothing changed: " + e.getMessage());
        } finally {
            if (!handedOver) {
                status.accept(new StatusEvent.UpdateInProgress(false));
            }
        }
    }

    /** Remembers which tunnels were up: the new firmware must bring them back. */
    void recordTunnelsUp(List<String> up) {
        record(TUNNELS_UP, up);
    }

    private void record(String name, List<String> lines) {
        try {
            Path f = stateDir.resolve(name);
            Files.createDirectories(f.getParent());
            AtomicFile.write(f, String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            Logger.warn("cannot record {} before the update: {}", name, e.getMessage());
        }
    }

    private List<String> recorded(String name) {
        Path f = stateDir.resolve(name);
        try {
            return Files.exists(f) ? Files.readString(f).lines().filter(l -> !l.isBlank()).toList() : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The tunnels that were up before the update (empty when none or not recorded). */
    public List<String> tunnelsUpBefore() {
        return recorded(TUNNELS_UP);
    }

    /** The front ends' health checks that already failed before the update (empty when none or not recorded). */
    public List<String> checksFailingBefore() {
        return recorded(CHECKS_FAILING);
    }

    private void copyConfiguration() throws IOException {
        Path config = stateDir.resolve("config");
        Path copy = stateDir.resolve(PRE_UPDATE);
        deleteTree(copy);
        if (!Files.isDirectory(config)) {
            return;
        }
        Path temp = stateDir.resolve(PRE_UPDATE + ".tmp");
        deleteTree(temp);
        try (Stream<Path> walk = Files.walk(config)) {
            for (Path p : walk.toList()) {
                Path to = temp.resolve(config.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else if (!p.getFileName().toString().endsWith(".sock")) {
                    Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        Files.move(temp, copy, StandardCopyOption.ATOMIC_MOVE);
        AtomicFile.syncDirectory(stateDir);
    }

    /**
     * On a trial start: checks health every {@code interval} until every probe has passed for
     * {@code settle} in a row (the slot is kept) or {@code timeout} has passed (rollback and
     * restart). A probe that already failed on the old firmware ({@link #checksFailingBefore}) is
     * left out: the new firmware is not rolled back for what the old one did not do either.
     * Returns the thread doing it, or null when not on trial.
     */
    public Thread watchTrial(List<HealthProbe> all, Duration timeout, Duration settle, Duration interval) {
        if (!onTrial()) {
            return null;
        }
        List<String> failingBefore = checksFailingBefore();
        List<HealthProbe> probes = all.stream().filter(p -> !failingBefore.contains(p.name())).toList();
        for (HealthProbe p : all) {
            if (failingBefore.contains(p.name())) {
                Logger.warn("update check \"{}\" not held against the new firmware: it failed before the update too", p.name());
            }
        }
        status.accept(new StatusEvent.UpdateInProgress(true));
        Thread t = Thread.ofPlatform().daemon().name("update-health").unstarted(() -> watch(probes, timeout, settle, interval));
        t.start();
        return t;
    }

    private void watch(List<HealthProbe> probes, Duration timeout, Duration settle, Duration interval) {
        long start = System.nanoTime();
        long healthySince = -1;
        List<String> problems = List.of("not checked yet");
        try {
            while (System.nanoTime() - start < timeout.toNanos()) {
                problems = check(probes);
                long now = System.nanoTime();
                if (problems.isEmpty()) {
                    if (healthySince < 0) {
                        healthySince = now;
                    }
                    if (now - healthySince >= settle.toNanos()) {
                        keep(Duration.ofNanos(now - start));
                        return;
                    }
                } else {
                    healthySince = -1;
                }
                Thread.sleep(interval);
            }
            rollBack(String.join("; ", problems));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            Logger.error(e, "update health check failed; rolling back");
            try {
                rollBack("health check failed: " + e.getMessage());
            } catch (IOException x) {
                Logger.error("rollback failed: {}; the launcher rolls back after the trial's starts run out", x.getMessage());
                restart.run();
            }
        }
    }

    static List<String> check(List<HealthProbe> probes) {
        List<String> problems = new ArrayList<>();
        for (HealthProbe p : probes) {
            try {
                p.problem().ifPresent(why -> problems.add(p.name() + ": " + why));
            } catch (RuntimeException e) {
                problems.add(p.name() + ": probe failed: " + e);
            }
        }
        return problems;
    }

    private void keep(Duration after) throws IOException {
        BootState s = slots.state();
        String version = slots.installed(bootedSlot).map(BundleManifest::version).orElse("?");
        slots.write(new BootState(bootedSlot, "", 0, "updated to " + version + " in slot " + bootedSlot + " (healthy after "
                + after.toSeconds() + " s; slot " + s.active() + " kept as fallback)"));
        Path copy = stateDir.resolve(PRE_UPDATE);
        if (Files.isDirectory(copy)) {
            // The configuration as it was before this version: kept, as the issue asks of a migration.
            Path kept = stateDir.resolve("config.before-" + version.replaceAll("[^A-Za-z0-9._-]", "_"));
            deleteTree(kept);
            Files.move(copy, kept);
        }
        Files.deleteIfExists(stateDir.resolve(TUNNELS_UP));
        for (String change : KeyRotation.apply(slots.slot(bootedSlot), trustedKeys)) {
            Logger.warn("key rotation by firmware {}: {}", version, change);
        }
        trial = false;
        lastReport = "";
        Logger.info("firmware {} in slot {} is healthy: kept", version, bootedSlot);
        status.accept(new StatusEvent.UpdateInProgress(false));
    }

    private void rollBack(String why) throws IOException {
        BootState s = slots.state();
        slots.write(new BootState(s.active(), "", 0, "rolled back from slot " + bootedSlot + ": not healthy in time: " + why));
        lastReport = "rolled back: " + why;
        Logger.error("firmware in slot {} did not become healthy ({}); going back to slot {}", bootedSlot, why, s.active());
        restarting = "back to slot " + s.active() + " after a failed health check";
        restart.run();
    }

    private Result refused(String problem) {
        return refused(List.of(problem));
    }

    private Result refused(List<String> problems) {
        List<String> lines = new ArrayList<>();
        problems.forEach(p -> lines.add("error: update refused: " + p));
        Logger.warn("update refused: {}", problems);
        return new Result(false, false, lines);
    }

    private static Result busyResult(String why) {
        Logger.warn("update refused: {}", why);
        return new Result(false, true, List.of("error: update refused: " + why));
    }

    public Optional<SlotStore> slots() {
        return Optional.ofNullable(slots);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
