package io.tunnelbox.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The side-by-side yardstick ({@code tunnelbox lab --bench}): iperf3 TCP and 64-byte UDP through a
 * plain veth pair, a kernel VXLAN pair, our VXLAN pair and our GRE pair, built in one run on the
 * same kind of namespaces, with the CPU time and resident memory of the TunnelBox processes. It
 * prints a Markdown table for firmware/BENCHMARKS.md. A benchmark, not a test: nothing here passes
 * or fails except a path that carries nothing at all.
 */
final class LabBench {
    static final int SECONDS = 5;
    private final PrintStream out;
    private final ObjectMapper json = new ObjectMapper();

    LabBench(PrintStream out) {
        this.out = out;
    }

    int run() {
        List<BoxProcess> boxes = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        try {
            Files.createDirectories(Lab.WORK_DIR);
            LabTopology.destroy();
            LabTopology t = new LabTopology();
            t.buildGre();
            t.buildVxlanSites();
            t.kernelVtep(false);
            t.buildBenchPairs();
            // The far boxes first; then each near box is started while a host behind it pings a
            // host behind the far one: the first answer is the near box's start time.
            BoxProcess rb = box(boxes, "RB", LabTopology.RB, LabConfigs.router("RB", LabTopology.RB_WAN,
                    "203.0.113.254", "192.168.2.254", LabTopology.RA_WAN, "192.168.1.0/24", "127.0.0.1"));
            String[] v = LabTopology.VTEP;
            BoxProcess s2 = box(boxes, "site2", LabTopology.V2, LabConfigs.vtep("site2", v[1], new String[] {v[0], v[2]}, false, "127.0.0.1"));
            rb.awaitReady(Lab.READY_SECONDS);
            s2.awaitReady(Lab.READY_SECONDS);
            List<String> starts = new ArrayList<>();
            long[] took = new long[1];
            BoxProcess ra = timedStart(took, LabTopology.HOST_A, LabTopology.HOST_B_IP, () -> box(boxes, "RA", LabTopology.RA,
                    LabConfigs.router("RA", LabTopology.RA_WAN, "198.51.100.254", "192.168.1.254", LabTopology.RB_WAN,
                            "192.168.2.0/24", "127.0.0.1")));
            starts.add(startRow("RA (GRE router)", ra, took[0]));
            BoxProcess s1 = timedStart(took, LabTopology.H1, LabTopology.VM[1], () -> box(boxes, "site1", LabTopology.V1,
                    LabConfigs.vtep("site1", v[0], new String[] {v[1], v[2]}, false, "127.0.0.1")));
            starts.add(startRow("site1 (VXLAN VTEP)", s1, took[0]));
            for (BoxProcess b : boxes) {
                b.awaitReady(Lab.READY_SECONDS);
            }
            startRows = starts;
            Ping.run(LabTopology.H1, LabTopology.VM[1], 2);
            Ping.run(LabTopology.HOST_A, LabTopology.HOST_B_IP, 2);
            rows.add(measure("plain veth (no tunnel)", LabTopology.P2, "10.9.0.2", LabTopology.P1, List.of()));
            rows.add(measure("Linux kernel VXLAN pair", LabTopology.K2, "10.8.0.2", LabTopology.K1, List.of()));
            rows.add(measure("TunnelBox VXLAN pair", LabTopology.H2, LabTopology.VM[1], LabTopology.H1, List.of(s1, s2)));
            rows.add(measure("TunnelBox GRE pair (key, seq)", LabTopology.HOST_B, LabTopology.HOST_B_IP, LabTopology.HOST_A, List.of(ra, rb)));
        } catch (IOException | LabException e) {
            out.println("bench failed: " + e.getMessage());
            return 1;
        } finally {
            boxes.forEach(BoxProcess::close);
            LabTopology.destroy();
        }
        out.println();
        out.println("| path | TCP Mbit/s | UDP 64 B kpps received | TunnelBox CPU during TCP (both boxes) | TunnelBox CPU per 64 B packet (UDP run) | TunnelBox RSS (max of the boxes) |");
        out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
        rows.forEach(out::println);
        out.println();
        out.println("| box | from `tunnelbox run` to its ready line | to the first packet forwarded (a ping answered through it) |");
        out.println("| --- | ---: | ---: |");
        startRows.forEach(out::println);
        return 0;
    }

    private List<String> startRows = List.of();

    interface BoxStart {
        BoxProcess start() throws IOException;
    }

