package io.tunnelbox.hal.linux;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs iproute2's {@code ip} (and, for labs and tests, other commands inside a namespace) with its
 * arguments as a list: never through a shell, so no argument is ever parsed twice. A failure
 * throws {@link CommandException} with the command line and what the command wrote to stderr.
 */
public final class Ip {
    private static final long TIMEOUT_SECONDS = 30;

    private final String netns;

    private Ip(String netns) {
        this.netns = netns;
    }

    /** {@code ip} in the JVM's own namespace. */
    public static Ip host() {
        return new Ip(null);
    }

    /** {@code ip -n NETNS ...}: the same commands inside a named namespace. */
    public static Ip in(String netns) {
        return new Ip(netns);
    }

    /** Runs {@code ip ARGS}; returns stdout, throws on a non-zero exit. */
    public String run(String... args) {
        return run(List.of(args));
    }

    public String run(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add("ip");
        if (netns != null) {
            command.add("-n");
            command.add(netns);
        }
        command.addAll(args);
        return execute(command).orThrow();
    }

    /**
     * Runs an arbitrary command in this namespace ({@code ip netns exec NETNS CMD...}, or directly
     * for the host) and returns its result without throwing on a non-zero exit.
     */
    public Result exec(String... command) {
        List<String> full = new ArrayList<>();
        if (netns != null) {
            full.addAll(List.of("ip", "netns", "exec", netns));
        }
        full.addAll(List.of(command));
        return execute(full);
    }

    /** As {@link #exec(String...)}, with {@code input} written to the command's standard input. */
    public Result execWithInput(String input, String... command) {
        List<String> full = new ArrayList<>();
        if (netns != null) {
            full.addAll(List.of("ip", "netns", "exec", netns));
        }
        full.addAll(List.of(command));
        return execute(full, input);
    }

    /** Adds a namespace with {@code ip netns add} and sets its loopback up. */
    public static void addNamespace(String name) {
        host().run("netns", "add", name);
        in(name).run("link", "set", "lo", "up");
    }

    /** Deletes a namespace if it exists; never throws (for finally blocks). */
    public static void deleteNamespace(String name) {
        execute(List.of("ip", "netns", "delete", name));
    }

    /** The outcome of a command: exit code and both outputs. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** stdout if the command succeeded, otherwise a {@link CommandException}. */
        public String orThrow() {
            if (exitCode != 0) {
                throw new CommandException(this);
            }
            return stdout;
        }
    }

    /** A command that failed: its line, exit code and stderr. */
    public static final class CommandException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Result result;

        CommandException(Result result) {
            super(String.join(" ", result.command()) + ": exit " + result.exitCode()
                    + (result.stderr().isBlank() ? "" : ": " + result.stderr().strip()));
            this.result = result;
        }

        public Result result() {
            return result;
        }
    }

    static Result execute(List<String> command) {
        return execute(command, null);
    }

    private static Result execute(List<String> command, String input) {
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            if (input == null) {
                builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            }
            process = builder.start();
        } catch (IOException e) {
            return new Result(List.copyOf(command), 127, "", "cannot start " + command.get(0) + ": " + e.getMessage());
        }
        CompletableFuture<String> out = drain(process.getInputStream());
        CompletableFuture<String> err = drain(process.getErrorStream());
        if (input != null) {
            // Written whole (outputs are drained meanwhile), then closed so the command sees the end.
            try (var stdin = process.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                process.destroyForcibly();
                return new Result(List.copyOf(command), 127, "", "writing to " + command.get(0) + ": " + e.getMessage());
            }
        }
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
                return new Result(List.copyOf(command), 124, out.join(), "timed out after " + TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Result(List.copyOf(command), 130, "", "interrupted");
        }
        return new Result(List.copyOf(command), process.exitValue(), out.join(), err.join());
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }, runnable -> Thread.ofPlatform().daemon().start(runnable));
    }
}
