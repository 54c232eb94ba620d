package io.tunnelbox.app;

import io.tunnelbox.lab.LabException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The firmware's entry point: one command with subcommands, as an admin expects of a box. */
@Command(name = "tunnelbox", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"TunnelBox turns a small computer with two network ports into a branch-office router:",
                "a GRE tunnel to the other office, or a VXLAN/GRE switch that stretches a LAN between sites.",
                "Run a command with --help to learn more about it."},
        subcommands = {RunCommand.class, LabCommand.class, CtlCommand.class, VersionCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (tests call this instead of main). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new CommandFailures("tunnelbox", List.of(LabException.class)));
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
