package io.tunnelbox.bench;

import io.tunnelbox.hal.port.PacketBatch;
import io.tunnelbox.l2switch.Transport;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * CPU time per packet of the switch pipeline, from the thread's own CPU clock rather than the wall
 * clock: on a machine shared with other builds (where JMH's packets per second mostly measures the
 * scheduler) this still says what one core does. Warms up, then reports the best of five runs of
 * 20 000 batches per case, as packets per CPU-second; then MAC lookups at 1 000 and 100 000 entries,
 * and how long each doubling of the MAC table takes on the way to 100 000 entries (the pause the
 * packet behind it sees; wall clock, best of five tables).
 *
 * <p>Run: {@code java -cp <test class path> io.tunnelbox.bench.SwitchCpuTime}
 */
public final class SwitchCpuTime {
    private SwitchCpuTime() {
    }

    public static void main(String[] args) {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        System.out.printf("%-12s %-6s %6s %14s %12s%n", "direction", "transp", "size", "ns CPU/packet", "Mpps/core");
        for (Transport t : Transport.values()) {
            for (int size : new int[] {64, 1400}) {
                SwitchFixture f = new SwitchFixture(t, size);
                for (int direction = 0; direction < 2; direction++) {
                    double best = Double.MAX_VALUE;
                    for (int run = 0; run < 8; run++) {
                        long cpu = bean.getCurrentThreadCpuTime();
                        int batches = 20_000;
                        for (int b = 0; b < batches; b++) {
                            if (direction == 0) {
                                f.restoreLan();
                                f.sw.processLan(f.fromLan);
                            } else {
                                f.restoreWan();
                                f.sw.processWan(f.fromWan);
                            }
                        }
                        double ns = (bean.getCurrentThreadCpuTime() - cpu) / (double) batches / PacketBatch.CAPACITY;
                        if (run >= 3) {
                            best = Math.min(best, ns);
                        }
                    }
                    System.out.printf("%-12s %-6s %6d %14.1f %12.2f%n", direction == 0 ? "lanToTunnel" : "tunnelToLan",
                            t, size, best, 1000.0 / best);
                }
            }
        }
        System.out.printf("%n%-12s %14s%n", "MAC entries", "ns CPU/lookup");
        for (int entries : new int[] {1000, 100_000}) {
            SwitchMacLookupBenchmark lookups = new SwitchMacLookupBenchmark();
            lookups.entries = entries;
            lookups.setUp();
            double best = Double.MAX_VALUE;
            long sink = 0;
            for (int run = 0; run < 8; run++) {
                long cpu = bean.getCurrentThreadCpuTime();
                int rounds = 5_000;
                for (int r = 0; r < rounds; r++) {
                    sink += lookups.lookup();
                }
                double ns = (bean.getCurrentThreadCpuTime() - cpu) / (double) rounds / SwitchMacLookupBenchmark.LOOKUPS;
                if (run >= 3) {
                    best = Math.min(best, ns);
                }
            }
            System.out.printf("%-12d %14.1f%s%n", entries, best, sink == 42 ? " " : "");
        }
        growth();
    }

    private static void growth() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        java.util.TreeMap<Integer, Long> best = new java.util.TreeMap<>();
        for (int run = 0; run < 8; run++) {
            io.tunnelbox.mac.MacTable t = new io.tunnelbox.mac.MacTable(100_000, run);
            int resizes = 0;
            while (t.size() < 100_000) {
                t.learn(rnd.nextInt(8), rnd.nextLong() & 0xFEFF_FFFF_FFFFL, 2, 0, 0);
                if (t.resizes() != resizes && run >= 3) {
                    best.merge(t.size() - 1, t.lastResizeNanos(), Math::min);
                }
                resizes = t.resizes();
            }
        }
        System.out.printf("%n%-14s %-14s %14s%n", "entries moved", "slots after", "us per rehash");
        best.forEach((entries, nanos) -> System.out.printf("%-14d %-14d %14.0f%n", entries,
                Integer.highestOneBit(entries) << 2, nanos / 1000.0));
    }
}
