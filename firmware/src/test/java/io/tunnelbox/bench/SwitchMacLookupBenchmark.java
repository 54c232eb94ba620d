package io.tunnelbox.bench;

import io.tunnelbox.mac.MacTable;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * MAC table lookups of present entries in random order, with 1 000 and 100 000 entries in a table
 * sized for 100 000: the cost per lookup must not grow with the number of entries.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SwitchMacLookupBenchmark {
    static final int LOOKUPS = 4096;

    @Param({"1000", "100000"})
    public int entries;

    private MacTable table;
    private final int[] segment = new int[LOOKUPS];
    private final long[] mac = new long[LOOKUPS];

    @Setup
    public void setUp() {
        table = new MacTable(100_000, 7);
        SplittableRandom rnd = new SplittableRandom(3);
        int[] segs = new int[entries];
        long[] macs = new long[entries];
        int n = 0;
        while (n < entries) {
            segs[n] = rnd.nextInt(16);
            macs[n] = rnd.nextLong() & 0xFEFF_FFFF_FFFFL;
            if (table.learn(segs[n], macs[n], 2, 0x0A000002, 0) == MacTable.LEARNED) {
                n++;
            }
        }
        for (int i = 0; i < LOOKUPS; i++) {
            int k = rnd.nextInt(entries);
            segment[i] = segs[k];
            mac[i] = macs[k];
        }
    }

    @Benchmark
    @OperationsPerInvocation(LOOKUPS)
    public long lookup() {
        long sum = 0;
        for (int i = 0; i < LOOKUPS; i++) {
            sum += table.remote(table.lookup(segment[i], mac[i], 1));
        }
        return sum;
    }
}
