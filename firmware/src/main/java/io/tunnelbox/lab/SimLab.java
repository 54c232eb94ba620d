package io.tunnelbox.lab;

import io.tunnelbox.engine.SimNetwork;
import io.tunnelbox.hal.port.PacketPort.Layer;
import io.tunnelbox.hal.port.memory.MemoryPort;
import io.tunnelbox.hal.port.memory.MemoryWan;
import io.tunnelbox.hal.time.ManualClock;
import io.tunnelbox.l2switch.SegmentSpec;
import io.tunnelbox.l2switch.SwitchDatapath;
import io.tunnelbox.l2switch.Transport;
import io.tunnelbox.packet.Ipv4Address;
import io.tunnelbox.packet.Ipv4Prefix;
import io.tunnelbox.router.GreTunnelSpec;
import io.tunnelbox.router.RouterDatapath;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The lab without root: the same scenarios on the in-memory {@code sim} board, on virtual time.
 * Real datapaths and real packet bytes, but ports, cables and the WAN are in memory, and the third
 * VXLAN site is a TunnelBox too (there is no kernel to borrow a VTEP from).
 */
final class SimLab {
    private final PrintStream out;
    private final List<String> failures = new ArrayList<>();
    private int passes;

    SimLab(PrintStream out) {
        this.out = out;
    }

    int run() {
        gre();
        out.println();
        vxlan();
        out.println();
        if (failures.isEmpty()) {
            out.println("SIM LAB PASSED: " + passes + " checks, in memory (run as root for the real lab)");
            return 0;
        }
        out.println("SIM LAB FAILED: " + failures.size() + " of " + (passes + failures.size())
                + " checks; first: " + failures.getFirst());
        return 1;
    }

    /** The seed's RA/RB on memory ports: host A pings host B through a GRE tunnel with key 0x1388. */
    private void gre() {
        out.println("== GRE site-to-site: host A 192.168.1.1 -- RA 198.51.100.1 == WAN == RB 203.0.113.1 -- host B 192.168.2.1 (in memory)");
        ManualClock clock = new ManualClock();
        MemoryWan wan = new MemoryWan();
        SimNetwork net = new SimNetwork(clock);
        int ra = Ipv4Address.parse(LabTopology.RA_WAN);
        int rb = Ipv4Address.parse(LabTopology.RB_WAN);
        SimHost hostA = router(net, wan, clock, "RA", ra, rb, "192.168.1.254", "192.168.2.0/24", "hA", LabTopology.HOST_A_IP);
        SimHost hostB = router(net, wan, clock, "RB", rb, ra, "192.168.2.254", "192.168.1.0/24", "hB", LabTopology.HOST_B_IP);
        net.settle();
        wan.clearCaptured();
        hostA.ping(Ipv4Address.parse(LabTopology.HOST_B_IP), 3);
        net.settle();
        expect("ping 192.168.1.1 -> 192.168.2.1 through RA and RB: 3 of 3 answered", hostA.echoRepliesReceived() == 3);
        List<byte[]> seen = wan.captured();
        out.println("WAN (decoded by TunnelBox's own codecs):");
        seen.forEach(p -> out.println("  " + DeliveryPacketText.describe(p)));
        expect("the WAN carried exactly six delivery packets (three requests, three replies), GRE key 0x1388",
                seen.size() == 6 && seen.stream().allMatch(p -> DeliveryPacketText.describe(p).contains("GRE key 0x1388")));
        hostB.ping(Ipv4Address.parse(LabTopology.HOST_A_IP), 2);
        net.settle();
        expect("ping 192.168.2.1 -> 192.168.1.1: 2 of 2 answered", hostB.echoRepliesReceived() == 2);
    }

