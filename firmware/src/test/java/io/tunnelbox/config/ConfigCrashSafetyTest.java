package io.tunnelbox.config;

import io.tunnelbox.hal.time.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kills a process that is saving configurations (SIGKILL, like a power cut for the process) at
 * random moments and checks that what is stored is always the last finished version or the one
 * being written, whole and valid.
 */
class ConfigCrashSafetyTest {
    static final int ROUNDS = 20;

    @TempDir
    Path diskDir;
    Path dir;

    static String historyOf(Path store) {
        try (var files = Files.list(store.resolve("history"))) {
            return files.sorted().map(p -> {
                try {
                    return p.getFileName() + "=" + ConfigJson.MAPPER.readTree(Files.readString(p)).path("config").path("system").path("hostname").asText();
                } catch (IOException e) {
                    return p.getFileName() + "=?";
                }
            }).toList().toString();
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void shouldLeaveTheOldOrTheNewVersionWhenKilledDuringSaves() throws Exception {
        // SIGKILL ends the process, not the kernel: what it wrote is in the page cache whether or not
        // it was fsynced, so tmpfs tests the same thing as a disk, and lets the child save hundreds of
        // times in the time budget (on this machine's disk the four fsyncs per save take ~50 ms).
        Path shm = Path.of("/dev/shm");
        dir = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "tunnelbox-crash-") : diskDir;
        try {
            killRounds();
        } finally {
            if (!dir.equals(diskDir)) {
                try (var walk = Files.walk(dir)) {
                    for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    private void killRounds() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        long seed = System.nanoTime();
        Random random = new Random(seed);
        int next = 1;
        int totalSaves = 0;
        int killedMidSave = 0;
        int previousOnDisk = 0; // factory defaults, hostname "tunnelbox"
        List<String> outcomes = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            Path progress = dir.resolve("progress-" + round);
            Process child = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-Dtinylog.writer.level=off",
                    "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(), dir.resolve("store").toString(),
                    Integer.toString(next), progress.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
                String line;
                do { // the child may log before it is ready, depending on the logging setup
                    line = out.readLine();
                } while (line != null && !line.equals("ready"));
                assertEquals("ready", line, "child started (seed " + seed + ")");
                // Once it has finished a save (however slow the machine), let it go on for a
                // random while and kill it wherever it is: almost always in the middle of a save.
                awaitFirstSave(progress, child);
                Thread.sleep(random.nextInt(50));
                child.destroyForcibly();
                assertTrue(child.waitFor(10, TimeUnit.SECONDS), "child ended");
            } finally {
                child.destroyForcibly();
            }
            int lastSaved = -1;
            int saving = -1;
            List<String> progressLines = Files.readAllLines(progress);
            for (String line : progressLines) {
                if (line.startsWith("saving ")) {
                    saving = Integer.parseInt(line.substring(7));
                } else if (line.startsWith("saved ")) {
                    lastSaved = Integer.parseInt(line.substring(6));
                }
            }
            assertEquals(137, child.exitValue(), "killed by SIGKILL, not finished by itself");

            String text = Files.readString(dir.resolve("store").resolve(ConfigStore.FILE_NAME), StandardCharsets.UTF_8);
            ParseResult parsed = ConfigParser.parse(text);
            assertTrue(parsed.ok(), () -> "stored file is corrupt: " + parsed.describe());
            String hostname = parsed.config().system().hostname();
            int onDisk = hostname.equals("tunnelbox") ? 0 : Integer.parseInt(hostname.substring(1));
            int before = lastSaved >= 0 ? lastSaved : previousOnDisk;
            assertTrue(onDisk == before || onDisk == saving,
                    "round " + round + ": " + progressLines + " history " + historyOf(dir.resolve("store")) + ": stored v" + onDisk + ", expected the finished v" + before + " or the interrupted v" + saving + " (seed " + seed + ")");
            if (onDisk != 0) {
                assertEquals(CrashChild.version(onDisk), parsed.config(), "the whole version, not a mix");
            }

            ConfigStore store = new ConfigStore(dir.resolve("store"), 5, new ManualClock());
            LoadResult loaded = store.load();
            assertEquals(LoadResult.Status.LOADED, loaded.status(), "no fallback needed after a kill");
            long entries;
            try (var files = Files.list(dir.resolve("store").resolve("history"))) {
                entries = files.filter(p -> p.getFileName().toString().matches("v[0-9]+\\.json")).count();
            }
            assertEquals(entries, store.history().size(), "every history entry on disk is whole: " + historyOf(dir.resolve("store")));
            assertEquals(parsed.config(), loaded.config());
            totalSaves += Math.max(0, lastSaved - next + 1);
            outcomes.add(onDisk == saving && saving != before ? "new" : "old");
            if (saving > lastSaved) {
                killedMidSave++;
            }
            previousOnDisk = onDisk;
            next = Math.max(next, Math.max(saving, lastSaved)) + 1;
        }
        System.out.printf("crash safety: %d rounds, %d completed saves, %d kills in the middle of a save, outcomes %s (seed %d)%n",
                ROUNDS, totalSaves, killedMidSave, outcomes, seed);
        // Every kill came after a finished save; this says the kills also hit saves in progress,
        // which is what the test is about (a kill between two saves proves little).
        assertTrue(killedMidSave > 0, "no kill interrupted a save: " + outcomes + " (seed " + seed + ")");
    }

    /** Waits until the child has written "saved" at least once: a condition, not a duration. */
    private static void awaitFirstSave(Path progress, Process child) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline && child.isAlive()) {
            if (Files.exists(progress) && Files.readAllLines(progress).stream().anyMatch(l -> l.startsWith("saved "))) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the child finished no save (alive: " + child.isAlive() + ")");
    }
}
