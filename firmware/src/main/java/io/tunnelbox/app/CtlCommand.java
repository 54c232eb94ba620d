package io.tunnelbox.app;

import io.tunnelbox.control.ControlClient;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "ctl", mixinStandardHelpOptions = true, description = {
        "Ask a box running on this machine a question, the way its console would answer it,",
        "for example: tunnelbox ctl show tunnels. Needs root (the box's control socket is root-only)."})
final class CtlCommand implements Callable<Integer> {
    @Option(names = "--state-dir", defaultValue = "/var/lib/tunnelbox",
            description = "The box's state directory (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Parameters(arity = "1..*", description = "The command, e.g. show tunnels | routes | flows | mac | config")
    List<String> words;

    @Override
    public Integer call() throws Exception {
        String answer = ControlClient.ask(stateDir, String.join(" ", words));
        System.out.print(answer);
        return answer.startsWith("error:") || answer.startsWith("unknown command") ? 1 : 0;
    }
}
