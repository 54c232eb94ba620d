package io.tunnelbox.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A TunnelBox process started by the lab inside a network namespace, exactly as a box runs it
 * ({@code tunnelbox run --config ...}), with the same JVM and class path as the lab itself.
 * Its output goes to a log file; the lab waits for its ready line there.
 */
final class BoxProcess implements AutoCloseable {
    static final String READY_MARK = "tunnelbox ready";

    private final String name;
    private final Process process;
    private final Path log;
    /** Where this process's output starts in the log: a restarted box appends to the same file. */
    private final long logStart;

    private final long startNanos;
    private volatile long readyNanos = -1;

    private BoxProcess(String name, Process process, Path log, long logStart, long startNanos) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.logStart = logStart;
        this.startNanos = startNanos;
    }

    /** Milliseconds from the start to the ready line as {@link #awaitReady} saw it (20 ms steps); -1 before. */
    long readyMillis() {
        return readyNanos < 0 ? -1 : (readyNanos - startNanos) / 1_000_000;
    }

    /** Offloads the boxes are started with ({@code run --offloads}); null: the run command's default. */
    private static volatile String offloads;

    /** Starts every later box with {@code run --offloads value}. */
    static void offloads(String value) {
        offloads = value;
    }

    static BoxProcess start(String name, String namespace, Path config, Path stateDir, Path log) {
        return start(name, namespace, config, stateDir, log, List.of(), "none");
    }

    /** With extra JVM options (the fault lab's hosts file for peers named by DNS). */
    static BoxProcess start(String name, String namespace, Path config, Path stateDir, Path log, List<String> jvmOptions) {
        return start(name, namespace, config, stateDir, log, jvmOptions, "none");
    }

    /** As above, with the serial console on {@code console} (a device such as a pty, or "none"). */
    static BoxProcess start(String name, String namespace, Path config, Path stateDir, Path log, String console) {
        return start(name, namespace, config, stateDir, log, List.of(), console);
    }

    static BoxProcess start(String name, String namespace, Path config, Path stateDir, Path log, List<String> jvmOptions,
                            String console) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvmOptions);
        // The box logs as on a real box (to its output, so to the log file), also when the lab
        // runs inside a test whose class path carries the tests' own logging configuration.
        // The launcher's JVM flags (bin/tunnelbox exports them), else the same written out.
        String flags = System.getenv("TUNNELBOX_JVM_FLAGS");
        cmd.addAll(flags != null && !flags.isBlank() ? List.of(flags.strip().split("\\s+"))
                : List.of("--enable-native-access=ALL-UNNAMED", "-Xmx48m", "-Xms16m", "-Xmn8m", "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1", "-XX:TrimNativeHeapInterval=5000"));
        cmd.add("-Dtinylog.configuration=tinylog.properties");
        // Extra JVM options for measurements (NMT, GC logs, other heap sizes), e.g.
        // TUNNELBOX_BOX_JVM_OPTIONS="-XX:NativeMemoryTracking=summary". The launcher's AOT cache was
        // made for its flags alone, so with extra options the boxes start without it.
        String extra = System.getenv("TUNNELBOX_BOX_JVM_OPTIONS");
        String aot = System.getenv("TUNNELBOX_AOT_CACHE");
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(List.of(extra.strip().split("\\s+")));
        } else if (aot != null && Files.isRegularFile(Path.of(aot))) {
            cmd.add("-XX:AOTCache=" + aot);
        }
        cmd.addAll(List.of(
                "-cp", classPath(), "io.tunnelbox.app.Main", "run",
                "--config", config.toString(), "--state-dir", stateDir.toString(), "--board", "lab",
                "--console", console));
        if (offloads != null) {
            cmd.addAll(List.of("--offloads", offloads));
        }
        try {
            // Output goes to a file, not a pipe: with --keep the box outlives the lab's JVM. The
            // file keeps earlier runs' output, so only what follows logStart counts as this run's.
            long logStart = Files.exists(log) ? Files.size(log) : 0;
            long started = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            p.getOutputStream().close();
            return new BoxProcess(name, p, log, logStart, started);
        } catch (IOException e) {
            throw new LabException("cannot start box " + name + ": " + e.getMessage());
        }
    }

    /**
     * The lab's own class path (the launcher's: firmware and, when built, the web page), plus the
     * built web-ui jar when the lab runs from the firmware's tests ({@code TUNNELBOX_ROOT} set),
     * whose class path cannot include it.
     */
    static String classPath() {
        String cp = System.getProperty("java.class.path");
        String root = System.getenv("TUNNELBOX_ROOT");
        if (root == null || cp.contains("web-ui")) {
            return cp;
        }
        Path web = Path.of(root, "web-ui", "target", "web-ui-0.1.0-SNAPSHOT.jar");
        return Files.isRegularFile(web)
                ? cp + java.io.File.pathSeparator + web + java.io.File.pathSeparator + web.resolveSibling("lib") + "/*"
                : cp;
    }

    /**
     * Waits for this run of the box to log its ready line; fails naming the log if it dies or
     * hangs. A ready line left in the log by an earlier run of the same box does not count.
     */
    void awaitReady(long seconds) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (isReady()) {
                return;
            }
            if (!process.isAlive()) {
                throw new LabException("box " + name + " stopped (exit " + process.exitValue()
                        + ") before it was ready:\n" + tail(12));
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LabException("interrupted while waiting for box " + name);
            }
        }
        throw new LabException("box " + name + " not ready within " + seconds + " s:\n" + tail(12));
    }

    /** Whether this run has logged its ready line (and when it was first seen, for {@link #readyMillis}). */
    boolean isReady() {
        if (readyNanos < 0 && logText().contains(READY_MARK)) {
            readyNanos = System.nanoTime();
        }
        return readyNanos >= 0;
    }

    /** This run's output so far. */
    String logText() {
        try {
            byte[] all = Files.readAllBytes(log);
            int from = (int) Math.min(logStart, all.length);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** The last {@code lines} lines of the box's log, for error messages. */
    String tail(int lines) {
        List<String> all = logText().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    long pid() {
        return process.pid();
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
