package io.tunnelbox.lab;

import io.tunnelbox.engine.Datapath;
import io.tunnelbox.hal.port.PacketPort.Layer;
import io.tunnelbox.hal.port.memory.MemoryPort;
import io.tunnelbox.packet.Arp;
import io.tunnelbox.packet.EtherType;
import io.tunnelbox.packet.Ethernet;
import io.tunnelbox.packet.Icmp4;
import io.tunnelbox.packet.IpProtocol;
import io.tunnelbox.packet.Ipv4;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;

/**
 * A minimal host for the in-memory lab: it answers ARP for its address and ICMP echo requests, and
 * can ping, resolving the target's MAC first on Ethernet links. Enough of a host that the
 * simulation's pings are real exchanges, not packets a test wrote out by hand.
 */
final class SimHost implements Datapath {
    private static final int ECHO_DATA = 56;

    private final String name;
    private final MemoryPort port;
    private final long mac;
    private final int ip;
    private final Map<Integer, Long> arpCache = new HashMap<>();
    private int pendingTarget;
    private int pendingCount;
    private int nextSequence = 1;
    private int echoRepliesReceived;
    private int echoRequestsSent;

    /** @param port the host's end of its cable (a MemoryPort wired to a box's LAN port) */
    SimHost(String name, MemoryPort port, long mac, int ip) {
        this.name = name;
        this.port = port;
        this.mac = mac;
        this.ip = ip;
    }

    @Override
    public String name() {
        return name;
    }

    /** Queues {@code count} echo requests to {@code target}; they go out as soon as it resolves. */
    void ping(int target, int count) {
        pendingTarget = target;
        pendingCount = count;
    }

    int echoRepliesReceived() {
        return echoRepliesReceived;
    }

    int echoRequestsSent() {
        return echoRequestsSent;
    }

    @Override
    public int poll() {
        int handled = 0;
        for (byte[] frame : port.drain()) {
            handle(frame);
            handled++;
        }
        if (pendingCount > 0) {
            handled += sendPending();
        }
        return handled;
    }

    @Override
    public void tick() {
    }

    private boolean ethernet() {
        return port.layer() == Layer.ETHERNET;
    }

    private int sendPending() {
        long dstMac = 0;
        if (ethernet()) {
            Long known = arpCache.get(pendingTarget);
            if (known == null) {
                if (!arpCache.containsKey(-pendingTarget)) {
                    arpCache.put(-pendingTarget, 0L); // one request outstanding
                    port.sendBytes(arpFrame(Arp.REQUEST, Ethernet.BROADCAST, 0, pendingTarget));
                    return 1;
                }
                return 0;
            }
            dstMac = known;
        }
        int sent = 0;
        while (pendingCount > 0) {
            port.sendBytes(echo(Icmp4.ECHO_REQUEST, dstMac, pendingTarget, nextSequence++));
            echoRequestsSent++;
            pendingCount--;
            sent++;
        }
        return sent;
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
        if (Ipv4.validate(seg, l3, frame.length - l3) != 0 || Ipv4.dst(seg, l3) != ip
                || Ipv4.protocol(seg, l3) != IpProtocol.ICMP) {
            return;
        }
        long icmp = l3 + Ipv4.headerLength(seg, l3);
        int type = Icmp4.type(seg, icmp);
        if (type == Icmp4.ECHO_REPLY) {
            echoRepliesReceived++;
        } else if (type == Icmp4.ECHO_REQUEST) {
            long srcMac = ethernet() ? Ethernet.src(seg, 0) : 0;
            port.sendBytes(echo(Icmp4.ECHO_REPLY, srcMac, Ipv4.src(seg, l3), Icmp4.echoSequence(seg, icmp)));
        }
    }

    private void handleArp(MemorySegment seg, long off) {
        int op = Arp.operation(seg, off);
        int senderIp = Arp.senderIp(seg, off);
        long senderMac = Arp.senderMac(seg, off);
        if (Arp.targetIp(seg, off) != ip) {
            return;
        }
        arpCache.put(senderIp, senderMac);
        if (op == Arp.REQUEST) {
            port.sendBytes(arpFrame(Arp.REPLY, senderMac, senderMac, senderIp));
        }
    }

    private byte[] arpFrame(int op, long dstMac, long targetMac, int targetIp) {
        byte[] f = new byte[Ethernet.HEADER + Arp.HEADER];
        MemorySegment seg = MemorySegment.ofArray(f);
        Ethernet.write(seg, 0, dstMac, mac, EtherType.ARP);
        Arp.write(seg, Ethernet.HEADER, op, mac, ip, targetMac, targetIp);
        return f;
    }

    private byte[] echo(int type, long dstMac, int dstIp, int sequence) {
        int l3 = ethernet() ? Ethernet.HEADER : 0;
        int total = Ipv4.HEADER + Icmp4.HEADER + ECHO_DATA;
        byte[] f = new byte[l3 + total];
        MemorySegment seg = MemorySegment.ofArray(f);
        if (ethernet()) {
            Ethernet.write(seg, 0, dstMac, mac, EtherType.IPV4);
        }
        for (int i = 0; i < ECHO_DATA; i++) {
            f[l3 + Ipv4.HEADER + Icmp4.HEADER + i] = (byte) i;
        }
        Ipv4.write(seg, l3, 0, total, sequence, Ipv4.DF, 64, IpProtocol.ICMP, ip, dstIp);
        Icmp4.writeEcho(seg, l3 + Ipv4.HEADER, type, 0x7B, sequence, Icmp4.HEADER + ECHO_DATA);
        return f;
    }
}
