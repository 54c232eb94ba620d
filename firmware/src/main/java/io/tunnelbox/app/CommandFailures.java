package io.tunnelbox.app;

import java.io.IOException;
import java.util.List;
import picocli.CommandLine;

/**
 * How the command-line tools ({@code tunnelbox}, {@code tunnelbox-flash}) report a command that
 * failed: expected failures (bad input, I/O, and the tool's own exception types) are one line
 * prefixed with the program's name; anything else is a bug worth a stack trace. Exit code 1.
 */
public final class CommandFailures implements CommandLine.IExecutionExceptionHandler {
    private final String program;
    private final List<Class<? extends Exception>> expected;

    /** @param expected the tool's own exception types, besides IOException and IllegalArgumentException */
    public CommandFailures(String program, List<Class<? extends Exception>> expected) {
        this.program = program;
        this.expected = List.copyOf(expected);
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        commandLine.getErr().println(program + ": " + e.getMessage());
        if (!isExpected(e)) {
            e.printStackTrace(commandLine.getErr());
        }
        return 1;
    }

    private boolean isExpected(Exception e) {
        if (e instanceof IOException || e instanceof IllegalArgumentException) {
            return true;
        }
        for (Class<? extends Exception> c : expected) {
            if (c.isInstance(e)) {
                return true;
            }
        }
        return false;
    }
}
