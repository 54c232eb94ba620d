package io.tunnelbox.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a host tool (ip, bridge, ping, tshark) with its arguments as a list, never through a shell,
 * and turns a failure into one line that says which command failed and what it printed.
 */
final class HostCommand {
    /** A command that outlives this is killed: nothing in the lab may hang the lab. */
    static final long DEFAULT_TIMEOUT_SECONDS = 60;

    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private HostCommand() {
    }

    /** Runs and requires exit code 0. */
    static String run(String... command) {
        Result r = attempt(List.of(command));
        if (!r.ok()) {
            throw new LabException(String.join(" ", command) + " failed (exit " + r.exitCode() + "): "
                    + r.output().strip());
        }
        return r.output();
    }

    /** Runs inside network namespace {@code ns} and requires exit code 0. */
    static String in(String ns, String... command) {
        return run(inNs(ns, command).toArray(String[]::new));
    }

    static List<String> inNs(String ns, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(command));
        return full;
    }

    /** Runs without judging the exit code; stdout and stderr together. */
    static Result attempt(List<String> command) {
        java.nio.file.Path output = null;
        try {
            // Output goes to a file, not a pipe: reading a pipe would block past the time limit
            // while a hung command keeps it open.
            output = java.nio.file.Files.createTempFile("tunnelbox-lab-cmd", ".out");
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(DEFAULT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                return new Result(-1, String.join(" ", command) + " timed out after " + DEFAULT_TIMEOUT_SECONDS
                        + " s: " + java.nio.file.Files.readString(output, StandardCharsets.UTF_8).strip());
            }
            return new Result(p.exitValue(), java.nio.file.Files.readString(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, "cannot start " + command.getFirst() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        } finally {
            if (output != null) {
                output.toFile().delete();
            }
        }
    }
}
