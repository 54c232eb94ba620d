package io.tunnelbox.bench;

import io.tunnelbox.hal.port.PacketBatch;
import io.tunnelbox.hal.port.PacketPort.Layer;
import io.tunnelbox.hal.time.ManualClock;
import io.tunnelbox.packet.EtherType;
import io.tunnelbox.packet.Ethernet;
import io.tunnelbox.packet.Gre;
import io.tunnelbox.packet.IpProtocol;
import io.tunnelbox.packet.Ipv4;
import io.tunnelbox.packet.Udp;
import io.tunnelbox.packet.Vxlan;
import io.tunnelbox.l2switch.SegmentSpec;
import io.tunnelbox.l2switch.SwitchDatapath;
import io.tunnelbox.l2switch.Transport;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * A switch on sink ports with one untagged segment and one peer whose host MACs are learned, and
 * full batches of learned unicast in both directions. Untagged, so the pipeline only writes into
 * the headroom (encapsulation) or moves offsets (decapsulation): resetting the offsets restores
 * a batch for the next round.
 */
public final class SwitchFixture {
    public static final int LOCAL = 0x0A000001;
    public static final int PEER = 0x0A000002;
    public static final int ID = 5000;
    public static final int HOSTS = 64;

    public final ManualClock clock = new ManualClock();
    public final SwitchSinkPort lan = new SwitchSinkPort("lan", Layer.ETHERNET);
    public final SwitchSinkPort wan = new SwitchSinkPort("wan", Layer.IP);
    public final SwitchDatapath sw;
    public final PacketBatch fromLan = PacketBatch.allocate();
    public final PacketBatch fromWan = PacketBatch.allocate();
    private final int[] lanOffset = new int[PacketBatch.CAPACITY];
    private final int[] lanLength = new int[PacketBatch.CAPACITY];
    private final int[] wanOffset = new int[PacketBatch.CAPACITY];
    private final int[] wanLength = new int[PacketBatch.CAPACITY];

    public SwitchFixture(Transport transport, int frameSize) {
        sw = new SwitchDatapath("bench", clock, LOCAL, lan, wan, wan, 100_000);
        sw.addSegment(SegmentSpec.headEnd(transport, ID, 1, List.of(PEER)).withUntagged(true));
        sw.poll();
        for (int i = 0; i < PacketBatch.CAPACITY; i++) {
            long local = 0x02_00_00_00_00_00L | (i % HOSTS);
            long remote = 0x02_00_00_00_01_00L | (i % HOSTS);
            byte[] toRemote = frame(remote, local, frameSize);
            int s = fromLan.add(toRemote);
            lanOffset[s] = fromLan.offset(s);
            lanLength[s] = fromLan.length(s);
            byte[] delivery = delivery(transport, frame(local, remote, frameSize));
            int w = fromWan.add(delivery);
            wanOffset[w] = fromWan.offset(w);
            wanLength[w] = fromWan.length(w);
        }
        // Learn the remote hosts (and the local ones) before measuring.
        sw.processWan(fromWan);
        restoreWan();
        sw.processLan(fromLan);
        restoreLan();
    }

    public void restoreLan() {
        for (int i = 0; i < PacketBatch.CAPACITY; i++) {
            fromLan.set(i, lanOffset[i], lanLength[i]);
        }
    }

    public void restoreWan() {
        for (int i = 0; i < PacketBatch.CAPACITY; i++) {
            fromWan.set(i, wanOffset[i], wanLength[i]);
        }
    }

    /** An IPv4/UDP frame of {@code size} bytes (Ethernet header included). */
    public static byte[] frame(long dst, long src, int size) {
        byte[] f = new byte[size];
        MemorySegment seg = MemorySegment.ofArray(f);
        Ethernet.write(seg, 0, dst, src, EtherType.IPV4);
        Ipv4.write(seg, 14, 0, size - 14, 1, 0, 64, IpProtocol.UDP, 0xC0A80001 + (int) (src & 0xFF),
                0xC0A80001 + (int) (dst & 0xFF));
        Udp.write(seg, 34, 1000, 2000, size - 34, 0);
        return f;
    }

    public static byte[] delivery(Transport t, byte[] frame) {
        byte[] p = new byte[t.overhead() + frame.length];
        MemorySegment seg = MemorySegment.ofArray(p);
        if (t == Transport.VXLAN) {
            Ipv4.write(seg, 0, 0, p.length, 1, 0, 64, IpProtocol.UDP, PEER, LOCAL);
            Udp.write(seg, 20, 50000, Vxlan.PORT, 16 + frame.length, 0);
            Vxlan.write(seg, 28, ID);
        } else {
            Ipv4.write(seg, 0, 0, p.length, 1, 0, 64, IpProtocol.GRE, PEER, LOCAL);
            Gre.write(seg, 20, Gre.K, EtherType.TEB, ID, 0);
        }
        System.arraycopy(frame, 0, p, t.overhead(), frame.length);
        return p;
    }
}
