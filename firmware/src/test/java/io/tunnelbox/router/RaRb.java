package io.tunnelbox.router;

import static io.tunnelbox.router.TestPackets.ip;

import io.tunnelbox.engine.SimNetwork;
import io.tunnelbox.hal.port.PacketPort.Layer;
import io.tunnelbox.hal.port.memory.MemoryPort;
import io.tunnelbox.hal.port.memory.MemoryWan;
import io.tunnelbox.hal.time.ManualClock;
import io.tunnelbox.packet.Ipv4Prefix;
import java.util.function.UnaryOperator;

/**
 * The seed's RA/RB topology in memory, with documentation addresses on the WAN: host A
 * 192.168.1.1 behind RA (198.51.100.1), host B 192.168.2.1 behind RB (203.0.113.1).
 */
final class RaRb {
    static final int RA = ip("198.51.100.1");
    static final int RB = ip("203.0.113.1");
    static final int HOST_A = ip("192.168.1.1");
    static final int HOST_B = ip("192.168.2.1");
    static final int RA_LAN = ip("192.168.1.254");
    static final int RB_LAN = ip("192.168.2.254");

    final ManualClock clock = new ManualClock();
    final SimNetwork net = new SimNetwork(clock);
    final MemoryWan wan = new MemoryWan();
    final MemoryPort raWan;
    final MemoryPort rbWan;
    final MemoryPort hostA = new MemoryPort("hostA", Layer.IP, 1500);
    final MemoryPort hostB = new MemoryPort("hostB", Layer.IP, 1500);
    final RouterDatapath ra;
    final RouterDatapath rb;

    RaRb() {
        this(1500, s -> s);
    }

    /** {@code tweak} adjusts both tunnel specs alike (keys, sequence numbers, keepalives...). */
    RaRb(int wanMtu, UnaryOperator<GreTunnelSpec> tweak) {
        raWan = wan.attach("ra-wan", RA, wanMtu);
        rbWan = wan.attach("rb-wan", RB, wanMtu);
        MemoryPort raLan = new MemoryPort("ra-lan", Layer.IP, 1500);
        MemoryPort rbLan = new MemoryPort("rb-lan", Layer.IP, 1500);
        MemoryPort.wire(hostA, raLan);
        MemoryPort.wire(hostB, rbLan);
        ra = new RouterDatapath("RA", raLan, raWan, clock);
        rb = new RouterDatapath("RB", rbLan, rbWan, clock);
        ra.addTunnel(tweak.apply(GreTunnelSpec.of("tun0", RA, RB)));
        rb.addTunnel(tweak.apply(GreTunnelSpec.of("tun0", RB, RA)));
        ra.addRoute(Ipv4Prefix.parse("192.168.2.0/24"), "tun0");
        rb.addRoute(Ipv4Prefix.parse("192.168.1.0/24"), "tun0");
        ra.setLanAddress(RA_LAN);
        rb.setLanAddress(RB_LAN);
        net.add(ra).add(rb);
        net.settle();
    }

    Tunnel raTunnel() {
        return ra.tunnel("tun0").orElseThrow();
    }

    Tunnel rbTunnel() {
        return rb.tunnel("tun0").orElseThrow();
    }
}
