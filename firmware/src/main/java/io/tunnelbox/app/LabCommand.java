package io.tunnelbox.app;

import io.tunnelbox.lab.Lab;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "lab", mixinStandardHelpOptions = true, description = {
        "Try TunnelBox on this machine: build two offices joined by a GRE tunnel and three sites sharing",
        "one VXLAN segment (one of them is the Linux kernel's own VXLAN device), each in a network",
        "namespace, run real TunnelBox boxes in them, ping across, show what the WAN carried, and",
        "remove everything again. Needs root; without it, the same scenarios run in memory."})
final class LabCommand implements Callable<Integer> {
    @Option(names = "--keep", description = "Leave the lab running for exploration (remove it with --down).")
    boolean keep;

    @Option(names = "--down", description = "Remove a lab left by --keep (or by a crash) and exit.")
    boolean down;

    @Option(names = "--full", description = "Also run the interop and resilience checks (iperf3, restarts, WAN flaps), as CI does.")
    boolean full;

    @Option(names = "--bench", description = "Measure iperf3 through plain veth, kernel VXLAN, our VXLAN and our GRE (firmware/BENCHMARKS.md).")
    boolean bench;

    @Option(names = "--faults", description = "Inject each fault the box must survive by itself into a running RB and measure how long it takes to recover.")
    boolean faults;

    @Option(names = "--encrypted", description = "Run the GRE routers and the head-end VXLAN segment inside IPsec (strongSwan, a lab-only pre-shared key); the kernel VTEP gets a strongSwan configured by the lab.")
    boolean encrypted;

    @Option(names = "--sim", description = "Run the in-memory version even as root.")
    boolean sim;

    @Option(names = "--offloads", description = "Offloads of the boxes' TUN/TAP devices: all, none, or a list of tso, gro, uso, uro (default: the run command's).")
    String offloads;

    @Override
    public Integer call() {
        if (offloads != null) {
            io.tunnelbox.hal.offload.Offloads.parse(offloads); // a typo fails here, not in four boxes
            io.tunnelbox.lab.Lab.offloads(offloads);
        }
        if (faults) {
            return new Lab(System.out).faults();
        }
        return bench ? new Lab(System.out).bench() : new Lab(System.out).encrypted(encrypted).run(keep, down, sim, full);
    }
}
