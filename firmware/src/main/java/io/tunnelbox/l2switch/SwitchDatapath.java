package io.tunnelbox.l2switch;

import io.tunnelbox.engine.ChangeQueue;
import io.tunnelbox.engine.Datapath;
import io.tunnelbox.hal.port.PacketBatch;
import io.tunnelbox.hal.port.PacketPort;
import io.tunnelbox.hal.time.Clock;
import io.tunnelbox.mac.MacTable;
import io.tunnelbox.packet.EtherType;
import io.tunnelbox.packet.Ethernet;
import io.tunnelbox.packet.Gre;
import io.tunnelbox.packet.IpProtocol;
import io.tunnelbox.packet.Ipv4;
import io.tunnelbox.packet.Reason;
import io.tunnelbox.packet.Udp;
import io.tunnelbox.packet.Vlan;
import io.tunnelbox.packet.Vxlan;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.tinylog.Logger;

/**
 * The tunnel learning switch / VTEP: the seed's br-tun tables run over batches of packets.
 *
 * <pre>
 *  LAN port ─▶ table 0 (VLAN -> segment, learn source on the LAN) ─▶ table 1 (unicast | BUM)
 *              table 20 (learned MAC -> one tunnel; miss ─▶ 21) ─▶ table 21 (flood to peers | group)
 *  WAN port ─▶ table 0 (remote -> tunnel port; unknown: drop) ─▶ table 2 (tunnel id -> segment)
 *              table 10 (learn source -> tunnel port and VTEP) ─▶ LAN port (tagged with the VLAN)
 * </pre>
 *
 * Each table is a loop over the whole batch (VPP style) that leaves a verdict per packet for the
 * next one. The tables are code, not a generic classifier; every branch counts into the
 * {@link Flow} that {@link #dumpFlows()} prints for it, so the dump shows what runs. Split horizon
 * holds by construction: frames from a tunnel only ever go to the LAN port.
 *
 * <p>Threads: {@link #poll()}, {@link #tick()} and the dumps run on the datapath thread. The
 * configuration methods may be called from any thread: they queue the change, which {@link #poll()}
 * applies before it touches packets, so segments that do not change never stop.
 */
public final class SwitchDatapath implements Datapath {
    /** OpenFlow port number of the LAN side (the seed's patch port to br-int). */
    public static final int LAN_PORT = 1;
    /** Most segments (each needs its own VLAN on the LAN port). */
    public static final int MAX_SEGMENTS = 4094;
    /** Most tunnel ports (peer VTEPs over all segments, per box). */
    public static final int MAX_TUNNEL_PORTS = 4096;
    private static final long SWEEP_INTERVAL_NANOS = 1_000_000_000L;
    private static final long SWEEP_ROUND_NANOS = 8_000_000_000L;
    private static final int DROP = 0, LOOKUP = 1, FLOOD = 2, UNICAST = 3;
    private static final int CAP = PacketBatch.CAPACITY;

    private final String name;
    private final Clock clock;
    private final int vxlanUdpPort;
    private final PacketPort lan;
    private final PacketPort vxlanWan;
    private final PacketPort greWan;
    private final MacTable macs;
    private final ChangeQueue changes;

    // Batches and per-packet verdicts, allocated once.
    private final PacketBatch lanRx = PacketBatch.allocate();
    private final PacketBatch wanRx = PacketBatch.allocate();
    private final int[] verdict = new int[CAP];
    private final int[] segOf = new int[CAP];
    private final int[] portOf = new int[CAP];
    private final int[] remoteOf = new int[CAP];
    private final long[] macOf = new long[CAP];
    private final boolean[] taggedIn = new boolean[CAP];
    private final int[] lanOut = new int[CAP];
    private int lanOutN;
    private long lastSweep = Long.MIN_VALUE / 2;
    private int loggedResizes;

    // Configuration as the hot path reads it (datapath thread only).
    private final SwitchConfiguration config;

    // Fixed flows (FlowDump prints them).
    final Flow lanUnknownVlan, unknownPort, unicastSplit, multicastSplit, unknownTunnelId,
            tableMiss, floodDrop;
    private final Drops drops = new Drops();
    private final MacMoveLog moveLog = new MacMoveLog();
    private final TunnelOutput out;

