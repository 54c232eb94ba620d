package io.tunnelbox.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tunnelbox.hal.time.Clock;
import org.tinylog.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one way a box's configuration changes (console, web UI, start-up): validate, store, apply,
 * and take it back when asked or when a commit-confirmed is not confirmed in time. Thread-safe:
 * every operation runs under one lock, so the store and the applier see one change at a time.
 */
public final class ConfigService {
    private final ConfigStore store;
    private final ConfigApplier applier;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final LoadResult loadResult;
    private volatile Config running;
    private volatile int version;
    /** Why the storage cannot be written, or null while it works (set at load and by failed saves). */
    private volatile String storageProblem;
    /** Set while a commit-confirmed waits: what to go back to, and when (Clock nanos). */
    private Pending pending;

    private record Pending(Config restore, int restoreVersion, long deadlineNanos, long deadlineEpochMillis, String author) {
    }

    /** Loads the stored configuration (falling back if it is unusable) and applies it. */
    public ConfigService(ConfigStore store, ConfigApplier applier, Clock clock) throws IOException {
        this.store = store;
        this.applier = applier;
        this.clock = clock;
        this.loadResult = store.load();
        this.running = loadResult.config();
        this.version = loadResult.version();
        if (loadResult.status() == LoadResult.Status.STORAGE_FAILED) {
            storageProblem = loadResult.problems().isEmpty() ? "storage failed" : loadResult.problems().getLast().message();
        }
        ApplyResult applied = applier.apply(Config.defaults(), running);
        if (!applied.ok()) {
            Logger.error("Applying configuration version {} at start-up failed: {}", version, applied.problems());
        }
        rollBackUnconfirmedFromBeforeRestart();
    }

    /**
     * A commit-confirmed still waiting when the box stopped (power cut, reboot, crash) is rolled
     * back at once: the clock that would have done it is gone, and the admin may have locked himself out.
     */
    private void rollBackUnconfirmedFromBeforeRestart() {
        Optional<ConfigStore.PendingConfirm> p = store.pending();
        if (p.isEmpty()) {
            return;
        }
        Optional<Config> restore = store.version(p.get().restoreVersion());
        if (restore.isEmpty()) {
            Logger.error("A commit-confirmed by {} was unconfirmed at restart, but version {} to return to is gone; keeping version {}",
                    p.get().author(), p.get().restoreVersion(), version);
        } else {
            Logger.warn("A commit-confirmed by {} was unconfirmed when the box stopped: rolling back to version {}",
                    p.get().author(), p.get().restoreVersion());
            install(restore.get(), "system", "commit-confirmed by " + p.get().author()
                    + " unconfirmed at restart: rolled back to version " + p.get().restoreVersion());
        }
        clearPendingOnDisk();
    }

    private void clearPendingOnDisk() {
        try {
            store.clearPending();
        } catch (IOException e) {
            Logger.error("Cannot remove the commit-confirmed marker: {}", e.getMessage());
        }
    }

    public LoadResult loadResult() {
        return loadResult;
    }

    /**
     * Why the configuration storage cannot be written (STORAGE_FAILED on the LEDs and the console),
     * empty while it works. Checked again by every commit, and by {@link #recheckStorage()}.
     */
    public Optional<String> storageProblem() {
        return Optional.ofNullable(storageProblem);
    }

    /**
     * Looks at the storage again; call it now and then. While it works this only asks whether its
     * file system went read-only (no write, so no wear on an SD card); while it is failed, a small
     * probe file tells when someone fixed it.
     */
    public void recheckStorage() {
        lock.lock();
        try {
            Optional<String> now = storageProblem == null ? store.readOnlyProblem() : store.probeWritable();
            if (now.isEmpty() && storageProblem != null) {
                Logger.info("Configuration storage in {} is writable again", store.directory());
            } else if (now.isPresent() && storageProblem == null) {
                Logger.error("STORAGE_FAILED: {}; commits are refused until it is fixed", now.get());
            }
            storageProblem = now.orElse(null);
        } finally {
            lock.unlock();
        }
    }

    public Config running() {
        return running;
    }

    public int runningVersion() {
        return version;
    }

    /** A fresh, editable tree of the running configuration (defaults written out). */
    public ObjectNode runningTree() {
        return ConfigJson.toTree(running);
    }

    /** Validates {@code candidate} without changing anything. */
    public ParseResult check(JsonNode candidate) {
        return ConfigParser.parse(candidate);
    }

