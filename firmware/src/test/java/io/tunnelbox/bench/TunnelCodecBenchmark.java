package io.tunnelbox.bench;

import io.tunnelbox.packet.EtherType;
import io.tunnelbox.packet.Decapsulation;
import io.tunnelbox.packet.Encapsulation;
import io.tunnelbox.packet.Ethernet;
import io.tunnelbox.packet.FlowHash;
import io.tunnelbox.packet.Gre;
import io.tunnelbox.packet.IpProtocol;
import io.tunnelbox.packet.Ipv4;
import io.tunnelbox.packet.Udp;
import io.tunnelbox.packet.Vxlan;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-packet header work of a tunnel endpoint: GRE and VXLAN over IPv4, encapsulation (headers
 * written into the headroom in front of an inner frame that is never copied) and decapsulation (every
 * outer header validated, checksums included). Run with firmware/bin/bench; figures in BENCHMARKS.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class TunnelCodecBenchmark {
    static final int HEADROOM = 128;
    static final int SITE_A = 0xCB007101;
    static final int SITE_B = 0xC6336401;

    /** Inner Ethernet frame length in bytes. */
    @Param({"64", "1400"})
    int frameSize;

    private Arena arena;
    /** Inner frame after headroom, encapsulated in place by the encap benchmarks. */
    private MemorySegment frame;
    private MemorySegment greDelivery;
    private MemorySegment vxlanDelivery;
    private long greOuter;
    private long vxlanOuter;
    private int sequence;

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofConfined();
        frame = arena.allocate(HEADROOM + frameSize, 64);
        writeFrame(frame);
        greDelivery = arena.allocate(HEADROOM + frameSize, 64);
        writeFrame(greDelivery);
        greOuter = Encapsulation.greIpv4(greDelivery, HEADROOM, frameSize, Gre.K, EtherType.TEB, 5000, 0,
                SITE_A, SITE_B, 0, 64, 1, Ipv4.DF);
        vxlanDelivery = arena.allocate(HEADROOM + frameSize, 64);
        writeFrame(vxlanDelivery);
        vxlanOuter = Encapsulation.vxlanIpv4(vxlanDelivery, HEADROOM, frameSize, 5000, 50000, Vxlan.PORT,
                SITE_A, SITE_B, 0, 64, 1, Ipv4.DF);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    private void writeFrame(MemorySegment seg) {
        int ipLen = frameSize - Ethernet.HEADER;
        Ethernet.write(seg, HEADROOM, 0x0200_0000_0002L, 0x0200_0000_0001L, EtherType.IPV4);
        long ip = HEADROOM + Ethernet.HEADER;
        Ipv4.write(seg, ip, 0, ipLen, 7, Ipv4.DF, 64, IpProtocol.UDP, 0x0a000001, 0x0a000002);
        Udp.write(seg, ip + Ipv4.HEADER, 1000, 2000, ipLen - Ipv4.HEADER, 0);
    }

    /** GRE with key and sequence number (L2 over GRE, 0x6558), as a tunnel port sends it. */
    @Benchmark
    public long greEncap() {
        return Encapsulation.greIpv4(frame, HEADROOM, frameSize, Gre.K | Gre.S, EtherType.TEB, 5000, sequence++,
                SITE_A, SITE_B, 0, 64, 0, Ipv4.DF);
    }

    /** Validates outer IPv4 (with checksum) and GRE; returns where the inner frame starts. */
    @Benchmark
    public long greDecap() {
        return Decapsulation.greIpv4Payload(greDelivery, greOuter, HEADROOM + frameSize - greOuter);
    }

    /** VXLAN including the flow hash of the inner frame for the UDP source port. */
    @Benchmark
    public long vxlanEncap() {
        int port = Vxlan.sourcePort(FlowHash.of(frame, HEADROOM, frameSize));
        return Encapsulation.vxlanIpv4(frame, HEADROOM, frameSize, 5000, port, Vxlan.PORT,
                SITE_A, SITE_B, 0, 64, 0, Ipv4.DF);
    }

    /** Validates outer IPv4 (with checksum), UDP (zero checksum) and VXLAN; returns the inner frame offset. */
    @Benchmark
    public long vxlanDecap() {
        return Decapsulation.vxlanIpv4Payload(vxlanDelivery, vxlanOuter, HEADROOM + frameSize - vxlanOuter, Vxlan.PORT);
    }
}
