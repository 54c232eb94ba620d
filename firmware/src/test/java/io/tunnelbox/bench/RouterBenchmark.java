package io.tunnelbox.bench;

import io.tunnelbox.hal.port.PacketBatch;
import io.tunnelbox.hal.time.ManualClock;
import io.tunnelbox.packet.EtherType;
import io.tunnelbox.packet.Gre;
import io.tunnelbox.packet.IpProtocol;
import io.tunnelbox.packet.Ipv4;
import io.tunnelbox.packet.Ipv4Prefix;
import io.tunnelbox.packet.Wire;
import io.tunnelbox.router.GreTunnelSpec;
import io.tunnelbox.router.ReplayPort;
import io.tunnelbox.router.RouterDatapath;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * The GRE router path on one thread: a batch of 256 inner IPv4 packets from the LAN encapsulated
 * (route lookup, TTL, MSS check, GRE and delivery headers into the headroom) and a batch of 256
 * delivery packets from the WAN validated and decapsulated. One operation is one packet, so the
 * score is packets per second and {@code -prof gc}'s {@code gc.alloc.rate.norm} is bytes per packet.
 * The ports replay one packet into each slot (a NIC's DMA): that copy is part of the figure.
 *
 * <p>Run: see firmware/BENCHMARKS.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RouterBenchmark {
    static final int RA = io.tunnelbox.packet.Ipv4Address.parse("198.51.100.1");
    static final int RB = io.tunnelbox.packet.Ipv4Address.parse("203.0.113.1");
    static final int HOST_A = io.tunnelbox.packet.Ipv4Address.parse("192.168.1.1");
    static final int HOST_B = io.tunnelbox.packet.Ipv4Address.parse("192.168.2.1");

    /** Inner IPv4 packet size in bytes. */
    @Param({"64", "1400"})
    public int size;

    /** "plain": no GRE options; "key": a key, as most site-to-site setups; "all": key, sequence, checksum. */
    @Param({"plain", "key", "all"})
    public String options;

    private RouterDatapath encap;
    private RouterDatapath decap;

    private GreTunnelSpec spec(int local, int remote, boolean receiving) {
        GreTunnelSpec s = GreTunnelSpec.of("tun0", local, remote);
        return switch (options) {
            case "key" -> s.withKey(5000);
            // a replayed packet repeats its sequence number, so the receiving side checks none
            case "all" -> s.withKey(5000).withChecksum(true).withSequence(!receiving);
            default -> s;
        };
    }

    private static byte[] udp(int src, int dst, int total) {
        byte[] p = new byte[total];
        MemorySegment s = MemorySegment.ofArray(p);
        Ipv4.write(s, 0, 0, total, 1, Ipv4.DF, 64, IpProtocol.UDP, src, dst);
        Wire.put16(s, Ipv4.HEADER + 4, total - Ipv4.HEADER); // UDP length; checksum 0 = none (IPv4)
        return p;
    }

    @Setup(Level.Trial)
    public void setUp() {
        byte[] inner = udp(HOST_A, HOST_B, size);
        ReplayPort lanIn = new ReplayPort("lan", 1500, inner, PacketBatch.CAPACITY);
        ReplayPort wanOut = new ReplayPort("wan", 1500, new byte[0], 0);
        encap = new RouterDatapath("RA", lanIn, wanOut, new ManualClock());
        encap.addTunnel(spec(RA, RB, false));
        encap.addRoute(Ipv4Prefix.parse("192.168.2.0/24"), "tun0");

        byte[] back = udp(HOST_B, HOST_A, size);
        GreTunnelSpec peer = spec(RB, RA, false);
        byte[] delivery = delivery(RB, RA, peer.sendFlags(), back);
        ReplayPort wanIn = new ReplayPort("wan", 1500, delivery, PacketBatch.CAPACITY);
        ReplayPort lanOut = new ReplayPort("lan", 1500, new byte[0], 0);
        decap = new RouterDatapath("RA", lanOut, wanIn, new ManualClock());
        decap.addTunnel(spec(RA, RB, true));
        decap.addRoute(Ipv4Prefix.parse("192.168.2.0/24"), "tun0");
        encap.poll();
        decap.poll();
        if (encap.drops().total() + decap.drops().total() != 0) {
            throw new IllegalStateException("benchmark packets are dropped: " + encap.drops().snapshot()
                    + decap.drops().snapshot());
        }
    }

    private static byte[] delivery(int src, int dst, int flags, byte[] inner) {
        int greLen = Gre.headerLength(flags);
        byte[] p = new byte[20 + greLen + inner.length];
        MemorySegment s = MemorySegment.ofArray(p);
        System.arraycopy(inner, 0, p, 20 + greLen, inner.length);
        Gre.write(s, 20, flags, EtherType.IPV4, 5000, 0);
        if ((flags & Gre.C) != 0) {
            Gre.fillChecksum(s, 20, greLen + inner.length);
        }
        Ipv4.write(s, 0, 0, p.length, 1, Ipv4.DF, 64, IpProtocol.GRE, src, dst);
        return p;
    }

    @Benchmark
    @OperationsPerInvocation(PacketBatch.CAPACITY)
    public int encapsulate() {
        return encap.poll();
    }

    @Benchmark
    @OperationsPerInvocation(PacketBatch.CAPACITY)
    public int decapsulate() {
        return decap.poll();
    }
}
