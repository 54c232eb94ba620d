package io.tunnelbox.packet;

import java.lang.foreign.MemorySegment;

/**
 * Tunnel headers in front of a payload that stays where it is (it sits after headroom in its buffer):
 * the encapsulation of a GRE or VXLAN tunnel endpoint over an IPv4 underlay, without allocation, used by
 * the router ({@code router.GreEncapsulator}) and the switch ({@code l2switch.TunnelOutput}). Each
 * method writes backwards from the payload and returns where the outer packet starts. Removal is the
 * datapaths' own first step (each with its own drop reasons): {@code router.TunnelToLan} and
 * {@code l2switch.SwitchDatapath.table0FromTunnel}.
 */
public final class Encapsulation {
    /** Bytes VXLAN over IPv4 puts in front of the inner frame. */
    public static final int VXLAN_IPV4_OVERHEAD = Ipv4.HEADER + Udp.HEADER + Vxlan.HEADER;

    private Encapsulation() {
    }

    /** Bytes GRE over IPv4 puts in front of the payload, for GRE flags C/K/S. */
    public static int greIpv4Overhead(int greFlags) {
        return Ipv4.HEADER + Gre.headerLength(greFlags);
    }

    /**
     * Writes IPv4 + GRE in front of {@code len} payload bytes at off. The GRE checksum, if C is set,
     * covers the payload (the only per-byte work here).
     *
     * @param protocol GRE protocol type of the payload: EtherType IPV4, IPV6 or TEB
     * @param flagsFrag IPv4 flags and fragment word, usually {@link Ipv4#DF} or 0
     * @return the offset of the outer IPv4 header
     */
    public static long greIpv4(MemorySegment seg, long off, int len, int greFlags, int protocol, int key,
                               int sequence, int src, int dst, int tos, int ttl, int id, int flagsFrag) {
        int greLength = Gre.headerLength(greFlags);
        long gre = off - greLength;
        Gre.write(seg, gre, greFlags, protocol, key, sequence);
        if ((greFlags & Gre.C) != 0) {
            Gre.fillChecksum(seg, gre, greLength + len);
        }
        long ip = gre - Ipv4.HEADER;
        Ipv4.write(seg, ip, tos, Ipv4.HEADER + greLength + len, id, flagsFrag, ttl, IpProtocol.GRE, src, dst);
        return ip;
    }

    /**
     * Writes IPv4 + UDP + VXLAN in front of the Ethernet frame at off. The UDP checksum is zero, as
     * RFC 7348 recommends over IPv4, so the frame is never read except by the flow hash.
     *
     * @param srcPort UDP source port, usually {@code Vxlan.sourcePort(FlowHash.of(seg, off, len))}
     * @return the offset of the outer IPv4 header
     */
    public static long vxlanIpv4(MemorySegment seg, long off, int len, int vni, int srcPort, int dstPort,
                                 int src, int dst, int tos, int ttl, int id, int flagsFrag) {
        long vxlan = off - Vxlan.HEADER;
        Vxlan.write(seg, vxlan, vni);
        long udp = vxlan - Udp.HEADER;
        Udp.write(seg, udp, srcPort, dstPort, Udp.HEADER + Vxlan.HEADER + len, 0);
        long ip = udp - Ipv4.HEADER;
        Ipv4.write(seg, ip, tos, VXLAN_IPV4_OVERHEAD + len, id, flagsFrag, ttl, IpProtocol.UDP, src, dst);
        return ip;
    }
}
