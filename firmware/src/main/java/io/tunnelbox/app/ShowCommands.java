package io.tunnelbox.app;

import io.tunnelbox.config.ConfigJson;
import io.tunnelbox.config.ConfigService;
import io.tunnelbox.pipeline.SwitchDatapath;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Answers the read-only {@code show} commands of the control socket from the running box. */
final class ShowCommands {
    private final ConfigService config;
    private final DatapathApplier dataplane;

    ShowCommands(ConfigService config, DatapathApplier dataplane) {
        this.config = config;
        this.dataplane = dataplane;
    }

    String answer(String command) {
        String c = command.strip().replaceAll("\\s+", " ");
        return switch (c) {
            case "show version" -> new Version().getVersion()[0];
            case "show tunnels" -> tunnels();
            case "show routes" -> dataplane.router() == null ? "no routes into tunnels"
                    : String.join("\n", dataplane.router().routes());
            case "show flows" -> onSwitch(true);
            case "show mac" -> onSwitch(false);
            case "show config" -> ConfigJson.toText(config.running());
            case "show firewall" -> dataplane.firewall().show();
            default -> "unknown command '" + c + "'; try: show version|tunnels|routes|flows|mac|config|firewall";
        };
    }

    /**
     * The router's tunnels; while they cannot carry traffic (no WAN address yet, a deleted device)
     * the reason comes first, and configured tunnels that wait are listed with it.
     */
    private String tunnels() {
        String hold = dataplane.holdReason();
        String repair = dataplane.lastRepair();
        StringBuilder sb = new StringBuilder();
        if (hold != null) {
            sb.append("Tunnels are down: ").append(hold).append('\n');
        }
        if (repair != null) {
            sb.append("Last repair: ").append(repair).append('\n');
        }
        if (dataplane.router() != null) {
            return sb + dataplane.router().showTunnels();
        }
        if (config.running().tunnels().isEmpty()) {
            return sb + "no GRE tunnels configured";
        }
        for (var t : config.running().tunnels()) {
            sb.append("Tunnel ").append(t.name()).append(" is down (").append(hold != null ? hold : "not running")
                    .append(")\n");
        }
        return sb.toString();
    }

    /** The switch's tables belong to its thread: ask it to dump them at its next poll. */
    private String onSwitch(boolean flows) {
        SwitchDatapath sw = dataplane.switchDatapath();
        if (sw == null) {
            return "no L2 segments configured";
        }
        try {
            return sw.onDatapathThread(flows ? sw::dumpFlows : sw::dumpMacs).get(2, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return "error: the switch datapath did not answer within 2 s";
        } catch (ExecutionException e) {
            return "error: " + e.getCause().getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "error: interrupted";
        }
    }
}
