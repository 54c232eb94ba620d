package io.tunnelbox.packet;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-side walk of a packet through our flyweights, layer by layer, validating each and recording its
 * fields under scapy's names (see firmware/src/test/scapy/make_vectors.py), so the two implementations
 * can be compared field by field. Stops at the first layer that fails validation.
 */
final class Dissector {
    /** One decoded header: its kind ("eth", "ip", ...), offset, length of it and its payload, name prefix. */
    record Layer(String kind, long off, long len, String prefix, long ipOff) {
    }

    final Map<String, Object> fields = new LinkedHashMap<>();
    final List<Layer> layers = new ArrayList<>();
    int reason = Reason.OK;
    private final MemorySegment seg;

    private Dissector(MemorySegment seg) {
        this.seg = seg;
    }

    static Dissector ip(MemorySegment seg) {
        Dissector d = new Dissector(seg);
        d.ip(0, seg.byteSize(), "");
        return d;
    }

    static Dissector ether(MemorySegment seg) {
        Dissector d = new Dissector(seg);
        d.ether(0, seg.byteSize(), "");
        return d;
    }

    private boolean check(int result) {
        reason = result;
        return result == Reason.OK;
    }

    private void ip(long off, long len, String p) {
        if (len >= 1 && Wire.u8(seg, off) >>> 4 == 6) {
            ipv6(off, len, p);
        } else {
            ipv4(off, len, p);
        }
    }

    private void ether(long off, long len, String p) {
        if (!check(Ethernet.validate(seg, off, len))) {
            return;
        }
        layers.add(new Layer("eth", off, len, p, -1));
        fields.put(p + "eth.dst", MacAddress.format(Ethernet.dst(seg, off)));
        fields.put(p + "eth.src", MacAddress.format(Ethernet.src(seg, off)));
        fields.put(p + "eth.type", Ethernet.etherType(seg, off));
        if (Ethernet.isTagged(seg, off)) {
            fields.put(p + "vlan.vid", Vlan.vid(seg, off));
            fields.put(p + "vlan.pcp", Vlan.pcp(seg, off));
            fields.put(p + "vlan.type", Vlan.innerEtherType(seg, off));
        }
        long payload = Ethernet.payloadOffset(seg, off);
        long rest = len - (payload - off);
        switch (Ethernet.payloadType(seg, off)) {
            case EtherType.IPV4 -> ipv4(payload, rest, p);
            case EtherType.IPV6 -> ipv6(payload, rest, p);
            case EtherType.ARP -> arp(payload, rest, p);
            default -> { }
        }
    }

    private void ipv4(long off, long len, String p) {
        if (!check(Ipv4.validate(seg, off, len))) {
            return;
        }
        layers.add(new Layer("ip", off, Ipv4.totalLength(seg, off), p, -1));
        fields.put(p + "ip.version", Ipv4.version(seg, off));
        fields.put(p + "ip.ihl", Ipv4.headerLength(seg, off) / 4);
        fields.put(p + "ip.tos", Ipv4.tos(seg, off));
        fields.put(p + "ip.len", Ipv4.totalLength(seg, off));
        fields.put(p + "ip.id", Ipv4.id(seg, off));
        // scapy's flags field: bit 1 DF, bit 0 MF
        fields.put(p + "ip.flags", (Ipv4.dontFragment(seg, off) ? 2 : 0) | (Ipv4.moreFragments(seg, off) ? 1 : 0));
        fields.put(p + "ip.frag", Ipv4.fragmentOffset(seg, off));
        fields.put(p + "ip.ttl", Ipv4.ttl(seg, off));
        fields.put(p + "ip.proto", Ipv4.protocol(seg, off));
        fields.put(p + "ip.chksum", Ipv4.checksum(seg, off));
        fields.put(p + "ip.src", Ipv4Address.format(Ipv4.src(seg, off)));
        fields.put(p + "ip.dst", Ipv4Address.format(Ipv4.dst(seg, off)));
        if (Ipv4.isFragment(seg, off)) {
            return;
        }
        int ihl = Ipv4.headerLength(seg, off);
        upper(Ipv4.protocol(seg, off), off, off + ihl, Ipv4.totalLength(seg, off) - ihl, p);
    }

