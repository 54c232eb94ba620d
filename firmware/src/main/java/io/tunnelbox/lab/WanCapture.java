package io.tunnelbox.lab;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Records what crosses one WAN interface of the lab with tshark (a decoder that is not ours), and
 * afterwards has tshark dissect the capture: one line per delivery packet, and whether tshark found
 * anything malformed.
 */
final class WanCapture implements AutoCloseable {
    private final Process process;
    private final Path file;

    private WanCapture(Process process, Path file) {
        this.process = process;
        this.file = file;
    }

    /** Starts capturing {@code filter} traffic (a pcap filter such as "ip proto 47") on {@code dev}. */
    static WanCapture start(String namespace, String dev, String filter, Path file) {
        List<String> cmd = HostCommand.inNs(namespace, "tshark", "-q", "-n", "-i", dev, "-f", filter,
                "-w", file.toString());
        try {
            Path log = file.resolveSibling(file.getFileName() + ".log");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            WanCapture c = new WanCapture(p, file);
            c.awaitStarted(log);
            return c;
        } catch (IOException e) {
            throw new LabException("cannot start tshark: " + e.getMessage());
        }
    }

    /** tshark sees packets only once it says "Capturing on ..."; wait for that (bounded). */
    private void awaitStarted(Path log) {
        for (int i = 0; i < 200; i++) {
            try {
                if (java.nio.file.Files.readString(log).contains("Capturing on")) {
                    sleep(200);
                    return;
                }
            } catch (IOException e) {
                // not written yet
            }
            sleep(50);
        }
    }

    /** Stops capturing and returns tshark's dissection of {@code fields} for each packet. */
    List<String> stopAndDissect(String displayFilter, String... fields) {
        close();
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString(), "-Y",
                displayFilter, "-T", "fields", "-E", "separator=/s"));
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        HostCommand.Result r = HostCommand.attempt(cmd);
        if (!r.ok()) {
            throw new LabException("tshark could not read " + file + ": " + r.output().strip());
        }
        return packetLines(r.output());
    }

    /** Number of packets tshark flags as malformed or with an error-level expert note. */
    int malformed() {
        HostCommand.Result r = HostCommand.attempt(List.of("tshark", "-n", "-r", file.toString(), "-Y",
                "_ws.malformed || _ws.expert.severity == error"));
        return packetLines(r.output()).size();
    }

    /** tshark's output without its "Running as user root" warning (it writes it when run as root). */
    private static List<String> packetLines(String output) {
        return output.lines().filter(l -> !l.isBlank() && !l.startsWith("Running as user")).toList();
    }

    Path file() {
        return file;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process.destroyForcibly();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
