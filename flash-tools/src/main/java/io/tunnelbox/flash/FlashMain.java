package io.tunnelbox.flash;

import io.tunnelbox.app.CommandFailures;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tunnelbox-flash}: one command with a subcommand per job. */
@Command(name = "tunnelbox-flash", mixinStandardHelpOptions = true, versionProvider = io.tunnelbox.app.Version.class,
        description = "Build, sign, check, install and push TunnelBox firmware bundles; make and write card images; open a box's serial console.",
        subcommands = {KeygenCommand.class, BundleCommand.class, VerifyCommand.class, InstallCommand.class, ImageCommand.class, WriteCommand.class, DebCommand.class, PushCommand.class, ConsoleCommand.class})
public final class FlashMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (tests call this). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new FlashMain());
        cl.setExecutionExceptionHandler(new CommandFailures("tunnelbox-flash", List.of(FlashException.class)));
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
