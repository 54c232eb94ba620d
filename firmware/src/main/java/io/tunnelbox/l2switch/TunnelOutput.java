package io.tunnelbox.l2switch;

import io.tunnelbox.hal.port.PacketBatch;
import io.tunnelbox.hal.port.PacketPort;
import io.tunnelbox.packet.Encapsulation;
import io.tunnelbox.packet.EtherType;
import io.tunnelbox.packet.FlowHash;
import io.tunnelbox.packet.Gre;
import io.tunnelbox.packet.Ipv4;
import io.tunnelbox.packet.Vxlan;
import java.lang.foreign.MemorySegment;

/**
 * The switch's way into the tunnels, the actions at the end of tables 20 and 21: the delivery
 * headers (VXLAN or GRE over IPv4) written into the headroom in front of the frame, head-end
 * replication's copies for all peers but the last, outer fragments for the segments that allow them,
 * and the per-port send queues, sent once per batch ({@link #finish}). Datapath thread only.
 */
final class TunnelOutput {
    /** TTL of delivery packets (Linux's default for tunnel devices with ttl inherit off). */
    static final int DELIVERY_TTL = 64;
    private static final int CAP = PacketBatch.CAPACITY;

    private final PacketPort vxlanWan;
    private final PacketPort greWan;
    private final int vxlanUdpPort;
    private final Drops drops;
    /** The outer source address; changed only by queued commands. */
    private int local;
    /** The WAN MTU delivery packets must fit (the WAN ports' until configured). */
    private int underlayMtu;
    private int ipId;

    /** The batch in hand's delivery packets. */
    private final Queue out = new Queue();
    /**
     * Head-end replication's copies, in a batch of their own: 512 KB made only once a segment
     * floods to two peers or more (the last peer gets the original), by {@link #prepareFloodCopies}
     * on the configuration path; a box with one peer per segment never needs it.
     */
    private PacketBatch floodBatch;
    private final Queue flood = new Queue();
    /**
     * Outer fragments after the first, in a batch of their own: 512 KB made only for a box with a
     * segment that fragments (off by default), by {@link #prepareFragments} on the configuration path.
     */
    private PacketBatch fragBatch;
    private final Queue fragments = new Queue();

    /** Slots of one batch bound for the VXLAN and the GRE WAN port. */
    private static final class Queue {
        private final int[] vxlan = new int[CAP];
        private final int[] gre = new int[CAP];
        private int vxlanN, greN;

        void add(Transport t, int slot) {
            if (t == Transport.VXLAN) {
                vxlan[vxlanN++] = slot;
            } else {
                gre[greN++] = slot;
            }
        }

        void send(PacketPort vxlanWan, PacketPort greWan, PacketBatch b) {
            TunnelOutput.send(vxlanWan, b, vxlan, vxlanN);
            TunnelOutput.send(greWan, b, gre, greN);
            clear();
        }

        void clear() {
            vxlanN = 0;
            greN = 0;
        }
    }

    TunnelOutput(PacketPort vxlanWan, PacketPort greWan, int vxlanUdpPort, int local, Drops drops) {
        this.vxlanWan = vxlanWan;
        this.greWan = greWan;
        this.vxlanUdpPort = vxlanUdpPort;
        this.local = local;
        this.drops = drops;
        this.underlayMtu = Math.min(vxlanWan != null ? vxlanWan.mtu() : Integer.MAX_VALUE,
                greWan != null ? greWan.mtu() : Integer.MAX_VALUE);
    }

    void local(int address) {
        local = address;
    }

    void underlayMtu(int mtu) {
        underlayMtu = mtu;
    }

    /**
     * A segment floods copies to several peers: the flood batch is needed from now on. Called by
     * {@link SwitchDatapath#addSegment}, the one way a segment comes in, before its first frame.
     */
    void prepareFloodCopies() {
        if (floodBatch == null) {
            floodBatch = PacketBatch.allocate();
        }
    }

    /** A segment fragments delivery packets: the fragment batch is needed from now on ({@link SwitchDatapath#addSegment}). */
    void prepareFragments() {
        if (fragBatch == null) {
            fragBatch = PacketBatch.allocate();
        }
    }

    /** Before a batch of LAN frames: the queues are empty. */
    void start() {
        out.clear();
        if (floodBatch != null) {
            floodBatch.clear();
        }
        flood.clear();
    }

    /** Sends what the batch {@code b} queued, then the flood copies and fragments. */
    void finish(PacketBatch b) {
        out.send(vxlanWan, greWan, b);
        flushFlood();
        flushFragments();
    }

    /** The untagged frame in slot {@code i} goes to the one VTEP {@code remote} of {@code seg}. */
    void unicast(PacketBatch b, int i, SegmentState seg, int remote) {
        encapsulate(b, i, seg, remote, false);
    }

    /**
     * The untagged frame in slot {@code i} goes to every peer of {@code seg}: one packet to its
     * multicast group, or a copy per peer (head-end replication), the last peer getting the original.
     */
    void flood(PacketBatch b, int i, SegmentState seg) {
        if (seg.spec.flood() == FloodMode.MULTICAST) {
            encapsulate(b, i, seg, seg.spec.group(), false);
            return;
        }
        int[] peers = seg.peerAddresses;
        if (peers.length == 0) {
            return;
        }
        int len = b.length(i);
        MemorySegment mem = b.memory();
        for (int k = 0; k < peers.length - 1; k++) {
            if (floodBatch.isFull()) {
                flushFlood();
            }
            int j = floodBatch.add(mem, b.offset(i), len);
            encapsulate(floodBatch, j, seg, peers[k], true);
        }
        encapsulate(b, i, seg, peers[peers.length - 1], false);
    }