    /**
     * @param localAddress this VTEP's underlay address (outer source of every delivery packet)
     * @param lan the LAN port (Ethernet layer)
     * @param vxlanWan IP port carrying VXLAN delivery packets, or null without VXLAN segments
     * @param greWan IP port carrying GRE delivery packets (may be {@code vxlanWan}), or null
     * @param macCapacity most MAC entries over all segments
     */
    public SwitchDatapath(String name, Clock clock, int localAddress, PacketPort lan, PacketPort vxlanWan,
                          PacketPort greWan, int macCapacity) {
        this(name, clock, localAddress, lan, vxlanWan, greWan, macCapacity, Vxlan.PORT);
    }

    /**
     * As above, with VXLAN on UDP port {@code vxlanUdpPort} instead of 4789 (both the destination
     * port of what it sends and the only one it accepts).
     */
    public SwitchDatapath(String name, Clock clock, int localAddress, PacketPort lan, PacketPort vxlanWan,
                          PacketPort greWan, int macCapacity, int vxlanUdpPort) {
        if (vxlanUdpPort <= 0 || vxlanUdpPort > 65535) {
            throw new IllegalArgumentException("VXLAN UDP port " + vxlanUdpPort + " outside 1..65535");
        }
        this.vxlanUdpPort = vxlanUdpPort;
        this.name = Objects.requireNonNull(name, "name");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.changes = new ChangeQueue(name);
        this.lan = Objects.requireNonNull(lan, "lan port");
        if (lan.layer() != PacketPort.Layer.ETHERNET) {
            throw new IllegalArgumentException("LAN port " + lan.name() + " must be an Ethernet port");
        }
        if (greWan != null && greWan.layer() != PacketPort.Layer.IP) {
            throw new IllegalArgumentException("WAN port " + greWan.name() + " must carry IP delivery packets");
        }
        if (vxlanWan != null && vxlanWan.layer() == PacketPort.Layer.ETHERNET) {
            throw new IllegalArgumentException("WAN port " + vxlanWan.name()
                    + " must carry IP delivery packets or UDP payloads");
        }
        if (vxlanWan == null && greWan == null) {
            throw new IllegalArgumentException("a switch needs a VXLAN or a GRE WAN port");
        }
        this.vxlanWan = vxlanWan;
        this.greWan = greWan;
        this.out = new TunnelOutput(vxlanWan, greWan, vxlanUdpPort, localAddress, drops);
        this.macs = new MacTable(macCapacity, System.nanoTime() ^ name.hashCode());
        this.config = new SwitchConfiguration(name, localAddress, vxlanWan != null, greWan != null, macs);
        long now = clock.nanoTime();
        lanUnknownVlan = new Flow(now);
        unknownPort = new Flow(now);
        unicastSplit = new Flow(now);
        multicastSplit = new Flow(now);
        unknownTunnelId = new Flow(now);
        tableMiss = new Flow(now);
        floodDrop = new Flow(now);
    }

    @Override
    public String name() {
        return name;
    }

    /** The WAN MTU changed: delivery packets must fit the new one. */
    public CompletableFuture<Void> setUnderlayMtu(int mtu) {
        if (mtu < 576) {
            throw new IllegalArgumentException("underlay MTU " + mtu + " below 576");
        }
        return enqueue(() -> out.underlayMtu(mtu));
    }

    /** The UDP port VXLAN uses on this switch (sent to and accepted on). */
    public int vxlanUdpPort() {
        return vxlanUdpPort;
    }

    // ---------------------------------------------------------------- configuration (any thread)

    /**
     * Adds a segment, or replaces the one with the same transport and id (its learned MACs go,
     * unless only the MAC limit changed: then they stay).
     */
    public CompletableFuture<Void> addSegment(SegmentSpec spec) {
        Objects.requireNonNull(spec, "segment");
        return enqueue(() -> {
            config.add(spec, clock.nanoTime());
            if (spec.fragmentOuter()) {
                out.prepareFragments();
            }
            if (spec.flood() == FloodMode.HEAD_END && spec.peers().size() > 1) {
                out.prepareFloodCopies();
            }
        });
    }

