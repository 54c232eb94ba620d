package io.tunnelbox.lab;

import io.tunnelbox.console.Probes;
import io.tunnelbox.engine.Datapath;
import io.tunnelbox.hal.port.PacketPort.Layer;
import io.tunnelbox.hal.port.memory.MemoryPort;
import io.tunnelbox.packet.Arp;
import io.tunnelbox.packet.EtherType;
import io.tunnelbox.packet.Ethernet;
import io.tunnelbox.packet.Icmp4;
import io.tunnelbox.packet.IpProtocol;
import io.tunnelbox.packet.Ipv4;
import io.tunnelbox.packet.Ipv4Address;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The IP stack of a simulated machine, for the in-memory lab and the {@code sim} board: the hosts
 * behind a box and the Linux side of a box (the other end of its TUN or TAP). It owns a few IPv4
 * addresses, answers ARP and ICMP echo for them, and sends echo requests from the first one: counted
 * ({@link #ping}, the lab's checks), or answered to a waiting caller ({@link #echo}: echo reply, time
 * exceeded, unreachable, fragmentation needed; the {@code ping} of the sim box). On Ethernet it
 * resolves a destination with one ARP request and holds packets until the answer comes, so the
 * simulation's pings are real exchanges, not packets a test wrote out by hand. Polled by one
 * thread; {@link #echo} may be called from any other.
 */
public final class SimHost implements Datapath, Probes {
    private static final AtomicInteger IDS = new AtomicInteger(0x5100);
    private static final int ECHO_DATA = 56;

    private final String name;
    private final MemoryPort port;
    private final long mac;
    private final Set<Integer> addresses;
    private final int defaultSource;
    private final Map<Integer, Long> arp = new ConcurrentHashMap<>();
    /** Addresses with an ARP request out and no answer yet: one request each, not one per packet. */
    private final Set<Integer> arpAsked = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<byte[]> outbox = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<byte[]> pendingUntilResolved = new ConcurrentLinkedQueue<>();
    /** Probes waiting for their answer, by ICMP id << 16 | sequence. */
    private final Map<Integer, Waiting> waiting = new ConcurrentHashMap<>();
    private final int id = IDS.getAndIncrement() & 0xFFFF;
    private final AtomicInteger sequence = new AtomicInteger();
    private final AtomicInteger echoRepliesReceived = new AtomicInteger();
    private final AtomicInteger echoRequestsSent = new AtomicInteger();

    private record Waiting(long sentNanos, CompletableFuture<Reply> answer) {
    }

    /**
     * @param port its end of the cable (a MemoryPort wired to a box's port), IP or Ethernet
     * @param addresses the addresses it answers for; the first one is where its own requests come from
     */
    public SimHost(String name, MemoryPort port, long mac, List<Integer> addresses) {
        this.name = name;
        this.port = port;
        this.mac = mac;
        this.addresses = Set.copyOf(addresses);
        this.defaultSource = addresses.getFirst();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int poll() {
        int handled = 0;
        for (byte[] frame : port.drain()) {
            handle(frame);
            handled++;
        }
        byte[] p;
        while ((p = outbox.poll()) != null) {
            send(p);
            handled++;
        }
        return handled;
    }

    @Override
    public void tick() {
    }

    /** Queues {@code count} echo requests to {@code target} (DF set); replies are counted. */
    public void ping(int target, int count) {
        for (int i = 0; i < count; i++) {
            outbox.add(echoPacket(Icmp4.ECHO_REQUEST, defaultSource, target, id, sequence.incrementAndGet() & 0xFFFF,
                    ECHO_DATA, 64, true));
            echoRequestsSent.incrementAndGet();
        }
    }

    /** Echo replies received for any request of this host. */
    public int echoRepliesReceived() {
        return echoRepliesReceived.get();
    }

    public int echoRequestsSent() {
        return echoRequestsSent.get();
    }

    /** Queues an echo request whose answer nobody waits for: the background traffic of the sim. */
    public void pingQuietly(int src, int target) {
        outbox.add(echoPacket(Icmp4.ECHO_REQUEST, src, target, id ^ 0x8000, sequence.incrementAndGet() & 0xFFFF,
                ECHO_DATA, 64, false));
    }

    @Override
    public Reply echo(Request r) throws InterruptedException {
        int target = Ipv4Address.parse(r.target());
        int seq = sequence.incrementAndGet() & 0xFFFF;
        Waiting w = new Waiting(System.nanoTime(), new CompletableFuture<>());
        waiting.put(id << 16 | seq, w);
        try {
            outbox.add(echoPacket(Icmp4.ECHO_REQUEST, defaultSource, target, id, seq, r.size(), r.ttl(), r.df()));
            return w.answer().get(r.timeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            arpAsked.remove(target); // ask again next time: the request or its answer may have been lost
            return Reply.timeout();
        } catch (ExecutionException e) {
            return new Reply(Kind.ERROR, "", 0, String.valueOf(e.getCause().getMessage()));
        } finally {
            waiting.remove(id << 16 | seq);
        }
    }

    private boolean ethernet() {
        return port.layer() == Layer.ETHERNET;
    }

    /** Sends an IPv4 packet; on Ethernet it resolves the destination's MAC first. */
    private void send(byte[] ip) {
        if (!ethernet()) {
            port.sendBytes(ip);
            return;
        }
        int dst = Ipv4.dst(MemorySegment.ofArray(ip), 0);
        Long dstMac = arp.get(dst);
        if (dstMac == null) {
            if (arpAsked.add(dst)) {
                port.sendBytes(arpFrame(Arp.REQUEST, Ethernet.BROADCAST, 0, Ipv4.src(MemorySegment.ofArray(ip), 0), dst));
            }
            pendingUntilResolved.add(ip);
            return;
        }
        byte[] f = new byte[Ethernet.HEADER + ip.length];
        MemorySegment seg = MemorySegment.ofArray(f);
        Ethernet.write(seg, 0, dstMac, mac, EtherType.IPV4);
        MemorySegment.copy(MemorySegment.ofArray(ip), 0, seg, Ethernet.HEADER, ip.length);
        port.sendBytes(f);
    }

    private void handle(byte[] frame) {
        MemorySegment seg = MemorySegment.ofArray(frame);
        long l3 = 0;
        if (ethernet()) {
            if (frame.length < Ethernet.HEADER) {
                return;
            }
            int type = Ethernet.etherType(seg, 0);
            if (type == EtherType.ARP && frame.length >= Ethernet.HEADER + Arp.HEADER) {
                handleArp(seg, Ethernet.HEADER);
                return;
            }
            if (type != EtherType.IPV4) {
                return;
            }
            l3 = Ethernet.HEADER;
        }
        long len = frame.length - l3;
        if (Ipv4.validate(seg, l3, len) != 0 || !addresses.contains(Ipv4.dst(seg, l3))
                || Ipv4.protocol(seg, l3) != IpProtocol.ICMP) {
            return;
        }
        long icmp = l3 + Ipv4.headerLength(seg, l3);
        int type = Icmp4.type(seg, icmp);
        int from = Ipv4.src(seg, l3);
        if (type == Icmp4.ECHO_REQUEST) {
            int dataLen = Ipv4.totalLength(seg, l3) - Ipv4.headerLength(seg, l3) - Icmp4.HEADER;
            byte[] reply = echoPacket(Icmp4.ECHO_REPLY, Ipv4.dst(seg, l3), from, Icmp4.echoId(seg, icmp),
                    Icmp4.echoSequence(seg, icmp), Math.max(0, dataLen), 64, false);
            send(reply);
        } else if (type == Icmp4.ECHO_REPLY) {
            echoRepliesReceived.incrementAndGet();
            answer(Icmp4.echoId(seg, icmp), Icmp4.echoSequence(seg, icmp), Kind.ECHO_REPLY, from, "");
        } else if (type == Icmp4.TIME_EXCEEDED || type == Icmp4.DEST_UNREACHABLE) {
            long quoted = icmp + Icmp4.HEADER;
            if (frame.length < quoted + Ipv4.HEADER + Icmp4.HEADER) {
                return;
            }
            long quotedIcmp = quoted + Ipv4.headerLength(seg, quoted);
            if (frame.length < quotedIcmp + Icmp4.HEADER) {
                return;
            }
            Kind kind = type == Icmp4.TIME_EXCEEDED ? Kind.TIME_EXCEEDED
                    : Icmp4.code(seg, icmp) == Icmp4.CODE_FRAG_NEEDED ? Kind.FRAGMENTATION_NEEDED : Kind.UNREACHABLE;
            String detail = kind == Kind.FRAGMENTATION_NEEDED ? "mtu " + Icmp4.nextHopMtu(seg, icmp)
                    : kind == Kind.UNREACHABLE ? "code " + Icmp4.code(seg, icmp) : "";
            answer(Icmp4.echoId(seg, quotedIcmp), Icmp4.echoSequence(seg, quotedIcmp), kind, from, detail);
        }
    }

    private void answer(int echoId, int seq, Kind kind, int from, String detail) {
        Waiting w = waiting.get(echoId << 16 | seq);
        if (w != null) {
            w.answer().complete(new Reply(kind, Ipv4Address.format(from), (System.nanoTime() - w.sentNanos()) / 1000, detail));
        }
    }

    private void handleArp(MemorySegment seg, long off) {
        int op = Arp.operation(seg, off);
        int senderIp = Arp.senderIp(seg, off);
        long senderMac = Arp.senderMac(seg, off);
        int targetIp = Arp.targetIp(seg, off);
        if (!addresses.contains(targetIp)) {
            return;
        }
        arp.put(senderIp, senderMac);
        arpAsked.remove(senderIp);
        if (op == Arp.REQUEST) {
            port.sendBytes(arpFrame(Arp.REPLY, senderMac, senderMac, targetIp, senderIp));
        }
        for (int i = pendingUntilResolved.size(); i > 0; i--) {
            byte[] p = pendingUntilResolved.poll();
            if (p != null) {
                send(p);
            }
        }
    }

    private byte[] arpFrame(int op, long dstMac, long targetMac, int senderIp, int targetIp) {
        byte[] f = new byte[Ethernet.HEADER + Arp.HEADER];
        MemorySegment seg = MemorySegment.ofArray(f);
        Ethernet.write(seg, 0, dstMac, mac, EtherType.ARP);
        Arp.write(seg, Ethernet.HEADER, op, mac, senderIp, targetMac, targetIp);
        return f;
    }

    private static byte[] echoPacket(int type, int src, int dst, int echoId, int seq, int dataLen, int ttl, boolean df) {
        int total = Ipv4.HEADER + Icmp4.HEADER + dataLen;
        byte[] p = new byte[total];
        MemorySegment seg = MemorySegment.ofArray(p);
        for (int i = 0; i < dataLen; i++) {
            p[Ipv4.HEADER + Icmp4.HEADER + i] = (byte) i;
        }
        Ipv4.write(seg, 0, 0, total, seq, df ? Ipv4.DF : 0, ttl, IpProtocol.ICMP, src, dst);
        Icmp4.writeEcho(seg, Ipv4.HEADER, type, echoId, seq, Icmp4.HEADER + dataLen);
        return p;
    }
}
