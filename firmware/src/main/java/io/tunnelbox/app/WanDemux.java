package io.tunnelbox.app;

import io.tunnelbox.engine.Datapath;
import io.tunnelbox.hal.port.PacketPort.Layer;
import io.tunnelbox.hal.port.memory.MemoryPort;
import io.tunnelbox.packet.EtherType;
import io.tunnelbox.packet.IpProtocol;
import io.tunnelbox.packet.Ipv4;
import io.tunnelbox.packet.Wire;
import java.lang.foreign.MemorySegment;

/**
 * What the kernel does for a box's WAN address on the {@code sim} board: one in-memory WAN port,
 * shared by the router (GRE carrying IP), the switch (VXLAN, GRE carrying Ethernet) and the box's
 * own ICMP, each getting what its Linux socket would. Sends from each go out of the one port.
 */
final class WanDemux implements Datapath {
    private final String name;
    private final MemoryPort wan;
    final MemoryPort router;
    final MemoryPort vxlan;
    final MemoryPort gre;
    /** The box's own stack on its WAN address: ping from the WAN, and answers to pings of it. */
    final MemoryPort icmp;

    WanDemux(String name, MemoryPort wan) {
        this.name = name;
        this.wan = wan;
        this.router = outOf(name + "-gre-ip");
        this.vxlan = outOf(name + "-vxlan");
        this.gre = outOf(name + "-gre-eth");
        this.icmp = outOf(name + "-icmp");
    }

    private MemoryPort outOf(String portName) {
        MemoryPort p = new MemoryPort(portName, Layer.IP, wan.mtu());
        p.connect((from, packet) -> wan.sendBytes(packet));
        return p;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int poll() {
        int n = 0;
        for (byte[] p : wan.drain()) {
            n++;
            MemorySegment seg = MemorySegment.ofArray(p);
            if (p.length < Ipv4.HEADER) {
                continue;
            }
            int protocol = Ipv4.protocol(seg, 0);
            int ihl = Ipv4.headerLength(seg, 0);
            if (protocol == IpProtocol.GRE && p.length >= ihl + 4) {
                int type = Wire.u16(seg, ihl + 2);
                (type == EtherType.TEB ? gre : router).deliver(p);
            } else if (protocol == IpProtocol.UDP) {
                vxlan.deliver(p);
            } else if (protocol == IpProtocol.ICMP) {
                icmp.deliver(p);
            }
        }
        return n;
    }

    @Override
    public void tick() {
    }
}