    /** Validates, stores and applies {@code candidate}; a commit confirms a pending commit-confirmed. */
    public CommitResult commit(JsonNode candidate, String author, String comment) {
        lock.lock();
        try {
            CommitResult r = change(candidate, author, comment);
            if (r.ok() && pending != null) {
                Logger.info("Commit by {} confirms the pending commit-confirmed", author);
                pending = null;
                clearPendingOnDisk();
            }
            return r;
        } finally {
            lock.unlock();
        }
    }

    /** Like {@link #commit}, from file text (an upload): syntax errors come back with line and column. */
    public CommitResult commitText(String text, String author, String comment) {
        JsonNode tree;
        try {
            tree = ConfigJson.MAPPER.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return CommitResult.refused(List.of(ConfigParser.syntaxError(e)), version, "refused: syntax error, nothing changed");
        }
        return commit(tree == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : tree, author, comment);
    }

    /**
     * Like {@link #commit}, but rolled back by itself unless {@link #confirm}ed (or committed over)
     * within {@code timeout}. A second commit-confirmed before the first is confirmed keeps the
     * original configuration as the one to return to and sets a new deadline.
     */
    public CommitResult commitConfirmed(JsonNode candidate, String author, Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("confirm timeout must be positive: " + timeout);
        }
        lock.lock();
        try {
            Config before = running;
            int beforeVersion = version;
            CommitResult r = change(candidate, author, "commit confirmed, rolled back unless confirmed within " + human(timeout));
            if (r.ok()) {
                Config restore = pending == null ? before : pending.restore();
                int restoreVersion = pending == null ? beforeVersion : pending.restoreVersion();
                pending = new Pending(restore, restoreVersion, clock.nanoTime() + timeout.toNanos(),
                        clock.epochMillis() + timeout.toMillis(), author);
                try {
                    store.markPending(new ConfigStore.PendingConfirm(restoreVersion, author, Instant.ofEpochMilli(pending.deadlineEpochMillis())));
                } catch (IOException e) {
                    // Still rolled back by poll(); only a restart before the deadline would keep it.
                    Logger.error("Cannot record the commit-confirmed on disk: {}", e.getMessage());
                }
                Logger.info("Commit-confirmed by {}: version {} rolls back to version {} unless confirmed within {}",
                        author, r.version(), restoreVersion, human(timeout));
            }
            return r;
        } finally {
            lock.unlock();
        }
    }

    /** Keeps a pending commit-confirmed; false when nothing was waiting. */
    public boolean confirm(String author) {
        lock.lock();
        try {
            if (pending == null) {
                return false;
            }
            Logger.info("Version {} confirmed by {}", version, author);
            pending = null;
            clearPendingOnDisk();
            return true;
        } finally {
            lock.unlock();
        }
    }

    public Optional<Instant> confirmDeadline() {
        lock.lock();
        try {
            return pending == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(pending.deadlineEpochMillis()));
        } finally {
            lock.unlock();
        }
    }

    /** Goes back to the version {@code versionsBack} steps before the running one (1 = the previous). */
    public CommitResult rollback(int versionsBack, String author) {
        lock.lock();
        try {
            if (versionsBack < 1) {
                return CommitResult.refused(List.of(new ConfigError("", "rollback needs a number of versions back, 1 or more")), version, "refused");
            }
            Optional<ConfigVersion> target = store.back(versionsBack);
            Optional<Config> config = target.flatMap(v -> store.version(v.number()));
            if (config.isEmpty()) {
                int kept = store.history().size() - 1;
                return CommitResult.refused(List.of(new ConfigError("", "cannot roll back " + versionsBack
                        + ": only " + kept + " earlier version" + (kept == 1 ? " is" : "s are") + " kept")), version, "refused");
            }
            CommitResult r = install(config.get(), author, "rollback " + versionsBack + " (to version " + target.get().number() + ")");
            if (r.ok() && pending != null) {
                pending = null;
                clearPendingOnDisk();
            }
            return r;
        } finally {
            lock.unlock();
        }
    }

    /** Versions kept, newest (the running one) first. */
    public List<ConfigVersion> history() {
        lock.lock();
        try {
            return store.history();
        } finally {
            lock.unlock();
        }
    }

    /** A kept version by number, for "compare" and "show". */
    public Optional<Config> version(int number) {
        lock.lock();
        try {
            return store.version(number);
        } finally {
            lock.unlock();
        }
    }

    /** Rolls back an unconfirmed commit whose deadline has passed; call it periodically. */
    public void poll() {
        lock.lock();
        try {
            if (pending == null || clock.nanoTime() - pending.deadlineNanos() < 0) {
                return;
            }
            Pending p = pending;
            pending = null;
            Logger.warn("Commit by {} was not confirmed in time: rolling back to version {}", p.author(), p.restoreVersion());
            CommitResult r = install(p.restore(), "system", "commit-confirmed by " + p.author()
                    + " not confirmed in time: rolled back to version " + p.restoreVersion());
            if (!r.ok()) {
                Logger.error("Automatic rollback to version {} failed: {}", p.restoreVersion(), r.errors());
            }
            clearPendingOnDisk(); // only now: a crash before this line still rolls back at restart
        } finally {
            lock.unlock();
        }
    }

    /** True when an admin account exists (the console asks for one on first boot otherwise). */
    public boolean hasAdmin() {
        return !running.system().admins().isEmpty();
    }

    /** Checks a login; false for an unknown account or a wrong password. */
    public boolean checkPassword(String admin, char[] password) {
        Optional<AdminAccount> a = running.system().admin(admin);
        // An unknown name costs one full hash too, so timing does not tell which names exist.
        String hash = a.map(AdminAccount::passwordHash).orElseGet(ConfigService::decoyHash);
        boolean match = PasswordHash.verify(password, hash);
        return a.isPresent() && match;
    }

    /** A hash nobody's password matches (random), at the default cost, made once. */
    private static String decoyHash() {
        return DecoyHolder.HASH;
    }

    private static final class DecoyHolder {
        static final String HASH;

        static {
            char[] random = new char[24];
            java.security.SecureRandom r = new java.security.SecureRandom();
            for (int i = 0; i < random.length; i++) {
                random[i] = (char) ('!' + r.nextInt(94));
            }
            HASH = PasswordHash.hash(random);
            PasswordHash.wipe(random);
        }
    }

    /** Creates the account or changes its password, as a commit of its own. */
    public CommitResult setAdminPassword(String admin, char[] password, String author) {
        String hash = PasswordHash.hash(password);
        lock.lock();
        try {
            List<AdminAccount> admins = new ArrayList<>(running.system().admins());
            admins.removeIf(a -> a.name().equals(admin));
            admins.add(new AdminAccount(admin, hash));
            Config next = running.withSystem(new SystemConfig(running.system().hostname(), admins));
            return change(ConfigJson.toTree(next), author, "password set for " + admin);
        } finally {
            lock.unlock();
        }
    }

    private CommitResult change(JsonNode candidate, String author, String comment) {
        ParseResult parsed = ConfigParser.parse(candidate);
        if (!parsed.ok()) {
            return CommitResult.refused(parsed.errors(), version, "refused: " + parsed.errors().size() + " error"
                    + (parsed.errors().size() == 1 ? "" : "s") + ", nothing changed");
        }
        return install(parsed.config(), author, comment);
    }

    /** Stores and applies a valid config; on a failed apply, stores and re-applies the previous one. */
    private CommitResult install(Config next, String author, String rawComment) {
        String comment = ConfigVersion.escapeControls(rawComment);
        Config previous = running;
        int previousVersion = version;
        ConfigDiff diff = ConfigDiff.between(previous, next);
        if (diff.isEmpty()) {
            return new CommitResult(true, List.of(), version, "no changes");
        }
        ConfigVersion stored;
        try {
            stored = store.save(next, author, comment);
        } catch (IOException | UncheckedIOException e) {
            storageProblem = "could not store the configuration: " + e.getMessage();
            Logger.error("STORAGE_FAILED: storing a new configuration failed: {}", e.getMessage());
            return CommitResult.refused(List.of(new ConfigError("", "could not store the configuration: " + e.getMessage())),
                    version, "refused: storage failed, nothing changed");
        }
        ApplyResult applied = applier.apply(previous, next);
        if (!applied.ok()) {
            Logger.error("Applying version {} failed ({}); restoring version {}", stored.number(), applied.problems(), previousVersion);
            ApplyResult back = applier.apply(next, previous);
            try {
                // A refused version never stays in the history (rollback would bring it back).
                store.discardNewest();
                version = previousVersion;
            } catch (IOException | UncheckedIOException | IllegalStateException e) {
                Logger.error("Taking back the refused version {} from storage failed: {}", stored.number(), e.getMessage());
            }
            if (!back.ok()) {
                Logger.error("Re-applying version {} failed too: {}", previousVersion, back.problems());
            }
            List<ConfigError> errors = applied.problems().stream().map(p -> new ConfigError("", p)).toList();
            return CommitResult.refused(errors, version, "refused: applying failed, version " + previousVersion + " restored");
        }
        running = next;
        version = stored.number();
        storageProblem = null;
        Logger.info("Configuration version {} by {} ({}): {}", version, author, comment, diff.summary());
        return new CommitResult(true, List.of(), version, diff.summary());
    }

    private static String human(Duration d) {
        long s = d.toSeconds();
        return s % 60 == 0 && s > 0 ? (s / 60) + " min" : s + " s";
    }
}