    /**
     * Starts a box while {@code fromNs} pings {@code target} through it every 10 ms; {@code took[0]}
     * gets the milliseconds from the box's start to the first answer (-1: none within 60 s). The
     * answers are read from ping's output as they come: a failed neighbour lookup before the box
     * is up is an error line, not the end.
     */
    private static BoxProcess timedStart(long[] took, String fromNs, String target, BoxStart start) throws IOException {
        Process ping = new ProcessBuilder(HostCommand.inNs(fromNs, "ping", "-n", "-i", "0.01", "-w", "60", target))
                .redirectErrorStream(true).start();
        java.util.concurrent.atomic.AtomicLong answered = new java.util.concurrent.atomic.AtomicLong(-1);
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(ping.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.contains("bytes from") && answered.get() < 0) {
                        answered.set(System.nanoTime());
                        ping.destroy();
                    }
                }
            } catch (IOException e) {
                // ping ended
            }
        });
        try {
            Thread.sleep(200); // ping is sending (into nothing) before the box starts
            long t0 = System.nanoTime();
            BoxProcess box = start.start();
            while (true) {
                boolean ready = box.isReady(); // notes when the ready line appears
                boolean pingDone = answered.get() >= 0 || !ping.isAlive();
                if ((pingDone && ready) || !box.isAlive() || System.nanoTime() - t0 > 65_000_000_000L) {
                    break;
                }
                Thread.sleep(10);
            }
            reader.join(1000);
            long at = answered.get();
            took[0] = at < 0 ? -1 : (at - t0) / 1_000_000;
            return box;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while timing a box's start");
        } finally {
            ping.destroyForcibly();
        }
    }

    private static String startRow(String name, BoxProcess box, long firstPacketMillis) {
        box.awaitReady(Lab.READY_SECONDS);
        long ready = box.readyMillis();
        return String.format("| %s | %s | %s |", name, ready < 0 ? "-" : String.format("%.2f s", ready / 1000.0),
                firstPacketMillis < 0 ? "no answer in 60 s" : String.format("%.2f s", firstPacketMillis / 1000.0));
    }

    private BoxProcess box(List<BoxProcess> boxes, String name, String ns, String config) throws IOException {
        Path file = Lab.WORK_DIR.resolve(name + ".json");
        Files.writeString(file, config);
        Path state = Lab.WORK_DIR.resolve("bench-" + name);
        if (Files.exists(state.resolve("config/config.json"))) {
            Files.delete(state.resolve("config/config.json"));
        }
        BoxProcess b = BoxProcess.start(name, ns, file, state, Lab.WORK_DIR.resolve(name + ".log"));
        boxes.add(b);
        return b;
    }

    private String measure(String path, String serverNs, String serverIp, String clientNs, List<BoxProcess> boxes) {
        long cpuBefore = cpuTicks(boxes);
        long sysBefore = sysTicks(boxes);
        long t0 = System.nanoTime();
        double tcp = iperf(serverNs, serverIp, clientNs, false);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long cpu = cpuTicks(boxes) - cpuBefore;
        long sys = sysTicks(boxes) - sysBefore;
        long udpCpuBefore = cpuTicks(boxes);
        long t1 = System.nanoTime();
        double udpKpps = iperf(serverNs, serverIp, clientNs, true);
        double udpSeconds = (System.nanoTime() - t1) / 1e9;
        long udpCpu = cpuTicks(boxes) - udpCpuBefore;
        long rss = boxes.stream().mapToLong(b -> rssKb(b.pid())).max().orElse(0);
        double cores = cpu / 100.0 / seconds;
        // CPU per unit of work, which a busy shared machine distorts less than the rates: core
        // seconds per Gbit moved (both boxes), and CPU microseconds per 64-byte packet received.
        String cpuText = boxes.isEmpty() ? "-" : String.format("%.0f%% of one core, %.0f%% of it in the kernel (%.2f core-s per Gbit)",
                100.0 * cores, cpu == 0 ? 0 : 100.0 * sys / cpu, tcp <= 0 ? 0 : cores / (tcp / 1000.0));
        String udpCpuText = boxes.isEmpty() || udpKpps <= 0 ? "-" : String.format("%.1f us",
                udpCpu / 100.0 / udpSeconds / (udpKpps * 1000.0) * 1e6);
        String row = String.format("| %s | %.0f | %.1f | %s | %s | %s |", path, tcp, udpKpps, cpuText, udpCpuText,
                boxes.isEmpty() ? "-" : (rss / 1024) + " MB");
        out.println(row);
        return row;
    }

    /** TCP: receiver Mbit/s; UDP (64-byte datagrams, unlimited rate): thousands of packets/s received. */
    private double iperf(String serverNs, String serverIp, String clientNs, boolean udp) {
        Process server = null;
        try {
            server = new ProcessBuilder(HostCommand.inNs(serverNs, "iperf3", "-s", "-1", "-p", "5202"))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Thread.sleep(300);
            List<String> cmd = new ArrayList<>(HostCommand.inNs(clientNs, "iperf3", "-c", serverIp, "-p", "5202",
                    "-t", String.valueOf(SECONDS), "-J"));
            if (udp) {
                cmd.addAll(List.of("-u", "-l", "64", "-b", "0"));
            }
            HostCommand.Result r = HostCommand.attempt(cmd);
            JsonNode end = json.readTree(r.output()).path("end");
            if (udp) {
                JsonNode sum = end.path("sum");
                double received = sum.path("packets").asDouble() - sum.path("lost_packets").asDouble();
                return received / Math.max(0.001, sum.path("seconds").asDouble()) / 1000.0;
            }
            return end.path("sum_received").path("bits_per_second").asDouble() / 1e6;
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } finally {
            if (server != null) {
                server.destroyForcibly();
            }
        }
    }

    /** utime + stime of the boxes, in clock ticks (USER_HZ, 100 on Linux). */
    private static long cpuTicks(List<BoxProcess> boxes) {
        return ticks(boxes, true);
    }

    /** stime (system calls and the kernel work they do) of the boxes, in clock ticks. */
    private static long sysTicks(List<BoxProcess> boxes) {
        return ticks(boxes, false);
    }

    private static long ticks(List<BoxProcess> boxes, boolean withUser) {
        long sum = 0;
        for (BoxProcess b : boxes) {
            try {
                String stat = Files.readString(Path.of("/proc", String.valueOf(b.pid()), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                sum += (withUser ? Long.parseLong(f[11]) : 0) + Long.parseLong(f[12]);
            } catch (IOException | RuntimeException e) {
                // the box is gone: its share counts as zero
            }
        }
        return sum;
    }

    private static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
