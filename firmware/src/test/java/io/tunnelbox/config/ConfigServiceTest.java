package io.tunnelbox.config;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tunnelbox.hal.time.ManualClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigServiceTest {
    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock();
    final List<ConfigDiff> applied = new ArrayList<>();
    ConfigService service;

    @BeforeEach
    void start() throws IOException {
        service = new ConfigService(new ConfigStore(dir, 10, clock), (prev, next) -> {
            applied.add(ConfigDiff.between(prev, next));
            return ApplyResult.OK;
        }, clock);
    }

    static ObjectNode withTunnel(ObjectNode tree, String name, String remote, int key) {
        ArrayNode tunnels = tree.withArray("tunnels");
        tunnels.addObject().put("name", name).put("remote", remote).put("key", key);
        return tree;
    }

    Config stored() throws IOException {
        return ConfigParser.parse(Files.readString(dir.resolve(ConfigStore.FILE_NAME), StandardCharsets.UTF_8)).config();
    }

    @Test
    void shouldStoreDefaultsOnFirstBoot() throws IOException {
        assertEquals(LoadResult.Status.FIRST_BOOT, service.loadResult().status());
        assertEquals(Config.defaults(), service.running());
        assertEquals(1, service.runningVersion());
        assertEquals(Config.defaults(), stored());
        assertFalse(service.hasAdmin());
    }

    @Test
    void shouldStoreAndApplyACommit() throws IOException {
        CommitResult r = service.commit(withTunnel(service.runningTree(), "to-b", "203.0.113.1", 1), "alice", "add to-b");
        assertTrue(r.ok(), r.errors()::toString);
        assertEquals(2, r.version());
        assertEquals("tunnels +to-b", r.summary());
        assertEquals(1, service.running().tunnels().size());
        assertEquals(service.running(), stored());
        ConfigDiff last = applied.get(applied.size() - 1);
        assertEquals("to-b", last.tunnels().added().get(0).name());
        ConfigVersion v = service.history().get(0);
        assertEquals(2, v.number());
        assertEquals("alice", v.author());
        assertEquals("add to-b", v.comment());
    }

    @Test
    void shouldRefuseAnInvalidCandidateAndLeaveTheRunningConfigUntouched() throws IOException {
        service.commit(withTunnel(service.runningTree(), "to-b", "203.0.113.1", 1), "alice", "ok");
        Config before = service.running();
        String storedBefore = Files.readString(dir.resolve(ConfigStore.FILE_NAME));
        int applies = applied.size();
        ObjectNode bad = withTunnel(service.runningTree(), "to-c", "300.1.1.1", 2);
        bad.withArray("routes").addObject().put("prefix", "192.168.9.0/24").put("tunnel", "nowhere");
        CommitResult r = service.commit(bad, "bob", "broken");
        assertFalse(r.ok());
        assertEquals(List.of("tunnels[1].remote: \"300.1.1.1\" is not an IPv4 address",
                "routes[0].tunnel: no tunnel named \"nowhere\" (tunnels: to-b, to-c)"), r.errors().stream().map(ConfigError::toString).toList());
        assertEquals(2, r.version());
        assertEquals(before, service.running());
        assertEquals(storedBefore, Files.readString(dir.resolve(ConfigStore.FILE_NAME)));
        assertEquals(applies, applied.size(), "nothing applied");
        assertEquals(2, service.history().size());
    }

    @Test
    void shouldRollBackAnUnconfirmedCommitAfterItsTimeout() throws IOException {
        Config before = service.running();
        CommitResult r = service.commitConfirmed(withTunnel(service.runningTree(), "to-b", "203.0.113.1", 1), "alice", Duration.ofMinutes(5));
        assertTrue(r.ok());
        assertEquals(1, service.running().tunnels().size());
        assertEquals(clock.epochMillis() + 300_000, service.confirmDeadline().orElseThrow().toEpochMilli());

        clock.advance(Duration.ofMinutes(5).minusNanos(1));
        service.poll();
        assertEquals(1, service.running().tunnels().size(), "still waiting just before the deadline");

        clock.advanceNanos(1);
        service.poll();
        assertEquals(before, service.running());
        assertEquals(before, stored());
        assertTrue(service.confirmDeadline().isEmpty());
        assertEquals("to-b", applied.get(applied.size() - 1).tunnels().removed().get(0).name());
        ConfigVersion v = service.history().get(0);
        assertEquals("system", v.author());
        assertTrue(v.comment().contains("not confirmed in time"), v.comment());
        assertFalse(service.confirm("alice"), "nothing left to confirm");
    }

    @Test
    void shouldKeepAConfirmedCommit() throws IOException {
        service.commitConfirmed(withTunnel(service.runningTree(), "to-b", "203.0.113.1", 1), "alice", Duration.ofMinutes(5));
        clock.advance(Duration.ofMinutes(2));
        assertTrue(service.confirm("alice"));
        Config confirmed = service.running();
        clock.advance(Duration.ofHours(1));
        service.poll();
        assertEquals(confirmed, service.running());
        assertEquals(confirmed, stored());
        assertEquals(1, confirmed.tunnels().size());
    }

    @Test
    void shouldReturnToTheFirstConfigWhenTwoCommitConfirmedsGoUnconfirmed() {
        Config before = service.running();
        service.commitConfirmed(withTunnel(service.runningTree(), "to-b", "203.0.113.1", 1), "alice", Duration.ofMinutes(5));
        clock.advance(Duration.ofMinutes(4));
        service.commitConfirmed(withTunnel(service.runningTree(), "to-c", "192.0.2.1", 2), "alice", Duration.ofMinutes(5));
        clock.advance(Duration.ofMinutes(4));
        service.poll();
        assertEquals(2, service.running().tunnels().size(), "the second commit moved the deadline");
        clock.advance(Duration.ofMinutes(1));
        service.poll();
        assertEquals(before, service.running());
    }

    @Test
    void shouldRollBackNVersions() {
        Config v1 = service.running();
        service.commit(withTunnel(service.runningTree(), "a", "203.0.113.1", 1), "u", "2");
        Config v2 = service.running();
        service.commit(withTunnel(service.runningTree(), "b", "192.0.2.1", 2), "u", "3");
        CommitResult r = service.rollback(1, "u");
        assertTrue(r.ok());
        assertEquals(4, r.version());
        assertEquals(v2, service.running());
        r = service.rollback(3, "u");
        assertTrue(r.ok(), r.errors()::toString);
        assertEquals(v1, service.running());
        assertEquals("rollback 3 (to version 1)", service.history().get(0).comment());
        CommitResult tooFar = service.rollback(50, "u");
        assertFalse(tooFar.ok());
        assertEquals("cannot roll back 50: only 4 earlier versions are kept", tooFar.errors().get(0).message());
    }

    @Test
    void shouldSetAndCheckAnAdminPassword() {
        char[] pw = "s3cret!".toCharArray();
        CommitResult r = service.setAdminPassword("admin", pw, "console");
        assertTrue(r.ok(), r.errors()::toString);
        assertTrue(service.hasAdmin());
        assertTrue(service.checkPassword("admin", "s3cret!".toCharArray()));
        assertFalse(service.checkPassword("admin", "wrong".toCharArray()));
        assertFalse(service.checkPassword("nobody", "s3cret!".toCharArray()));
    }

    @Test
    void shouldRestoreThePreviousVersionWhenApplyFails() throws IOException {
        ConfigService failing = new ConfigService(new ConfigStore(dir.resolve("other"), 10, clock),
                (prev, next) -> next.tunnels().isEmpty() ? ApplyResult.OK : ApplyResult.failed("NIC wan is missing"), clock);
        Config before = failing.running();
        CommitResult r = failing.commit(withTunnel(failing.runningTree(), "to-b", "203.0.113.1", 1), "alice", "x");
        assertFalse(r.ok());
        assertEquals("NIC wan is missing", r.errors().get(0).message());
        assertEquals(before, failing.running());
        assertEquals(before, ConfigParser.parse(Files.readString(dir.resolve("other").resolve(ConfigStore.FILE_NAME))).config());
        assertEquals(1, failing.history().size(), "the refused version is not in the history: " + failing.history());
        assertFalse(failing.rollback(1, "alice").ok(), "nothing to roll back to: the refused version never counted");
    }

    @Test
    void shouldRollBackAtStartUpACommitConfirmedThatWasPendingWhenTheBoxStopped() throws IOException {
        Config before = service.running();
        service.commitConfirmed(withTunnel(service.runningTree(), "to-b", "203.0.113.1", 1), "alice", Duration.ofMinutes(10));
        assertEquals(1, stored().tunnels().size());
        // Power cut: the service object is gone; a new one starts on the same directory.
        ConfigService restarted = new ConfigService(new ConfigStore(dir, 10, clock), ConfigApplier.NONE, clock);
        assertEquals(before, restarted.running());
        assertEquals(before, stored());
        assertTrue(restarted.history().get(0).comment().contains("unconfirmed at restart"), restarted.history().get(0).comment());
        ConfigService again = new ConfigService(new ConfigStore(dir, 10, clock), ConfigApplier.NONE, clock);
        assertEquals(restarted.runningVersion(), again.runningVersion(), "rolled back once, not at every start");
    }

    @Test
    void shouldKeepAConfirmedCommitAcrossARestart() throws IOException {
        service.commitConfirmed(withTunnel(service.runningTree(), "to-b", "203.0.113.1", 1), "alice", Duration.ofMinutes(10));
        service.confirm("alice");
        ConfigService restarted = new ConfigService(new ConfigStore(dir, 10, clock), ConfigApplier.NONE, clock);
        assertEquals(1, restarted.running().tunnels().size());
        assertEquals(service.runningVersion(), restarted.runningVersion());
    }

    @Test
    void shouldNumberVersionsWithoutGapsUnderConcurrentCommits() throws Exception {
        int threads = 4;
        int each = 10;
        List<Thread> workers = new ArrayList<>();
        List<Integer> versions = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < each; i++) {
                    ObjectNode tree = service.runningTree();
                    tree.withObject("system").put("hostname", "h" + id + "-" + i);
                    CommitResult r = service.commit(tree, "t" + id, "");
                    assertTrue(r.ok(), r.errors()::toString);
                    versions.add(r.version());
                }
            }));
        }
        for (Thread w : workers) {
            w.join();
        }
        assertEquals(threads * each, versions.size());
        assertEquals(java.util.stream.IntStream.rangeClosed(2, threads * each + 1).boxed().toList(), versions.stream().sorted().toList());
        assertEquals(service.running(), stored(), "the stored file is the last commit");
        assertEquals(service.running(), service.version(service.runningVersion()).orElseThrow());
    }

    @Test
    void shouldRefuseAFileWithEveryKindOfErrorListingAllAndChangingNothing() throws IOException {
        CommitResult good = service.commitText(ConfigParserTest.example(), "alice", "example");
        assertTrue(good.ok(), good.errors()::toString);
        Config before = service.running();
        String storedBefore = Files.readString(dir.resolve(ConfigStore.FILE_NAME));
        int applies = applied.size();
        int historyBefore = service.history().size();

        CommitResult r = service.commitText(ConfigParserTest.everyError(), "bob", "everything wrong");
        assertFalse(r.ok());
        assertEquals(ConfigParserTest.EVERY_ERROR.size(), r.errors().size(), r.errors()::toString);
        for (String e : ConfigParserTest.EVERY_ERROR) {
            assertTrue(r.errors().stream().anyMatch(x -> x.toString().startsWith(e)), () -> "missing " + e + " in " + r.errors());
        }
        assertEquals(good.version(), r.version());
        assertEquals(before, service.running());
        assertEquals(storedBefore, Files.readString(dir.resolve(ConfigStore.FILE_NAME)));
        assertEquals(applies, applied.size());
        assertEquals(historyBefore, service.history().size());

        CommitResult syntax = service.commitText("{\n  \"web\": {\"port\": 80,}\n  \"x\"\n}", "bob", "typo");
        assertFalse(syntax.ok());
        assertTrue(syntax.errors().get(0).message().startsWith("line 3, column 3: syntax error"), syntax.errors()::toString);
        assertEquals(before, service.running());
    }

    @Test
    void shouldEscapeControlCharactersInCommitComments() throws IOException {
        ObjectNode tree = service.runningTree();
        tree.withObject("system").put("hostname", "escaped");
        CommitResult r = service.commit(tree, "alice", "fix\u001b[2J\r\nConfiguration version 99 by root\u202e\u0007");
        assertTrue(r.ok(), r.errors().toString());
        String comment = service.history().get(0).comment();
        assertEquals("fix\\x1b[2J\\x0d\\x0aConfiguration version 99 by root\\u202e\\x07", comment);
        assertTrue(comment.chars().noneMatch(Character::isISOControl));
        ConfigStore reread = new ConfigStore(dir, 10, clock);
        reread.load();
        assertEquals(comment, reread.history().get(0).comment(), "stored escaped too");
    }

    @Test
    void shouldSpendAsLongOnAnUnknownNameAsOnAWrongPassword() {
        assertTrue(service.setAdminPassword("admin", "correct horse".toCharArray(), "test").ok());
        service.checkPassword("nobody", "warm-up".toCharArray()); // the decoy hash is made once
        long known = fastestNanos(() -> service.checkPassword("admin", "wrong".toCharArray()));
        long unknown = fastestNanos(() -> service.checkPassword("nobody", "wrong".toCharArray()));
        assertFalse(service.checkPassword("nobody", "wrong".toCharArray()));
        // A PBKDF2 with 210 000 rounds takes tens of milliseconds; skipping it takes microseconds.
        assertTrue(unknown > known / 3 && unknown < known * 3,
                "unknown name " + unknown / 1000 + " us vs wrong password " + known / 1000 + " us");
    }

    private static long fastestNanos(Runnable r) {
        long[] t = new long[5];
        for (int i = 0; i < t.length; i++) {
            long start = System.nanoTime();
            r.run();
            t[i] = System.nanoTime() - start;
        }
        java.util.Arrays.sort(t);
        return t[0]; // the least disturbed by other work on a busy machine
    }
}
