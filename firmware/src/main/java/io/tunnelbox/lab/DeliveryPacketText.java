package io.tunnelbox.lab;

import io.tunnelbox.packet.Arp;
import io.tunnelbox.packet.EtherType;
import io.tunnelbox.packet.Ethernet;
import io.tunnelbox.packet.Gre;
import io.tunnelbox.packet.Icmp4;
import io.tunnelbox.packet.IpProtocol;
import io.tunnelbox.packet.Ipv4;
import io.tunnelbox.packet.Ipv4Address;
import io.tunnelbox.packet.MacAddress;
import io.tunnelbox.packet.Udp;
import io.tunnelbox.packet.Vxlan;
import java.lang.foreign.MemorySegment;

/**
 * One line per delivery packet, decoded with our own codecs, in the spirit of tcpdump:
 * {@code 198.51.100.1 > 203.0.113.1 GRE key 0x1388 seq 1 | 192.168.1.1 > 192.168.2.1 ICMP echo-request}.
 */
final class DeliveryPacketText {
    private DeliveryPacketText() {
    }

    static String describe(byte[] packet) {
        MemorySegment seg = MemorySegment.ofArray(packet);
        int len = packet.length;
        if (Ipv4.validate(seg, 0, len) != 0) {
            return "not an IPv4 delivery packet (" + len + " bytes)";
        }
        StringBuilder sb = new StringBuilder();
        sb.append(Ipv4Address.format(Ipv4.src(seg, 0))).append(" > ").append(Ipv4Address.format(Ipv4.dst(seg, 0)));
        long l4 = Ipv4.headerLength(seg, 0);
        int proto = Ipv4.protocol(seg, 0);
        if (proto == IpProtocol.GRE && Gre.validate(seg, l4, len - l4) == 0) {
            sb.append(" GRE");
            if (Gre.hasKey(seg, l4)) {
                sb.append(" key 0x").append(Integer.toHexString(Gre.key(seg, l4)));
            }
            if (Gre.hasSequence(seg, l4)) {
                sb.append(" seq ").append(Integer.toUnsignedString(Gre.sequence(seg, l4)));
            }
            int inner = Gre.protocol(seg, l4);
            long off = l4 + Gre.headerLength(seg, l4);
            sb.append(" | ");
            if (inner == EtherType.TEB) {
                ethernet(sb, seg, off, len - off);
            } else if (inner == EtherType.IPV4) {
                ipv4(sb, seg, off, len - off);
            } else {
                sb.append("protocol 0x").append(Integer.toHexString(inner));
            }
        } else if (proto == IpProtocol.UDP && len - l4 >= Udp.HEADER + Vxlan.HEADER
                && Udp.dstPort(seg, l4) == Vxlan.PORT && Vxlan.validate(seg, l4 + Udp.HEADER, len - l4 - Udp.HEADER) == 0) {
            long vx = l4 + Udp.HEADER;
            sb.append(" UDP ").append(Udp.srcPort(seg, l4)).append(" > ").append(Vxlan.PORT)
                    .append(" VXLAN vni ").append(Vxlan.vni(seg, vx)).append(" | ");
            ethernet(sb, seg, vx + Vxlan.HEADER, len - vx - Vxlan.HEADER);
        } else {
            sb.append(" protocol ").append(proto);
        }
        return sb.toString();
    }

    private static void ethernet(StringBuilder sb, MemorySegment seg, long off, long len) {
        if (len < Ethernet.HEADER) {
            sb.append("truncated frame");
            return;
        }
        sb.append(MacAddress.format(Ethernet.src(seg, off))).append(" > ")
                .append(MacAddress.format(Ethernet.dst(seg, off))).append(' ');
        int type = Ethernet.etherType(seg, off);
        long l3 = off + Ethernet.HEADER;
        if (type == EtherType.ARP && len >= Ethernet.HEADER + Arp.HEADER) {
            sb.append(Arp.operation(seg, l3) == Arp.REQUEST ? "ARP who-has " : "ARP reply ")
                    .append(Ipv4Address.format(Arp.targetIp(seg, l3)));
        } else if (type == EtherType.IPV4) {
            ipv4(sb, seg, l3, len - Ethernet.HEADER);
        } else {
            sb.append("ethertype 0x").append(Integer.toHexString(type));
        }
    }

    private static void ipv4(StringBuilder sb, MemorySegment seg, long off, long len) {
        if (Ipv4.validate(seg, off, len) != 0) {
            sb.append("bad IPv4");
            return;
        }
        sb.append(Ipv4Address.format(Ipv4.src(seg, off))).append(" > ").append(Ipv4Address.format(Ipv4.dst(seg, off)));
        if (Ipv4.protocol(seg, off) == IpProtocol.ICMP) {
            long icmp = off + Ipv4.headerLength(seg, off);
            int type = Icmp4.type(seg, icmp);
            sb.append(switch (type) {
                case Icmp4.ECHO_REQUEST -> " ICMP echo-request";
                case Icmp4.ECHO_REPLY -> " ICMP echo-reply";
                default -> " ICMP type " + type;
            });
        } else {
            sb.append(" protocol ").append(Ipv4.protocol(seg, off));
        }
    }
}
