package io.tunnelbox.l2switch;

import io.tunnelbox.hal.port.PacketPort.Layer;
import io.tunnelbox.hal.port.memory.MemoryPort;
import io.tunnelbox.hal.port.memory.MemoryWan;
import io.tunnelbox.hal.time.Clock;
import java.util.List;

/** Test fixture: a switch box with its WAN port on a MemoryWan and a host wired to its LAN port. */
final class Box {
    final String name;
    final int address;
    final MemoryPort wan;
    final MemoryPort lan;
    /** The host end of the LAN cable: tests send and drain here. */
    final MemoryPort host;
    final SwitchDatapath sw;

    Box(String name, String address, MemoryWan underlay, Clock clock) {
        this(name, address, underlay, clock, 1500, 8192);
    }

    Box(String name, String address, MemoryWan underlay, Clock clock, int wanMtu, int macCapacity) {
        this.name = name;
        this.address = Frames.ip(address);
        this.wan = underlay.attach(name + "-wan", this.address, wanMtu);
        this.lan = new MemoryPort(name + "-lan", Layer.ETHERNET, 1500);
        this.host = new MemoryPort(name + "-host", Layer.ETHERNET, 1500);
        MemoryPort.wire(lan, host);
        this.sw = new SwitchDatapath(name, clock, this.address, lan, wan, wan, macCapacity);
    }

    /** Queues a segment and applies it now (as the next poll would). */
    Box segment(SegmentSpec spec) {
        sw.addSegment(spec);
        sw.poll();
        return this;
    }

    void send(byte[] frame) {
        host.sendBytes(frame);
    }

    List<byte[]> received() {
        return host.drain();
    }
}