    /** The WAN address changed (a DHCP renewal): delivery packets are sourced from {@code address} from the next batch on. */
    public CompletableFuture<Void> setLocalAddress(int address) {
        return enqueue(() -> out.local(address));
    }

    public CompletableFuture<Void> removeSegment(Transport transport, int id) {
        return enqueue(() -> {
            SegmentState s = config.segment(transport, id);
            if (s == null) {
                throw new IllegalArgumentException("no " + transport.label() + " segment " + id);
            }
            config.remove(s);
        });
    }

    /** A MAC that never ages and that learning never moves; {@code remote} 0 means the LAN. */
    public CompletableFuture<Void> addStaticMac(Transport transport, int id, long mac, int remote) {
        return enqueue(() -> {
            SegmentState s = config.segment(transport, id);
            if (s == null) {
                throw new IllegalArgumentException("no " + transport.label() + " segment " + id);
            }
            config.putStatic(s, mac, remote, clock.nanoTime());
            s.staticMacs.put(mac, remote);
        });
    }

    public CompletableFuture<Void> removeStaticMac(Transport transport, int id, long mac) {
        return enqueue(() -> {
            SegmentState s = config.segment(transport, id);
            if (s == null || s.staticMacs.remove(mac) == null) {
                throw new IllegalArgumentException("no static MAC " + mac + " in " + transport.label() + " segment " + id);
            }
            macs.remove(s.index, mac);
        });
    }

    private CompletableFuture<Void> enqueue(Runnable change) {
        return changes.submit(change);
    }

    /** Runs {@code query} on the datapath thread at the next poll (dumps from other threads). */
    public <T> CompletableFuture<T> onDatapathThread(Supplier<T> query) {
        return changes.query(query);
    }

    private void applyPending() {
        changes.apply();
    }

    // ---------------------------------------------------------------- forwarding (datapath thread)

    @Override
    public int poll() {
        applyPending();
        int handled = 0;
        lanRx.clear();
        if (lan.receive(lanRx) > 0) {
            handled += lanRx.count();
            processLan(lanRx);
        }
        if (vxlanWan != null) {
            wanRx.clear();
            if (vxlanWan.receive(wanRx) > 0) {
                handled += wanRx.count();
                processWan(wanRx, vxlanWan.layer());
            }
        }
        if (greWan != null && greWan != vxlanWan) {
            wanRx.clear();
            if (greWan.receive(wanRx) > 0) {
                handled += wanRx.count();
                processWan(wanRx);
            }
        }
        return handled;
    }

    @Override
    public void tick() {
        applyPending();
        long now = clock.nanoTime();
        // Expired entries stop matching at once (lookup checks the deadline); the sweep only frees
        // their slots. It walks the table in slices, all of it every SWEEP_ROUND, so a large
        // table costs a little every second instead of a long pause.
        if (now - lastSweep >= SWEEP_INTERVAL_NANOS) {
            long elapsed = Math.min(now - lastSweep, SWEEP_ROUND_NANOS);
            int budget = (int) Math.max(1, macs.slotCount() * (double) elapsed / SWEEP_ROUND_NANOS);
            macs.expire(now, budget);
            lastSweep = now;
        }
        moveLog.flush(name, i -> config.segments[i] == null ? null : config.segments[i].spec.label());
        if (macs.resizes() != loggedResizes) {
            // Said here, not where it happens: the rehash runs between two packets of a batch.
            loggedResizes = macs.resizes();
            Logger.info("{}: MAC table resized to {} slots ({} KB) for {} entries; the rehash took {} us",
                    name, macs.slotCount(), macs.slotCount() / 16, macs.size(), macs.lastResizeNanos() / 1000);
        }
    }

    /**
     * Runs a batch of LAN frames through tables 0, 1, 20 and 21 and sends the delivery packets.
     * Public for drivers and benchmarks that own their batches; the batch's packets are modified
     * in place (tags removed, headers prepended).
     */
    public void processLan(PacketBatch b) {
        long now = clock.nanoTime();
        out.start();
        table0FromLan(b, now);
        table1UnicastOrFlood(b, now);
        table20LearnedUnicast(b, now);
        table21FloodAndOutput(b, now);
        out.finish(b);
    }