    private SimHost router(SimNetwork net, MemoryWan wan, ManualClock clock, String name, int local, int remote,
            String lanAddress, String remoteLan, String hostName, String hostIp) {
        MemoryPort wanPort = wan.attach(name + "-wan", local, 1500);
        MemoryPort lan = new MemoryPort(name + "-lan", Layer.IP, 1500);
        MemoryPort hostEnd = new MemoryPort(hostName, Layer.IP, 1500);
        MemoryPort.wire(lan, hostEnd);
        RouterDatapath router = new RouterDatapath(name, lan, wanPort, clock);
        router.setLanAddress(Ipv4Address.parse(lanAddress));
        router.addTunnel(GreTunnelSpec.of("gre1", local, remote).withKey(LabConfigs.GRE_KEY).withSequence(true));
        router.addRoute(Ipv4Prefix.parse(remoteLan), "gre1");
        SimHost host = new SimHost(hostName, hostEnd, 0, List.of(Ipv4Address.parse(hostIp)));
        net.add(router).add(host);
        return host;
    }

    private void vxlan() {
        out.println("== VXLAN VNI " + LabTopology.VNI + ", head-end replication, three TunnelBox sites (in memory)");
        ManualClock clock = new ManualClock();
        MemoryWan wan = new MemoryWan();
        SimNetwork net = new SimNetwork(clock);
        List<SwitchDatapath> sites = new ArrayList<>();
        List<SimHost> hosts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int vtep = Ipv4Address.parse(LabTopology.VTEP[i]);
            MemoryPort wanPort = wan.attach("site" + (i + 1) + "-wan", vtep, 1500);
            MemoryPort lan = new MemoryPort("site" + (i + 1) + "-lan", Layer.ETHERNET, 1500);
            MemoryPort hostEnd = new MemoryPort("h" + (i + 1), Layer.ETHERNET, 1500);
            MemoryPort.wire(lan, hostEnd);
            SwitchDatapath sw = new SwitchDatapath("site" + (i + 1), clock, vtep, lan, wanPort, wanPort, 100_000);
            List<Integer> peers = new ArrayList<>();
            for (int j = 0; j < 3; j++) {
                if (j != i) {
                    peers.add(Ipv4Address.parse(LabTopology.VTEP[j]));
                }
            }
            sw.addSegment(SegmentSpec.headEnd(Transport.VXLAN, LabTopology.VNI, 1, peers).withUntagged(true));
            SimHost host = new SimHost("h" + (i + 1), hostEnd, 0x020000000001L + i, List.of(Ipv4Address.parse(LabTopology.VM[i])));
            sites.add(sw);
            hosts.add(host);
            net.add(sw).add(host);
        }
        net.settle();
        hosts.get(0).ping(Ipv4Address.parse(LabTopology.VM[1]), 3);
        net.settle();
        expect("ping 10.0.0.1 -> 10.0.0.2: 3 of 3 answered", hosts.get(0).echoRepliesReceived() == 3);
        List<byte[]> seen = wan.captured();
        out.println("WAN (decoded by TunnelBox's own codecs):");
        seen.forEach(p -> out.println("  " + DeliveryPacketText.describe(p)));
        long arpCopies = seen.stream().map(DeliveryPacketText::describe).filter(s -> s.contains("ARP who-has")).count();
        expect("the ARP broadcast left site 1 as exactly two delivery packets (one per remote)", arpCopies == 2);
        wan.clearCaptured();
        hosts.get(2).ping(Ipv4Address.parse(LabTopology.VM[0]), 2);
        net.settle();
        expect("ping 10.0.0.3 -> 10.0.0.1: 2 of 2 answered", hosts.get(2).echoRepliesReceived() == 2);
        out.println("site1> show flows");
        sites.get(0).dumpFlows().lines().forEach(l -> out.println("  " + l));
        out.println("site1> show mac");
        sites.get(0).dumpMacs().lines().forEach(l -> out.println("  " + l));
        net.advance(Duration.ofSeconds(301), Duration.ofSeconds(10));
        expect("after 300 s without traffic the learned MACs aged out",
                sites.get(0).macTable().size() == 0);
    }

    private void expect(String what, boolean ok) {
        out.println((ok ? "  PASS  " : "  FAIL  ") + what);
        if (ok) {
            passes++;
        } else {
            failures.add(what);
        }
    }
}