    /**
     * Prepends the delivery headers to the untagged frame in slot {@code i} and queues it for the
     * segment's WAN port (headers written in the headroom: the frame is not copied).
     */
    private void encapsulate(PacketBatch b, int i, SegmentState seg, int remote, boolean floodCopy) {
        MemorySegment mem = b.memory();
        long off = b.offset(i);
        int len = b.length(i);
        Transport t = seg.spec.transport();
        int total = len + t.overhead();
        if (total > underlayMtu && !seg.spec.fragmentOuter()) {
            // RFC 7348 section 4.3: a VTEP does not fragment; the hosts' MTU must leave room.
            seg.tooBig++;
            drops.count(Drops.OUTER_TOO_BIG);
            return;
        }
        if (b.headroom(i) < t.overhead()) {
            drops.count(Drops.NO_HEADROOM); // a port that left too little room in front: its bug, not a crash
            return;
        }
        long ip;
        if (t == Transport.VXLAN) {
            // UDP checksum 0: allowed over IPv4 (RFC 7348 section 5).
            ip = Encapsulation.vxlanIpv4(mem, off, len, seg.spec.id(), Vxlan.sourcePort(FlowHash.of(mem, off, len)),
                    vxlanUdpPort, local, remote, 0, DELIVERY_TTL, nextId(), 0);
        } else {
            ip = Encapsulation.greIpv4(mem, off, len, Gre.K, EtherType.TEB, seg.spec.id(), 0, local, remote, 0,
                    DELIVERY_TTL, nextId(), 0);
        }
        b.set(i, (int) ip, total);
        seg.toTunnelPackets++;
        seg.toTunnelBytes += len;
        if (total > underlayMtu) {
            fragment(b, i, t, underlayMtu);
            seg.fragmented++;
        }
        (floodCopy ? flood : out).add(t, i);
    }

    /** A non-zero identification: a raw socket replaces 0 with its own, per fragment. */
    private int nextId() {
        ipId = (ipId & 0xFFFF) + 1;
        if (ipId > 0xFFFF) {
            ipId = 1;
        }
        return ipId;
    }

    /**
     * Splits the delivery packet in slot {@code i} (20-byte IPv4 header, DF clear) into IPv4
     * fragments that fit {@code mtu} (RFC 791): slot {@code i} keeps the first, the others are
     * copied into the fragment batch. A frame from a 1500-byte LAN plus the tunnel headers does
     * not fit a 1500-byte WAN. Only for segments that ask for it ({@link SegmentSpec#fragmentOuter}):
     * like Linux's own VXLAN and GRE devices (DF unset by default) the delivery packet is then
     * fragmented, and a receiving kernel reassembles it before its socket hands it over; a
     * userspace peer (Open vSwitch's netdev datapath) does not. RFC 7348 section 4.3 forbids it,
     * so segments drop such frames by default and the hosts' MTU must leave room for the headers.
     */
    private void fragment(PacketBatch b, int i, Transport t, int mtu) {
        MemorySegment mem = b.memory();
        long ip = b.offset(i);
        int total = b.length(i);
        int payload = total - Ipv4.HEADER;
        int chunk = (mtu - Ipv4.HEADER) & ~7;
        int id = Ipv4.id(mem, ip);
        int protocol = Ipv4.protocol(mem, ip);
        int src = Ipv4.src(mem, ip);
        int dst = Ipv4.dst(mem, ip);
        for (int at = chunk; at < payload; at += chunk) {
            int size = Math.min(chunk, payload - at);
            if (fragBatch.isFull()) {
                flushFragments();
            }
            int j = fragBatch.add(Ipv4.HEADER + size);
            long to = fragBatch.offset(j);
            MemorySegment.copy(mem, ip + Ipv4.HEADER + at, fragBatch.memory(), to + Ipv4.HEADER, size);
            int more = at + size < payload ? Ipv4.MF : 0;
            Ipv4.write(fragBatch.memory(), to, 0, Ipv4.HEADER + size, id, more | (at >>> 3), DELIVERY_TTL,
                    protocol, src, dst);
            fragments.add(t, j);
        }
        Ipv4.write(mem, ip, 0, Ipv4.HEADER + chunk, id, Ipv4.MF, DELIVERY_TTL, protocol, src, dst);
        b.set(i, (int) ip, Ipv4.HEADER + chunk);
    }

    private void flushFragments() {
        if (fragBatch != null) {
            fragments.send(vxlanWan, greWan, fragBatch);
            fragBatch.clear();
        }
    }

    private void flushFlood() {
        if (floodBatch != null) {
            flood.send(vxlanWan, greWan, floodBatch);
            floodBatch.clear();
        }
    }

    static void send(PacketPort port, PacketBatch b, int[] slots, int n) {
        if (n > 0) {
            port.send(b, slots, n);
        }
    }
}