    /**
     * Table 0, LAN side: {@code in_port=1,dl_vlan=V -> mod_vlan_vid, learn, resubmit(,1)} (the
     * ingress VLAN picks the segment; the source MAC is learned on the LAN port); unknown VLAN: drop.
     */
    private void table0FromLan(PacketBatch b, long now) {
        MemorySegment mem = b.memory();
        int n = b.count();
        for (int i = 0; i < n; i++) {
            long off = b.offset(i);
            int len = b.length(i);
            int reason = Ethernet.validate(mem, off, len);
            if (reason != Reason.OK) {
                drop(i, reason);
                continue;
            }
            boolean tagged = Ethernet.isTagged(mem, off);
            int vid = tagged ? Vlan.vid(mem, off) : 0;
            int s = vid != 0 ? config.segmentByVlan[vid] : config.untaggedSegment;
            if (s < 0 || (vid != 0 && s == config.untaggedSegment)) {
                // The untagged segment's local VLAN is internal: tagged frames never join it.
                lanUnknownVlan.hit(len, now);
                drop(i, Drops.UNKNOWN_VLAN);
                continue;
            }
            long src = Ethernet.src(mem, off);
            int refused = refusedSource(src);
            if (refused != Reason.OK) {
                drop(i, refused);
                continue;
            }
            SegmentState seg = config.segments[s];
            seg.lanIn.hit(len, now);
            if (macs.learn(s, src, LAN_PORT, 0, now) == MacTable.FULL) {
                seg.macLimitHits++;
            }
            verdict[i] = LOOKUP;
            segOf[i] = s;
            taggedIn[i] = tagged;
        }
    }

    /** Table 1: unicast destination -> table 20; multicast or broadcast -> table 21. */
    private void table1UnicastOrFlood(PacketBatch b, long now) {
        MemorySegment mem = b.memory();
        int n = b.count();
        for (int i = 0; i < n; i++) {
            if (verdict[i] != LOOKUP) {
                continue;
            }
            long dst = Ethernet.dst(mem, b.offset(i));
            if (Ethernet.isMulticast(dst)) {
                multicastSplit.hit(b.length(i), now);
                verdict[i] = FLOOD;
            } else {
                unicastSplit.hit(b.length(i), now);
                macOf[i] = dst;
            }
        }
    }

    /** Table 20: the MAC learned behind a VTEP -> that tunnel; miss -> table 21; learned on the LAN: drop. */
    private void table20LearnedUnicast(PacketBatch b, long now) {
        int n = b.count();
        for (int i = 0; i < n; i++) {
            if (verdict[i] != LOOKUP) {
                continue;
            }
            int slot = macs.lookup(segOf[i], macOf[i], now);
            if (slot == MacTable.MISS) {
                tableMiss.hit(b.length(i), now);
                verdict[i] = FLOOD;
                continue;
            }
            macs.hit(slot, b.length(i), now);
            int port = macs.port(slot);
            if (port == LAN_PORT) {
                // Output to the port it came in on: OpenFlow drops it, so do we.
                drop(i, Drops.LAN_TO_LAN);
                continue;
            }
            verdict[i] = UNICAST;
            remoteOf[i] = macs.remote(slot);
        }
    }

    /**
     * Table 21 and output: strip the tag, then one tunnel (unicast from table 20) or every peer of
     * the segment (flood). Flows above counted the frame as it came in (tag included), as OpenFlow
     * counts before actions run; the tag goes now (strip_vlan / load:0->VLAN_TCI).
     */
    private void table21FloodAndOutput(PacketBatch b, long now) {
        MemorySegment mem = b.memory();
        int n = b.count();
        for (int i = 0; i < n; i++) {
            int v = verdict[i];
            int inLen = b.length(i);
            if (v != DROP && taggedIn[i]) {
                b.set(i, (int) Ethernet.popVlan(mem, b.offset(i)), b.length(i) - Vlan.HEADER);
            }
            if (v == UNICAST) {
                out.unicast(b, i, config.segments[segOf[i]], remoteOf[i]);
            } else if (v == FLOOD) {
                SegmentState seg = config.segments[segOf[i]];
                seg.flood.hit(inLen, now);
                seg.floods++;
                out.flood(b, i, seg);
            }
        }
    }

