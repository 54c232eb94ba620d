package io.tunnelbox.bench;

import io.tunnelbox.hal.port.PacketBatch;
import io.tunnelbox.l2switch.Transport;
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
 * Learned unicast through the switch pipeline on one thread, one full batch (256 packets) per
 * invocation: LAN -> tunnel (tables 0, 1, 20, encapsulation) and tunnel -> LAN (outer header
 * checks, tables 0, 2, 10, decapsulation). Results are per packet. Run with {@code -prof gc} for
 * bytes allocated per packet.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SwitchBenchmark {
    @Param({"VXLAN", "GRE"})
    public Transport transport;

    @Param({"64", "1400"})
    public int frameSize;

    private SwitchFixture f;

    @Setup
    public void setUp() {
        f = new SwitchFixture(transport, frameSize);
    }

    @Benchmark
    @OperationsPerInvocation(PacketBatch.CAPACITY)
    public long lanToTunnel() {
        f.restoreLan();
        f.sw.processLan(f.fromLan);
        return f.wan.sentPackets;
    }

    @Benchmark
    @OperationsPerInvocation(PacketBatch.CAPACITY)
    public long tunnelToLan() {
        f.restoreWan();
        f.sw.processWan(f.fromWan);
        return f.lan.sentPackets;
    }
}