    private void ipv6(long off, long len, String p) {
        if (!check(Ipv6.validate(seg, off, len))) {
            return;
        }
        long total = Ipv6.HEADER + Ipv6.payloadLength(seg, off);
        layers.add(new Layer("ip6", off, total, p, -1));
        fields.put(p + "ip6.tc", Ipv6.trafficClass(seg, off));
        fields.put(p + "ip6.fl", Ipv6.flowLabel(seg, off));
        fields.put(p + "ip6.plen", Ipv6.payloadLength(seg, off));
        fields.put(p + "ip6.nh", Ipv6.nextHeader(seg, off));
        fields.put(p + "ip6.hlim", Ipv6.hopLimit(seg, off));
        fields.put(p + "ip6.src", hex128(Ipv6.srcHigh(seg, off), Ipv6.srcLow(seg, off)));
        fields.put(p + "ip6.dst", hex128(Ipv6.dstHigh(seg, off), Ipv6.dstLow(seg, off)));
        long upper = Ipv6.upperLayer(seg, off, total);
        if (upper < 0) {
            reason = (int) -upper;
            return;
        }
        fields.put(p + "ip6.upper", Ipv6.protocol(upper));
        fields.put(p + "ip6.upper_off", Ipv6.offset(upper));
        upper(Ipv6.protocol(upper), off, off + Ipv6.offset(upper), total - Ipv6.offset(upper), p);
    }

    private void upper(int protocol, long ipOff, long off, long len, String p) {
        boolean v6 = Wire.u8(seg, ipOff) >>> 4 == 6;
        switch (protocol) {
            case IpProtocol.GRE -> gre(off, len, p);
            case IpProtocol.UDP -> udp(ipOff, off, len, p, v6);
            case IpProtocol.TCP -> tcp(ipOff, off, len, p, v6);
            case IpProtocol.ICMP -> icmp(off, len, p);
            case IpProtocol.ICMPV6 -> icmp6(ipOff, off, len, p);
            default -> { }
        }
    }

    private void gre(long off, long len, String p) {
        if (!check(Gre.validate(seg, off, len))) {
            return;
        }
        layers.add(new Layer("gre", off, len, p, -1));
        fields.put(p + "gre.c", Gre.hasChecksum(seg, off) ? 1 : 0);
        fields.put(p + "gre.k", Gre.hasKey(seg, off) ? 1 : 0);
        fields.put(p + "gre.s", Gre.hasSequence(seg, off) ? 1 : 0);
        fields.put(p + "gre.version", Gre.version(seg, off));
        fields.put(p + "gre.proto", Gre.protocol(seg, off));
        if (Gre.hasChecksum(seg, off)) {
            fields.put(p + "gre.chksum", Gre.checksum(seg, off));
        }
        if (Gre.hasKey(seg, off)) {
            fields.put(p + "gre.key", Integer.toUnsignedLong(Gre.key(seg, off)));
        }
        if (Gre.hasSequence(seg, off)) {
            fields.put(p + "gre.seq", Integer.toUnsignedLong(Gre.sequence(seg, off)));
        }
        long inner = off + Gre.headerLength(seg, off);
        long rest = len - Gre.headerLength(seg, off);
        switch (Gre.protocol(seg, off)) {
            case EtherType.IPV4 -> ipv4(inner, rest, "inner.");
            case EtherType.IPV6 -> ipv6(inner, rest, "inner.");
            case EtherType.TEB -> ether(inner, rest, "inner.");
            default -> { }
        }
    }

    private void udp(long ipOff, long off, long len, String p, boolean v6) {
        if (!check(Udp.validate(seg, off, len))) {
            return;
        }
        if (!(v6 ? Udp.verify6(seg, ipOff, off) : Udp.verify4(seg, ipOff, off))) {
            reason = Reason.BAD_CHECKSUM;
            return;
        }
        layers.add(new Layer(v6 ? "udp6" : "udp", off, Udp.length(seg, off), p, ipOff));
        fields.put(p + "udp.sport", Udp.srcPort(seg, off));
        fields.put(p + "udp.dport", Udp.dstPort(seg, off));
        fields.put(p + "udp.len", Udp.length(seg, off));
        fields.put(p + "udp.chksum", Udp.checksum(seg, off));
        if (Udp.dstPort(seg, off) == Vxlan.PORT) {
            vxlan(off + Udp.HEADER, Udp.length(seg, off) - Udp.HEADER, p);
        }
    }

