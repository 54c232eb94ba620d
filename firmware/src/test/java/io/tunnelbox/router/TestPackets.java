package io.tunnelbox.router;

import io.tunnelbox.packet.Gre;
import io.tunnelbox.packet.Icmp4;
import io.tunnelbox.packet.Icmp6;
import io.tunnelbox.packet.IpProtocol;
import io.tunnelbox.packet.Ipv4;
import io.tunnelbox.packet.Ipv4Prefix;
import io.tunnelbox.packet.Ipv6;
import io.tunnelbox.packet.Ipv6Prefix;
import io.tunnelbox.packet.Tcp;
import io.tunnelbox.packet.Wire;
import java.lang.foreign.MemorySegment;

/** Builds the packets hosts and hostile peers send in the router tests, with the project's codecs. */
final class TestPackets {
    private TestPackets() {
    }

    static int ip(String dotted) {
        return io.tunnelbox.packet.Ipv4Address.parse(dotted);
    }

    static Ipv6Prefix ip6(String text) {
        return Ipv6Prefix.parse(text);
    }

    static MemorySegment seg(byte[] b) {
        return MemorySegment.ofArray(b);
    }

    /** ICMP echo request (or reply) with {@code data} bytes of 0xA5 after the 8-byte ICMP header. */
    static byte[] echo4(int src, int dst, int type, int id, int seq, int data, boolean df) {
        int icmpLen = Icmp4.HEADER + data;
        byte[] p = new byte[Ipv4.HEADER + icmpLen];
        MemorySegment s = seg(p);
        for (int i = Ipv4.HEADER + Icmp4.HEADER; i < p.length; i++) {
            p[i] = (byte) 0xA5;
        }
        Icmp4.writeEcho(s, Ipv4.HEADER, type, id, seq, icmpLen);
        Ipv4.write(s, 0, 0, p.length, 0x1234, df ? Ipv4.DF : 0, 64, IpProtocol.ICMP, src, dst);
        return p;
    }

    static byte[] ping4(int src, int dst, int seq) {
        return echo4(src, dst, Icmp4.ECHO_REQUEST, 0x4242, seq, 56, true);
    }

    /** A TCP SYN with an MSS option of {@code mss} and {@code data} payload bytes, valid checksum. */
    static byte[] syn4(int src, int dst, int mss, int data, boolean df, boolean ack) {
        int tcpLen = Tcp.HEADER + 4 + data;
        byte[] p = new byte[Ipv4.HEADER + tcpLen];
        MemorySegment s = seg(p);
        Ipv4.write(s, 0, 0, p.length, 7, df ? Ipv4.DF : 0, 64, IpProtocol.TCP, src, dst);
        writeSyn(s, Ipv4.HEADER, mss, ack);
        Tcp.fillChecksum4(s, 0, Ipv4.HEADER, tcpLen);
        return p;
    }

    static byte[] syn6(Ipv6Prefix src, Ipv6Prefix dst, int mss) {
        int tcpLen = Tcp.HEADER + 4;
        byte[] p = new byte[Ipv6.HEADER + tcpLen];
        MemorySegment s = seg(p);
        Ipv6.write(s, 0, 0, 0, tcpLen, IpProtocol.TCP, 64, src.hi(), src.lo(), dst.hi(), dst.lo());
        writeSyn(s, Ipv6.HEADER, mss, false);
        Tcp.fillChecksum6(s, 0, Ipv6.HEADER, tcpLen);
        return p;
    }

    private static void writeSyn(MemorySegment s, int off, int mss, boolean ack) {
        Wire.put16(s, off, 40000);
        Wire.put16(s, off + 2, 443);
        Wire.put32(s, off + 4, 1000);
        Wire.put32(s, off + 8, ack ? 2000 : 0);
        Wire.put8(s, off + 12, 6 << 4); // data offset 24 bytes
        Wire.put8(s, off + 13, Tcp.SYN | (ack ? Tcp.ACK : 0));
        Wire.put16(s, off + 14, 65535);
        Wire.put8(s, off + 20, 2); // MSS option, length 4
        Wire.put8(s, off + 21, 4);
        Wire.put16(s, off + 22, mss);
    }

    /** An IPv6 ICMPv6 echo request with {@code data} bytes. */
    static byte[] ping6(Ipv6Prefix src, Ipv6Prefix dst, int data) {
        int icmpLen = Icmp6.HEADER + data;
        byte[] p = new byte[Ipv6.HEADER + icmpLen];
        MemorySegment s = seg(p);
        Ipv6.write(s, 0, 0, 0, icmpLen, IpProtocol.ICMPV6, 64, src.hi(), src.lo(), dst.hi(), dst.lo());
        Icmp6.writeEcho(s, 0, Ipv6.HEADER, Icmp6.ECHO_REQUEST, 7, 1, icmpLen);
        return p;
    }

    /**
     * A delivery packet as a (possibly hostile) peer would send it: IPv4 src -> dst, protocol 47,
     * GRE with {@code flags} (C/K/S and anything else, version bits included), then {@code inner}.
     */
    static byte[] gre(int src, int dst, int flags, int protocol, int key, int seq, byte[] inner) {
        int greLen = Gre.headerLength(flags);
        byte[] p = new byte[Ipv4.HEADER + greLen + inner.length];
        MemorySegment s = seg(p);
        System.arraycopy(inner, 0, p, Ipv4.HEADER + greLen, inner.length);
        Gre.write(s, Ipv4.HEADER, flags, protocol, key, seq);
        Wire.put16(s, Ipv4.HEADER, flags); // Gre.write keeps only C/K/S: hostile tests set more
        if ((flags & Gre.C) != 0) {
            Gre.fillChecksum(s, Ipv4.HEADER, greLen + inner.length);
        }
        Ipv4.write(s, 0, 0, p.length, 99, 0, 64, IpProtocol.GRE, src, dst);
        return p;
    }

    static int u16(byte[] p, int off) {
        return Wire.u16(seg(p), off);
    }

    static int i32(byte[] p, int off) {
        return Wire.i32(seg(p), off);
    }

    static int u8(byte[] p, int off) {
        return p[off] & 0xFF;
    }
}
