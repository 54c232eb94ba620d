package io.tunnelbox.lab;

import io.tunnelbox.hal.linux.Ip;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a host tool (ip, bridge, ping, tshark) with its arguments as a list, never through a shell,
 * and turns a failure into one line that says which command failed and what it printed.
 */
final class HostCommand {
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

    /**
     * Runs without judging the exit code; stdout and stderr together. The hal's {@link Ip} runner
     * does the work: argument list, no shell, output drained while it runs, and a time limit.
     */
    static Result attempt(List<String> command) {
        Ip.Result r = Ip.host().exec(command.toArray(String[]::new));
        return new Result(r.exitCode(), r.stdout() + r.stderr());
    }
}