    /**
     * Why a frame with source MAC {@code src} is refused, or {@link Reason#OK}: a group address
     * (broadcast included) or the zero address is no station, so it is never learned, from the LAN
     * or a tunnel (Linux's bridge drops such frames too: {@code is_valid_ether_addr}).
     */
    private static int refusedSource(long src) {
        if (Ethernet.isMulticast(src)) {
            return Drops.MULTICAST_SOURCE;
        }
        return src == 0 ? Drops.ZERO_SOURCE : Reason.OK;
    }

    private void drop(int i, int reason) {
        verdict[i] = DROP;
        drops.count(reason);
    }

    /**
     * Runs a batch of delivery packets from the underlay through tables 0, 2 and 10 and sends the
     * inner frames to the LAN. Public for drivers and benchmarks; packets are modified in place.
     */
    public void processWan(PacketBatch b) {
        processWan(b, PacketPort.Layer.IP);
    }

    /**
     * As {@link #processWan(PacketBatch)}; a {@link PacketPort.Layer#UDP_PAYLOAD} batch holds what a
     * VXLAN socket delivered (VXLAN header and inner frame, the sender in the batch's peer): the
     * kernel checked the outer headers and the port, so table 0 starts at the VXLAN header.
     */
    public void processWan(PacketBatch b, PacketPort.Layer layer) {
        long now = clock.nanoTime();
        lanOutN = 0;
        table0FromTunnel(b, layer, now);
        table2TunnelId(b, now);
        table10LearnAndOutput(b, now);
        TunnelOutput.send(lan, b, lanOut, lanOutN);
    }

    /**
     * The delivery headers (IPv4, then UDP and VXLAN or GRE; only VXLAN's from a socket that checked
     * the rest), then table 0, tunnel side: the remote VTEP -> its tunnel port ({@code in_port=N ->
     * resubmit(,2)}); an unknown remote: drop. Taking the headers off stays inside this one loop: as
     * methods of their own per packet the JIT did not inline them, which cost 3-6 ns a packet
     * ({@code SwitchCpuTime}, a quarter of the decapsulating path).
     */
    private void table0FromTunnel(PacketBatch b, PacketPort.Layer layer, long now) {
        MemorySegment mem = b.memory();
        int n = b.count();
        boolean payloads = layer == PacketPort.Layer.UDP_PAYLOAD;
        for (int i = 0; i < n; i++) {
            long off = b.offset(i);
            int len = b.length(i);
            int reason;
            long inner;
            int innerLen;
            int tunId;
            Transport t;
            int remote;
            if (payloads) {
                reason = Vxlan.validate(mem, off, len);
                if (reason != Reason.OK) {
                    drop(i, reason);
                    continue;
                }
                t = Transport.VXLAN;
                tunId = Vxlan.vni(mem, off);
                inner = off + Vxlan.HEADER;
                innerLen = len - Vxlan.HEADER;
                remote = b.peer(i);
            } else {
                reason = Ipv4.validate(mem, off, len);
                if (reason != Reason.OK) {
                    drop(i, reason);
                    continue;
                }
                if (Ipv4.moreFragments(mem, off) || Ipv4.fragmentOffset(mem, off) != 0) {
                    drop(i, Drops.FRAGMENT);
                    continue;
                }
                int ihl = Ipv4.headerLength(mem, off);
                int total = Ipv4.totalLength(mem, off);
                long l4 = off + ihl;
                int l4Len = total - ihl;
                int protocol = Ipv4.protocol(mem, off);
                if (protocol == IpProtocol.UDP && vxlanWan != null) {
                    reason = Udp.validate(mem, l4, l4Len);
                    if (reason == Reason.OK && Udp.dstPort(mem, l4) != vxlanUdpPort) {
                        reason = Drops.NOT_VXLAN_PORT;
                    }
                    if (reason == Reason.OK) {
                        reason = Vxlan.validate(mem, l4 + Udp.HEADER, Udp.length(mem, l4) - Udp.HEADER);
                    }
                    if (reason != Reason.OK) {
                        drop(i, reason);
                        continue;
                    }
                    t = Transport.VXLAN;
                    tunId = Vxlan.vni(mem, l4 + Udp.HEADER);
                    inner = l4 + Udp.HEADER + Vxlan.HEADER;
                    innerLen = Udp.length(mem, l4) - Udp.HEADER - Vxlan.HEADER;
                } else if (protocol == IpProtocol.GRE && greWan != null) {
                    reason = Gre.validate(mem, l4, l4Len);
                    if (reason != Reason.OK) {
                        drop(i, reason);
                        continue;
                    }
                    if (Gre.protocol(mem, l4) != EtherType.TEB) {
                        drop(i, Drops.NOT_SWITCH); // IPv4/IPv6 in GRE: the router's traffic
                        continue;
                    }
                    int flags = Gre.flags(mem, l4);
                    int gh = Gre.headerLength(flags);
                    t = Transport.GRE;
                    tunId = Gre.hasKey(mem, l4) ? Gre.key(mem, l4) : 0;
                    inner = l4 + gh;
                    innerLen = l4Len - gh;
                } else {
                    drop(i, Drops.NOT_TUNNEL);
                    continue;
                }
                remote = Ipv4.src(mem, off);
            }
            int port = config.portMap(t).get(remote);
            if (port == IntIntMap.MISSING) {
                port = config.flowPort(t);
                if (port == 0) {
                    unknownPort.hit(innerLen, now);
                    drop(i, Drops.UNKNOWN_REMOTE);
                    continue;
                }
            }
            config.ports[port].classify.hit(innerLen, now);
            verdict[i] = LOOKUP;
            portOf[i] = port;
            remoteOf[i] = remote;
            segOf[i] = tunId; // the tunnel id until table 2 maps it
            b.set(i, (int) inner, innerLen);
        }
    }

