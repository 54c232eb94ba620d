package io.tunnelbox.config;

import io.tunnelbox.hal.time.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigStoreTest {
    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock();

    static Config withHostname(String name) {
        return Config.defaults().withSystem(new SystemConfig(name, List.of()));
    }

    ConfigStore fresh() throws IOException {
        ConfigStore s = new ConfigStore(dir, 5, clock);
        s.load();
        return s;
    }

    Path file() {
        return dir.resolve(ConfigStore.FILE_NAME);
    }

    List<Path> badFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(ConfigStore.FILE_NAME + ".bad-")).toList();
        }
    }

    @Test
    void shouldKeepOnlyTheLastNVersionsWithTimeAuthorAndComment() throws IOException {
        ConfigStore s = fresh();
        for (int i = 2; i <= 9; i++) {
            clock.advance(Duration.ofSeconds(10));
            s.save(withHostname("v" + i), "user" + i, "change " + i);
        }
        List<ConfigVersion> h = s.history();
        assertEquals(List.of(9, 8, 7, 6, 5), h.stream().map(ConfigVersion::number).toList());
        assertEquals("user9", h.get(0).author());
        assertEquals("change 9", h.get(0).comment());
        assertEquals(clock.epochMillis(), h.get(0).time().toEpochMilli());
        try (Stream<Path> files = Files.list(dir.resolve("history"))) {
            assertEquals(5, files.count(), "pruned on disk too");
        }
        assertEquals("v7", s.version(7).orElseThrow().system().hostname());
        assertTrue(s.version(4).isEmpty());

        ConfigStore reopened = new ConfigStore(dir, 5, clock);
        LoadResult r = reopened.load();
        assertEquals(LoadResult.Status.LOADED, r.status());
        assertEquals(9, r.version());
        assertEquals("v9", r.config().system().hostname());
        assertEquals(h, reopened.history());
    }

    @Test
    void shouldFallBackToTheLastGoodVersionAndKeepACorruptFile() throws IOException {
        ConfigStore s = fresh();
        s.save(withHostname("good"), "alice", "good one");
        Files.writeString(file(), "{\"system\": {\"hostname\": \"half-writ");

        LoadResult r = new ConfigStore(dir, 5, clock).load();
        assertEquals(LoadResult.Status.FELL_BACK, r.status());
        assertTrue(r.fellBack());
        assertEquals("good", r.config().system().hostname());
        assertEquals(2, r.version());
        assertTrue(r.problems().get(0).message().contains("syntax error"), r.problems().toString());
        assertEquals(List.of(r.badFile().orElseThrow()), badFiles());
        assertEquals("{\"system\": {\"hostname\": \"half-writ", Files.readString(r.badFile().orElseThrow()), "kept as it was");
        assertEquals("good", ConfigParser.parse(Files.readString(file())).config().system().hostname(), "good version restored");
    }

    @Test
    void shouldFallBackOnAValidJsonFileThatFailsValidation() throws IOException {
        ConfigStore s = fresh();
        s.save(withHostname("good"), "alice", "good one");
        Files.writeString(file(), "{\"tunnels\": [{\"name\": \"t\", \"remote\": \"300.1.1.1\"}]}");
        LoadResult r = new ConfigStore(dir, 5, clock).load();
        assertEquals(LoadResult.Status.FELL_BACK, r.status());
        assertEquals(List.of("tunnels[0].remote: \"300.1.1.1\" is not an IPv4 address"), r.problems().stream().map(ConfigError::toString).toList());
        assertEquals("good", r.config().system().hostname());
    }

    @Test
    void shouldRunFactoryDefaultsWhenNothingGoodIsLeft() throws IOException {
        Files.writeString(file(), "not json at all");
        LoadResult r = new ConfigStore(dir, 5, clock).load();
        assertEquals(LoadResult.Status.FACTORY_DEFAULTS, r.status());
        assertEquals(Config.defaults(), r.config());
        assertEquals(1, badFiles().size());
    }

    @Test
    void shouldSkipACorruptHistoryEntryWhenFallingBack() throws IOException {
        ConfigStore s = fresh();
        s.save(withHostname("older"), "a", "");
        s.save(withHostname("newer"), "a", "");
        Files.writeString(dir.resolve("history").resolve("v00000003.json"), "garbage");
        Files.writeString(file(), "garbage too");
        LoadResult r = new ConfigStore(dir, 5, clock).load();
        assertEquals(LoadResult.Status.FELL_BACK, r.status());
        assertEquals("older", r.config().system().hostname());
        assertEquals(2, r.version());
    }

    @Test
    void shouldRecordAHandEditedFileAsANewVersion() throws IOException {
        ConfigStore s = fresh();
        s.save(withHostname("before"), "a", "");
        Files.writeString(file(), "// edited on the box\n{\"system\": {\"hostname\": \"edited\"}}\n");
        LoadResult r = new ConfigStore(dir, 5, clock).load();
        assertEquals(LoadResult.Status.LOADED, r.status());
        assertEquals("edited", r.config().system().hostname());
        assertEquals(3, r.version());
        assertFalse(r.fellBack());
        assertTrue(badFiles().isEmpty());
    }

    @Test
    void shouldRemoveTemporaryFilesLeftByAnInterruptedSave() throws IOException {
        fresh();
        Path leftover = dir.resolve("." + ConfigStore.FILE_NAME + AtomicFile.TEMP_MARK + "123-1");
        Files.writeString(leftover, "{\"sys");
        new ConfigStore(dir, 5, clock).load();
        assertFalse(Files.exists(leftover));
    }

    @Test
    void shouldWriteTheFileForPeopleToRead() throws IOException {
        ConfigStore s = fresh();
        s.save(withHostname("readable"), "a", "");
        String text = Files.readString(file(), StandardCharsets.UTF_8);
        assertTrue(text.startsWith("{\n  \"system\" : {\n    \"hostname\" : \"readable\""), text);
    }

    @Test
    void shouldAdoptAFileInstalledBeforeTheFirstStart() throws IOException {
        Files.writeString(file(), ConfigParserTest.example());
        ConfigStore s = new ConfigStore(dir, 5, clock);
        LoadResult r = s.load();
        assertEquals(LoadResult.Status.LOADED, r.status());
        assertEquals(1, r.version());
        assertEquals("branch-a", r.config().system().hostname());
        assertEquals("disk", s.history().get(0).author());
        assertTrue(Files.exists(dir.resolve("history").resolve("v00000001.json")));
    }

    @Test
    void shouldKeepStoredFilesReadableByTheOwnerOnly() throws IOException {
        ConfigStore s = fresh();
        s.save(withHostname("private"), "a", "");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file())));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("history").resolve("v00000002.json"))));
    }

    @Test
    void shouldStartFromMemoryWhenTheStorageIsBroken() throws IOException {
        Path notADirectory = dir.resolve("blocker");
        Files.writeString(notADirectory, "a file where the config directory should be");
        ConfigStore broken = new ConfigStore(notADirectory.resolve("config"), 5, clock);
        LoadResult r = broken.load();
        assertEquals(LoadResult.Status.STORAGE_FAILED, r.status());
        assertTrue(r.fellBack());
        assertEquals(Config.defaults(), r.config());
        assertTrue(r.problems().get(0).message().contains("storage"), r.problems().toString());

        ConfigService service = new ConfigService(broken, ConfigApplier.NONE, clock);
        Config before = service.running();
        com.fasterxml.jackson.databind.node.ObjectNode tree = service.runningTree();
        tree.withObject("system").put("hostname", "changed");
        CommitResult c = service.commit(tree, "alice", "");
        assertFalse(c.ok());
        assertTrue(c.errors().get(0).message().startsWith("could not store the configuration"), c.errors().toString());
        assertEquals(before, service.running(), "not applied when it cannot be stored");
    }

    @Test
    void shouldLeaveNoHistoryEntryWhenConfigJsonCannotBeWritten() throws IOException {
        ConfigStore s = fresh();
        s.save(withHostname("committed"), "alice", "kept");
        // config.json cannot be replaced (as with a full disk): a non-empty directory in its place
        Files.delete(file());
        Files.createDirectories(file().resolve("blocker"));
        org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> s.save(withHostname("refused"), "bob", "never committed"));
        assertEquals(List.of(2, 1), s.history().stream().map(ConfigVersion::number).toList());
        try (Stream<Path> files = Files.list(dir.resolve("history"))) {
            assertEquals(List.of("v00000001.json", "v00000002.json"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "no entry and no temporary file");
        }

        Files.delete(file().resolve("blocker"));
        Files.delete(file());
        ConfigStore restarted = new ConfigStore(dir, 5, clock);
        LoadResult r = restarted.load();
        assertEquals("committed", r.config().system().hostname());
        assertTrue(restarted.history().stream().noneMatch(v -> v.comment().equals("never committed")),
                restarted.history().toString());
    }

    @Test
    void shouldTakeBackARefusedVersionSoThatARestartDoesNotBringItBack() throws IOException {
        ConfigStore s = fresh();
        s.save(withHostname("good"), "alice", "good");
        s.save(withHostname("refused"), "bob", "refused when applied");
        s.discardNewest();
        assertEquals(2, s.currentVersion());
        ConfigStore restarted = new ConfigStore(dir, 5, clock);
        LoadResult r = restarted.load();
        assertEquals("good", r.config().system().hostname());
        assertEquals(List.of(2, 1), restarted.history().stream().map(ConfigVersion::number).toList());
    }

    @Test
    void shouldSetAsideAStrayHistoryFileInsteadOfFailingToStart() throws IOException {
        ConfigStore s = fresh();
        s.save(withHostname("good"), "alice", "good");
        Path stray = dir.resolve("history").resolve("v99999999999.json");
        Files.writeString(stray, "{}");
        Files.writeString(dir.resolve("history").resolve("v00000007.json"), "not json");

        ConfigStore restarted = new ConfigStore(dir, 5, clock);
        LoadResult r = restarted.load();
        assertEquals(LoadResult.Status.LOADED, r.status());
        assertEquals("good", r.config().system().hostname());
        assertEquals(List.of(2, 1), restarted.history().stream().map(ConfigVersion::number).toList());
        assertTrue(Files.exists(dir.resolve("history").resolve("v99999999999.json.bad")), "kept for a look");
        assertTrue(Files.notExists(stray));
        assertEquals(3, restarted.save(withHostname("next"), "alice", "").number(), "numbering unharmed");
    }
}
