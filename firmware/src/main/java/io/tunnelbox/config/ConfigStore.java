package io.tunnelbox.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tunnelbox.config.LoadResult.Status;
import io.tunnelbox.hal.time.Clock;
import org.tinylog.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The configuration on disk: {@code config.json} (what runs, readable and editable by people) and
 * {@code history/v<number>.json} (the last N versions, each with time, author and comment). Every
 * file is replaced atomically ({@link AtomicFile}). A version is in the history if and only if it
 * was committed: a save writes the history entry to a temporary file, replaces {@code config.json},
 * and only then renames the entry into place, so a save that fails (full disk) or is cut off
 * leaves no entry behind (a cut-off save whose {@code config.json} landed is recorded at start-up).
 * Not thread-safe: {@link ConfigService} serializes access.
 */
public final class ConfigStore {
    public static final String FILE_NAME = "config.json";
    public static final int DEFAULT_KEEP = 20;
    private static final DateTimeFormatter BAD_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Path dir;
    private final Path file;
    private final Path historyDir;
    private final int keep;
    private final Clock clock;
    /** Valid history entries by number; loaded by {@link #load()}. */
    private final TreeMap<Integer, Entry> history = new TreeMap<>();
    private int current;
    /** While loading: the configuration to run if storage fails half-way. */
    private Config bestFound;

    private record Entry(ConfigVersion version, Config config) {
    }

    public ConfigStore(Path dir, int keep, Clock clock) {
        if (keep < 2) {
            throw new IllegalArgumentException("keep at least 2 versions (the running one and one to roll back to), got " + keep);
        }
        this.dir = dir;
        this.file = dir.resolve(FILE_NAME);
        this.historyDir = dir.resolve("history");
        this.keep = keep;
        this.clock = clock;
    }

    public Path file() {
        return file;
    }

    public Path directory() {
        return dir;
    }

    /**
     * Reads what is stored, once at start-up. A missing, corrupt or invalid {@code config.json} is
     * renamed to {@code config.json.bad-<time>} and the newest good version from history (or the
     * factory defaults) is restored in its place; the result says which, and it is logged loudly.
     */
    public LoadResult load() {
        bestFound = null;
        try {
            LoadResult loaded = loadFromDisk();
            Optional<String> unwritable = probeWritable();
            if (unwritable.isPresent()) {
                // Readable but not writable (an SD card remounted read-only): run what was read.
                Logger.error("CONFIGURATION STORAGE FAILED in {} ({}): running version {} from memory; changes cannot be stored",
                        dir, unwritable.get(), loaded.version());
                List<ConfigError> problems = new ArrayList<>(loaded.problems());
                problems.add(new ConfigError("", "configuration storage in " + dir + " failed: " + unwritable.get()));
                return new LoadResult(Status.STORAGE_FAILED, loaded.config(), loaded.version(), problems, loaded.badFile());
            }
            return loaded;
        } catch (IOException | UncheckedIOException e) {
            // Storage that cannot be read or written must not keep the box from starting: it runs the
            // best configuration found so far from memory, and commits are refused until it is fixed.
            Config c = bestFound != null ? bestFound : Config.defaults();
            List<ConfigError> problems = List.of(new ConfigError("", "configuration storage in " + dir + " failed: " + e));
            Logger.error("CONFIGURATION STORAGE FAILED in {} ({}): running {} from memory; changes cannot be stored",
                    dir, e.toString(), bestFound != null ? "version " + current : "FACTORY DEFAULTS");
            return new LoadResult(Status.STORAGE_FAILED, c, current, problems, Optional.empty());
        }
    }

    /** Writes and removes a small file in each directory the store writes to; empty when both worked. */
    public Optional<String> probeWritable() {
        for (Path d : List.of(dir, historyDir)) {
            try {
                AtomicFile.prepare(d.resolve("write-probe"), new byte[] {'\n'}).discard();
            } catch (IOException | UncheckedIOException e) {
                return Optional.of("cannot write in " + d + ": " + e);
            }
        }
        return Optional.empty();
    }