    /** Table 2: {@code tun_id=ID -> mod_vlan_vid:V, resubmit(,10)}, only from a remote the segment accepts. */
    private void table2TunnelId(PacketBatch b, long now) {
        MemorySegment mem = b.memory();
        int n = b.count();
        for (int i = 0; i < n; i++) {
            if (verdict[i] != LOOKUP) {
                continue;
            }
            int len = b.length(i);
            Transport t = config.ports[portOf[i]].transport;
            int s = config.segmentMap(t).get(segOf[i]);
            if (s == IntIntMap.MISSING) {
                unknownTunnelId.hit(len, now);
                drop(i, Drops.UNKNOWN_TUNNEL_ID);
                continue;
            }
            SegmentState seg = config.segments[s];
            int k = seg.acceptIndex(portOf[i], remoteOf[i]);
            if (k < 0) {
                unknownTunnelId.hit(len, now);
                drop(i, Drops.REMOTE_NOT_MEMBER);
                continue;
            }
            int reason = Ethernet.validate(mem, b.offset(i), len);
            if (reason != Reason.OK) {
                drop(i, reason);
                continue;
            }
            seg.accept[k].hit(len, now);
            segOf[i] = s;
        }
    }

    /** Table 10: learn the inner source behind this tunnel and VTEP, then output to the LAN (tagged). */
    private void table10LearnAndOutput(PacketBatch b, long now) {
        MemorySegment mem = b.memory();
        int n = b.count();
        for (int i = 0; i < n; i++) {
            if (verdict[i] != LOOKUP) {
                continue;
            }
            long off = b.offset(i);
            int len = b.length(i);
            if (Ethernet.isTagged(mem, off)) {
                drop(i, Drops.TAGGED_INNER);
                continue;
            }
            long src = Ethernet.src(mem, off);
            int refused = refusedSource(src);
            if (refused != Reason.OK) {
                drop(i, refused);
                continue;
            }
            SegmentState seg = config.segments[segOf[i]];
            int sticky = seg.spec.macMove() == MacMove.DENY ? LAN_PORT : MacTable.NO_PORT;
            int learned = macs.learn(seg.index, src, portOf[i], remoteOf[i], now, sticky);
            if (learned == MacTable.STICKY) {
                // A LAN host's MAC from a tunnel: a spoof or a host that moved less than an ageing
                // time ago. Forwarding it would teach the LAN's own switches the wrong port too.
                seg.moveDenied.hit(len, now);
                moveLog.record(seg.index, src, remoteOf[i], now);
                drop(i, Drops.MAC_MOVE_DENIED);
                continue;
            }
            if (learned == MacTable.FULL) {
                seg.macLimitHits++;
            }
            seg.learn.hit(len, now);
            seg.fromTunnelPackets++;
            seg.fromTunnelBytes += len;
            if (!seg.spec.untagged()) {
                b.set(i, (int) Ethernet.pushVlan(mem, off, seg.spec.vlan()), len + Vlan.HEADER);
            }
            lanOut[lanOutN++] = i;
        }
    }

