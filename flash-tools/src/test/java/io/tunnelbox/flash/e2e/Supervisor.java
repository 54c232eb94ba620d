package io.tunnelbox.flash.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The test's stand-in for systemd's {@code Restart=always}: runs the unit's command line (the
 * launcher with {@code --boot run ...}) and starts it again whenever it exits, with a bounded
 * number of starts. Each start's output goes to its own log file.
 */
final class Supervisor implements AutoCloseable {
    private final List<String> command;
    private final Path logs;
    private final int maxStarts;
    private final List<Integer> exits = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean stopping;
    private volatile Process current;
    private volatile int starts;

    Supervisor(List<String> command, Path logs, int maxStarts) {
        this.command = List.copyOf(command);
        this.logs = logs;
        this.maxStarts = maxStarts;
        this.thread = Thread.ofPlatform().daemon().name("supervisor").start(this::loop);
    }

    private void loop() {
        while (!stopping && starts < maxStarts) {
            try {
                Path log = logs.resolve("start-" + (starts + 1) + ".log");
                current = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                starts++;
                int code = current.waitFor();
                exits.add(code);
                Thread.sleep(300); // systemd's RestartSec, shortened
            } catch (IOException e) {
                exits.add(-1);
                return;
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    int starts() {
        return starts;
    }

    List<Integer> exits() {
        return new ArrayList<>(exits);
    }

    /** Whether any start's output has a line containing {@code text}. */
    boolean logged(String text) {
        for (int i = 1; i <= starts; i++) {
            try {
                if (Files.readAllLines(logs.resolve("start-" + i + ".log")).stream().anyMatch(l -> l.contains(text))) {
                    return true;
                }
            } catch (IOException e) {
                // a start whose log is gone has nothing to show
            }
        }
        return false;
    }

    /** Every start's output, in order, for failure messages. */
    String logs() {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= starts; i++) {
            try {
                List<String> lines = Files.readAllLines(logs.resolve("start-" + i + ".log"));
                b.append("--- start ").append(i).append('\n');
                lines.subList(Math.max(0, lines.size() - 25), lines.size()).forEach(l -> b.append(l).append('\n'));
            } catch (IOException e) {
                b.append("--- start ").append(i).append(": ").append(e.getMessage()).append('\n');
            }
        }
        return b.toString();
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stop() throws InterruptedException {
        stopping = true;
        Process p = current;
        if (p != null) {
            p.toHandle().descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
        thread.join(30_000);
    }
}