    /** Whether the file system under the store is mounted read-only now (no write involved). */
    public Optional<String> readOnlyProblem() {
        try {
            return Files.getFileStore(dir).isReadOnly()
                    ? Optional.of(dir + " is on a read-only file system") : Optional.empty();
        } catch (IOException | UncheckedIOException e) {
            return Optional.of("cannot look at " + dir + ": " + e);
        }
    }

    private LoadResult loadFromDisk() throws IOException {
        Files.createDirectories(historyDir);
        removeLeftovers(dir);
        removeLeftovers(historyDir);
        readHistory();

        if (!Files.exists(file)) {
            if (history.isEmpty()) {
                Config defaults = Config.defaults();
                ConfigVersion v = save(defaults, "factory", "first boot: factory defaults");
                Logger.info("No configuration stored in {}: first boot, factory defaults stored as version {}", dir, v.number());
                return new LoadResult(Status.FIRST_BOOT, defaults, v.number(), List.of(), Optional.empty());
            }
            return fallBack(List.of(new ConfigError("", FILE_NAME + " is missing")), Optional.empty());
        }

        ParseResult parsed;
        try {
            parsed = ConfigParser.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (java.nio.charset.CharacterCodingException e) {
            parsed = new ParseResult(null, List.of(new ConfigError("", FILE_NAME + " is not UTF-8 text")));
        } catch (IOException | UncheckedIOException e) {
            parsed = new ParseResult(null, List.of(new ConfigError("", "cannot read " + FILE_NAME + ": " + e.getMessage())));
        }
        if (!parsed.ok()) {
            String stamp = FILE_NAME + ".bad-" + BAD_STAMP.format(Instant.ofEpochMilli(clock.epochMillis()));
            Path bad = dir.resolve(stamp);
            for (int n = 2; Files.exists(bad); n++) {
                bad = dir.resolve(stamp + "-" + n); // never overwrite an earlier bad file
            }
            Files.move(file, bad);
            AtomicFile.syncDirectory(dir);
            return fallBack(parsed.errors(), Optional.of(bad));
        }
        Config config = parsed.config();
        bestFound = config;
        if (!history.isEmpty() && history.lastEntry().getValue().config().equals(config)) {
            current = history.lastKey();
            return new LoadResult(Status.LOADED, config, current, List.of(), Optional.empty());
        }
        // Edited by hand, or a save was cut off between its history entry and config.json: either way
        // config.json is what the box was told last, so it runs and becomes a version of its own.
        ConfigVersion v = save(config, "disk", "found in " + FILE_NAME + " at start-up (edited by hand, or a save was interrupted)");
        Logger.warn("{} differs from the newest stored version; recorded it as version {}", file, v.number());
        return new LoadResult(Status.LOADED, config, v.number(), List.of(), Optional.empty());
    }

    private LoadResult fallBack(List<ConfigError> problems, Optional<Path> bad) throws IOException {
        String why = String.join("; ", problems.stream().map(ConfigError::toString).toList());
        if (history.isEmpty()) {
            Config defaults = Config.defaults();
            ConfigVersion v = save(defaults, "system", "stored configuration unusable, no good version left: factory defaults");
            Logger.error("CONFIGURATION UNUSABLE and no good version in history: running FACTORY DEFAULTS (version {}). "
                    + "Bad file kept as {}. Problems: {}", v.number(), bad.map(Path::toString).orElse("-"), why);
            return new LoadResult(Status.FACTORY_DEFAULTS, defaults, v.number(), problems, bad);
        }
        Entry good = history.lastEntry().getValue();
        AtomicFile.write(file, ConfigJson.toText(good.config()).getBytes(StandardCharsets.UTF_8));
        current = good.version().number();
        Logger.error("CONFIGURATION UNUSABLE: fell back to version {} ({} by {}). Bad file kept as {}. Problems: {}",
                current, good.version().time(), good.version().author(), bad.map(Path::toString).orElse("-"), why);
        return new LoadResult(Status.FELL_BACK, good.config(), current, problems, bad);
    }

    private void readHistory() throws IOException {
        history.clear();
        List<Path> files;
        try (Stream<Path> s = Files.list(historyDir)) {
            files = s.filter(p -> p.getFileName().toString().matches("v[0-9]+\\.json")).toList();
        }
        for (Path p : files) {
            String digits = p.getFileName().toString().replaceAll("[^0-9]", "");
            int number;
            try {
                number = Integer.parseInt(digits);
            } catch (NumberFormatException e) {
                setAside(p, "its number " + digits + " is out of range");
                continue;
            }
            try {
                Entry e = readEntry(Files.readString(p, StandardCharsets.UTF_8), number);
                if (e != null && !history.containsKey(number)) {
                    history.put(number, e);
                } else {
                    setAside(p, e == null ? "unusable" : "a second entry for version " + number);
                }
            } catch (IOException | UncheckedIOException e) {
                setAside(p, "cannot be read (" + e.getMessage() + ")");
            }
        }
        current = history.isEmpty() ? 0 : history.lastKey();
        bestFound = history.isEmpty() ? null : history.lastEntry().getValue().config();
    }

    /**
     * Moves an unusable history file out of the way (to {@code <name>.bad}, which loading skips) so
     * it can be looked at; if even that fails it is just ignored. Never stops start-up.
     */
    private static void setAside(Path p, String why) {
        Path bad = p.resolveSibling(p.getFileName() + ".bad");
        try {
            Files.move(p, bad, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Logger.warn("History entry {} is {}: set aside as {}", p, why, bad.getFileName());
        } catch (IOException e) {
            Logger.warn("History entry {} is {}: ignored ({} cannot be renamed: {})", p, why, p.getFileName(), e.getMessage());
        }
    }

    private static Entry readEntry(String text, int number) {
        JsonNode node;
        try {
            node = ConfigJson.MAPPER.readTree(text);
        } catch (IOException e) {
            return null;
        }
        if (node == null || !node.isObject() || node.path("version").asInt(-1) != number) {
            return null;
        }
        ParseResult parsed = ConfigParser.parse(node.path("config"));
        if (!parsed.ok()) {
            return null;
        }
        Instant time;
        try {
            time = Instant.parse(node.path("time").asText(""));
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
        return new Entry(new ConfigVersion(number, time, node.path("author").asText(""), node.path("comment").asText("")), parsed.config());
    }

    /** Stores {@code config} as the next version and makes it the current one; prunes old versions. */
    public ConfigVersion save(Config config, String author, String comment) throws IOException {
        Files.createDirectories(historyDir);
        int number = Math.max(current, history.isEmpty() ? 0 : history.lastKey()) + 1;
        ConfigVersion v = new ConfigVersion(number, Instant.ofEpochMilli(clock.epochMillis()), author, comment);
        ObjectNode envelope = ConfigJson.MAPPER.createObjectNode();
        envelope.put("version", number).put("time", v.time().toString()).put("author", author).put("comment", comment);
        envelope.set("config", ConfigJson.toTree(config));
        AtomicFile.Prepared entry = AtomicFile.prepare(historyDir.resolve(entryName(number)),
                ConfigJson.toText(envelope).getBytes(StandardCharsets.UTF_8));
        try {
            AtomicFile.write(file, ConfigJson.toText(config).getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            entry.discard();
            throw e;
        }
        try {
            entry.commit();
        } catch (IOException | RuntimeException e) {
            entry.discard();
            restoreFile();
            throw e;
        }
        history.put(number, new Entry(v, config));
        current = number;
        prune();
        return v;
    }

    /**
     * Takes back the newest version (stored, but refused when applied): its history entry goes and
     * {@code config.json} holds the version before it again, so it never comes back after a restart.
     */
    public void discardNewest() throws IOException {
        if (history.size() < 2) {
            throw new IllegalStateException("no earlier version to go back to");
        }
        int newest = history.lastKey();
        Entry before = history.lowerEntry(newest).getValue();
        AtomicFile.write(file, ConfigJson.toText(before.config()).getBytes(StandardCharsets.UTF_8));
        Files.deleteIfExists(historyDir.resolve(entryName(newest)));
        AtomicFile.syncDirectory(historyDir);
        history.remove(newest);
        current = before.version().number();
    }

    /** After a save failed half-way: {@code config.json} back to the newest committed version. */
    private void restoreFile() {
        if (history.isEmpty()) {
            return;
        }
        try {
            AtomicFile.write(file, ConfigJson.toText(history.lastEntry().getValue().config()).getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            // start-up then records config.json as a version of its own: it is what the box ran last
            Logger.error("Cannot put {} back to version {}: {}", file, history.lastKey(), e.getMessage());
        }
    }

    private void prune() throws IOException {
        boolean removed = false;
        while (history.size() > keep) {
            int oldest = history.firstKey();
            history.remove(oldest);
            Files.deleteIfExists(historyDir.resolve(entryName(oldest)));
            removed = true;
        }
        if (removed) {
            AtomicFile.syncDirectory(historyDir);
        }
    }

    private static String entryName(int number) {
        return String.format("v%08d.json", number);
    }

    private static void removeLeftovers(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            for (Path p : s.filter(AtomicFile::isLeftover).toList()) {
                Logger.info("Removing {} left by an interrupted save", p);
                try {
                    Files.deleteIfExists(p);
                } catch (NoSuchFileException ignored) {
                    // gone already
                } catch (IOException e) {
                    // read-only storage: the leftover is harmless, loading goes on (the probe reports it)
                    Logger.warn("Cannot remove {}: {}", p, e.getMessage());
                }
            }
        }
    }

    /** A commit-confirmed waiting for its confirm, as written to disk so a restart cannot make it permanent. */
    public record PendingConfirm(int restoreVersion, String author, Instant deadline) {
    }

    private Path pendingFile() {
        return dir.resolve("pending-confirm.json");
    }

    public void markPending(PendingConfirm p) throws IOException {
        ObjectNode o = ConfigJson.MAPPER.createObjectNode();
        o.put("restoreVersion", p.restoreVersion()).put("author", p.author()).put("deadline", p.deadline().toString());
        AtomicFile.write(pendingFile(), ConfigJson.toText(o).getBytes(StandardCharsets.UTF_8));
    }

    public void clearPending() throws IOException {
        if (Files.deleteIfExists(pendingFile())) {
            AtomicFile.syncDirectory(dir);
        }
    }

    /** The commit-confirmed that was waiting when the box last stopped, if any. */
    public Optional<PendingConfirm> pending() {
        if (!Files.exists(pendingFile())) {
            return Optional.empty();
        }
        try {
            JsonNode o = ConfigJson.MAPPER.readTree(Files.readString(pendingFile(), StandardCharsets.UTF_8));
            return Optional.of(new PendingConfirm(o.path("restoreVersion").asInt(), o.path("author").asText(""),
                    Instant.parse(o.path("deadline").asText())));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            // A marker we cannot read still means "unconfirmed": the caller rolls back one version.
            Logger.warn("Unreadable {} ({}): treating it as an unconfirmed commit of the newest version", pendingFile(), e.getMessage());
            int newest = history.isEmpty() ? 0 : history.lastKey();
            return Optional.of(new PendingConfirm(history.lowerKey(newest) == null ? newest : history.lowerKey(newest), "unknown", Instant.EPOCH));
        }
    }

    public int currentVersion() {
        return current;
    }

    /** Stored versions, newest first; the first is the running one. */
    public List<ConfigVersion> history() {
        List<ConfigVersion> out = new ArrayList<>();
        history.descendingMap().values().forEach(e -> out.add(e.version()));
        return out;
    }

    public Optional<Config> version(int number) {
        Entry e = history.get(number);
        return e == null ? Optional.empty() : Optional.of(e.config());
    }

    /** The version {@code back} steps before the newest (0 = newest), if still kept. */
    public Optional<ConfigVersion> back(int back) {
        List<ConfigVersion> all = history();
        return back < 0 || back >= all.size() ? Optional.empty() : Optional.of(all.get(back));
    }
}