    // ---------------------------------------------------------------- counters and dumps

    /** Drops by reason name since start, non-zero ones only (datapath thread). */
    public Map<String, Long> drops() {
        return drops.snapshot();
    }

    /**
     * Zeroes the drop counters, every segment's counters and the flows' ("clear counters"); MAC
     * entries keep their own. Queued like a configuration change.
     */
    public CompletableFuture<Void> clearCounters() {
        return enqueue(() -> {
            drops.clear();
            for (SegmentState s : config.segments) {
                if (s != null) {
                    s.clearCounters();
                }
            }
            for (TunnelPort p : config.ports) {
                if (p != null) {
                    p.classify.clear();
                }
            }
            for (Flow f : new Flow[] {lanUnknownVlan, unknownPort, unicastSplit, multicastSplit, unknownTunnelId,
                    tableMiss, floodDrop}) {
                f.clear();
            }
        });
    }

    /**
     * The MAC table as typed rows, ordered by segment (index) then MAC; ages in whole seconds
     * since the entry was last learned (datapath thread).
     */
    public List<MacRow> macRows() {
        long now = clock.nanoTime();
        List<MacRow> out = new ArrayList<>();
        for (io.tunnelbox.mac.MacEntry e : macs.entries(now)) {
            SegmentState s = config.segments[e.segment()];
            if (s != null) {
                out.add(new MacRow(s.spec.transport(), s.spec.id(), e.mac(), e.port() == LAN_PORT ? 0 : e.remote(),
                        e.isStatic(), e.hardAge() / 1_000_000_000L, e.packets()));
            }
        }
        return out;
    }

    /** Counters of one segment, or null if there is no such segment (datapath thread). */
    public SegmentStats stats(Transport transport, int id) {
        SegmentState s = config.segment(transport, id);
        if (s == null) {
            return null;
        }
        return new SegmentStats(s.fromTunnelPackets, s.fromTunnelBytes, s.toTunnelPackets, s.toTunnelBytes,
                s.floods, s.macLimitHits, s.fragmented, s.tooBig, macs.size(s.index));
    }

    /** The MAC table (datapath thread; tests and dumps). */
    public MacTable macTable() {
        return macs;
    }

    /** The configured segments, in index order (datapath thread). */
    public List<SegmentSpec> segments() {
        List<SegmentSpec> out = new ArrayList<>();
        for (SegmentState s : config.segments) {
            if (s != null) {
                out.add(s.spec);
            }
        }
        return out;
    }

    /** The tables in the style of {@code ovs-ofctl dump-flows} (datapath thread). */
    public String dumpFlows() {
        return new FlowDump(this, clock.nanoTime()).flows();
    }

    /** The MAC table: segment, VLAN, MAC, port, remote, age (datapath thread). */
    public String dumpMacs() {
        return new FlowDump(this, clock.nanoTime()).macs();
    }

    // Package-private views for FlowDump.
    SegmentState[] segmentStates() {
        return config.segments;
    }

    TunnelPort[] tunnelPorts() {
        return config.ports;
    }

    String lanName() {
        return lan.name();
    }
}