    private void vxlan(long off, long len, String p) {
        if (!check(Vxlan.validate(seg, off, len))) {
            return;
        }
        layers.add(new Layer("vxlan", off, len, p, -1));
        fields.put(p + "vxlan.flags", Vxlan.flags(seg, off));
        fields.put(p + "vxlan.vni", Vxlan.vni(seg, off));
        ether(off + Vxlan.HEADER, len - Vxlan.HEADER, "inner.");
    }

    private void tcp(long ipOff, long off, long len, String p, boolean v6) {
        if (!check(Tcp.validate(seg, off, len))) {
            return;
        }
        if (!(v6 ? Tcp.verify6(seg, ipOff, off, (int) len) : Tcp.verify4(seg, ipOff, off, (int) len))) {
            reason = Reason.BAD_CHECKSUM;
            return;
        }
        layers.add(new Layer("tcp", off, len, p, ipOff));
        fields.put(p + "tcp.sport", Tcp.srcPort(seg, off));
        fields.put(p + "tcp.dport", Tcp.dstPort(seg, off));
        fields.put(p + "tcp.seq", Integer.toUnsignedLong(Tcp.sequence(seg, off)));
        fields.put(p + "tcp.ack", Integer.toUnsignedLong(Tcp.acknowledgment(seg, off)));
        fields.put(p + "tcp.dataofs", Tcp.headerLength(seg, off) / 4);
        fields.put(p + "tcp.flags", Tcp.flags(seg, off));
        fields.put(p + "tcp.window", Tcp.window(seg, off));
        fields.put(p + "tcp.chksum", Tcp.checksum(seg, off));
        fields.put(p + "tcp.mss", Tcp.mss(seg, off, len));
    }

    private void icmp(long off, long len, String p) {
        if (!check(Icmp4.validate(seg, off, len))) {
            return;
        }
        layers.add(new Layer("icmp", off, len, p, -1));
        int type = Icmp4.type(seg, off);
        fields.put(p + "icmp.type", type);
        fields.put(p + "icmp.code", Icmp4.code(seg, off));
        fields.put(p + "icmp.chksum", Icmp4.checksum(seg, off));
        if (type == Icmp4.ECHO_REQUEST || type == Icmp4.ECHO_REPLY) {
            fields.put(p + "icmp.id", Icmp4.echoId(seg, off));
            fields.put(p + "icmp.seq", Icmp4.echoSequence(seg, off));
        }
        if (type == Icmp4.DEST_UNREACHABLE && Icmp4.code(seg, off) == Icmp4.CODE_FRAG_NEEDED) {
            fields.put(p + "icmp.nexthopmtu", Icmp4.nextHopMtu(seg, off));
        }
    }

    private void icmp6(long ipOff, long off, long len, String p) {
        if (!check(Icmp6.validate(seg, ipOff, off, len))) {
            return;
        }
        layers.add(new Layer("icmp6", off, len, p, ipOff));
        int type = Icmp6.type(seg, off);
        fields.put(p + "icmp6.type", type);
        fields.put(p + "icmp6.code", Icmp6.code(seg, off));
        fields.put(p + "icmp6.cksum", Icmp6.checksum(seg, off));
        if (type == Icmp6.ECHO_REQUEST || type == Icmp6.ECHO_REPLY) {
            fields.put(p + "icmp6.id", Icmp6.echoId(seg, off));
            fields.put(p + "icmp6.seq", Icmp6.echoSequence(seg, off));
        }
        if (type == Icmp6.PACKET_TOO_BIG) {
            fields.put(p + "icmp6.mtu", Icmp6.mtu(seg, off));
        }
    }

    private void arp(long off, long len, String p) {
        if (!check(Arp.validate(seg, off, len))) {
            return;
        }
        layers.add(new Layer("arp", off, Arp.HEADER, p, -1));
        fields.put(p + "arp.hwtype", Arp.hardwareType(seg, off));
        fields.put(p + "arp.ptype", Arp.protocolType(seg, off));
        fields.put(p + "arp.op", Arp.operation(seg, off));
        fields.put(p + "arp.hwsrc", MacAddress.format(Arp.senderMac(seg, off)));
        fields.put(p + "arp.psrc", Ipv4Address.format(Arp.senderIp(seg, off)));
        fields.put(p + "arp.hwdst", MacAddress.format(Arp.targetMac(seg, off)));
        fields.put(p + "arp.pdst", Ipv4Address.format(Arp.targetIp(seg, off)));
    }

    private static String hex128(long high, long low) {
        return HexFormat.of().toHexDigits(high) + HexFormat.of().toHexDigits(low);
    }
}
