package io.tunnelbox.lab;

import io.tunnelbox.engine.SimNetwork;
import io.tunnelbox.hal.port.PacketPort.Layer;
import io.tunnelbox.hal.port.memory.MemoryPort;
import io.tunnelbox.hal.port.memory.MemoryWan;
import io.tunnelbox.hal.time.ManualClock;
import io.tunnelbox.packet.Ipv4Address;
import io.tunnelbox.pipeline.SegmentSpec;
import io.tunnelbox.pipeline.SwitchDatapath;
import io.tunnelbox.pipeline.Transport;
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
            SimHost host = new SimHost("h" + (i + 1), hostEnd, 0x020000000001L + i, Ipv4Address.parse(LabTopology.VM[i]));
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
