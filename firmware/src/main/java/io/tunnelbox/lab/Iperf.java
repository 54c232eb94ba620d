package io.tunnelbox.lab;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One iperf3 TCP run between two lab namespaces (Debian's iperf3 as the independent peer). */
record Iperf(boolean ok, double mbitsPerSecond, String detail) {
    private static final Pattern RECEIVER =
            Pattern.compile("([\\d.]+) ([KMG])bits/sec\\s+(?:\\d+\\s+)?receiver");

    /**
     * Runs a client in {@code clientNs} against a one-shot server in {@code serverNs}; with
     * {@code reverse} the server sends (iperf3 -R), so both directions of a tunnel are measured.
     */
    static Iperf tcp(String serverNs, String serverIp, String clientNs, boolean reverse, int seconds) {
        Process server;
        try {
            server = new ProcessBuilder(HostCommand.inNs(serverNs, "iperf3", "-s", "-1", "-p", "5201"))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            return new Iperf(false, 0, "cannot start iperf3: " + e.getMessage());
        }
        try {
            Thread.sleep(300);
            List<String> cmd = new java.util.ArrayList<>(HostCommand.inNs(clientNs, "iperf3", "-c", serverIp,
                    "-p", "5201", "-t", String.valueOf(seconds), "-f", "m", "--connect-timeout", "3000"));
            if (reverse) {
                // The client receives: a stalled transfer must end instead of waiting for ever.
                cmd.addAll(List.of("-R", "--rcv-timeout", "5000"));
            }
            HostCommand.Result r = HostCommand.attempt(cmd);
            Matcher m = RECEIVER.matcher(r.output());
            if (!r.ok() || !m.find()) {
                return new Iperf(false, 0, r.output().strip().lines().reduce((a, b) -> b).orElse("no output"));
            }
            double value = Double.parseDouble(m.group(1)) * switch (m.group(2)) {
                case "K" -> 0.001;
                case "G" -> 1000;
                default -> 1;
            };
            return new Iperf(value > 0, value, String.format("%.0f Mbit/s", value));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Iperf(false, 0, "interrupted");
        } finally {
            server.destroy();
            try {
                server.waitFor(3, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server.destroyForcibly();
        }
    }
}
