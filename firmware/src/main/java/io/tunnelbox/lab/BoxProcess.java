package io.tunnelbox.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A TunnelBox process started by the lab inside a network namespace, exactly as a box runs it
 * ({@code tunnelbox run --config ...}), with the same JVM and class path as the lab itself.
 * Its output goes to a log file; the lab waits for its "ready" line.
 */
final class BoxProcess implements AutoCloseable {
    static final String READY_MARK = "tunnelbox ready";

    private final String name;
    private final Process process;
    private final Path log;
    private final BlockingQueue<String> ready = new ArrayBlockingQueue<>(1);

    private BoxProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static BoxProcess start(String name, String namespace, Path config, Path stateDir, Path log) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-Xmx48m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), "io.tunnelbox.app.Main", "run",
                "--config", config.toString(), "--state-dir", stateDir.toString(), "--console", "none"));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            BoxProcess box = new BoxProcess(name, p, log);
            Thread.ofPlatform().daemon().name("lab-log-" + name).start(box::pump);
            return box;
        } catch (IOException e) {
            throw new LabException("cannot start box " + name + ": " + e.getMessage());
        }
    }

    /** Copies the box's output to its log file and notices the ready line. */
    private void pump() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             var out = java.nio.file.Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.write(line);
                out.newLine();
                out.flush();
                if (line.contains(READY_MARK)) {
                    ready.offer(line);
                }
            }
        } catch (IOException e) {
            ready.offer("log pump failed: " + e.getMessage());
        }
    }

    /** Waits for the box to say it is ready; fails with the log's place if it dies or hangs. */
    void awaitReady(long seconds) {
        try {
            String line = ready.poll(seconds, TimeUnit.SECONDS);
            if (line == null || !line.contains(READY_MARK)) {
                throw new LabException("box " + name + " did not start"
                        + (process.isAlive() ? " within " + seconds + " s" : " (exit " + process.exitValue() + ")")
                        + "; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while waiting for box " + name);
        }
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the box the way systemd does: SIGTERM, then SIGKILL if it does not go. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
