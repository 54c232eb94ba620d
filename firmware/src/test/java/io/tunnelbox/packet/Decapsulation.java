package io.tunnelbox.packet;

import java.lang.foreign.MemorySegment;

/**
 * A reference decoder for tests and codec benchmarks: takes the delivery headers that
 * {@link Encapsulation} wrote off again, validating every one. The product does not use it: the
 * datapaths remove delivery headers in their own first step, where each drop has its own reason
 * (the router's TunnelToLan, the switch's decapsulate pass).
 */
public final class Decapsulation {
    private Decapsulation() {
    }

    /**
     * Validates an IPv4 delivery packet carrying GRE ({@code len} bytes at off): IPv4 header and checksum,
     * not a fragment, GRE version, reserved bits and checksum.
     *
     * @return the payload offset (its length is {@code off + Ipv4.totalLength - payload}), or a negative
     *     reason code
     */
    public static long greIpv4Payload(MemorySegment seg, long off, long len) {
        int reason = Ipv4.validate(seg, off, len);
        if (reason != Reason.OK) {
            return -reason;
        }
        if (Ipv4.protocol(seg, off) != IpProtocol.GRE || Ipv4.isFragment(seg, off)) {
            return -Reason.UNEXPECTED_PROTOCOL;
        }
        int ihl = Ipv4.headerLength(seg, off);
        long gre = off + ihl;
        reason = Gre.validate(seg, gre, Ipv4.totalLength(seg, off) - ihl);
        if (reason != Reason.OK) {
            return -reason;
        }
        return gre + Gre.headerLength(seg, gre);
    }

    /**
     * Validates an IPv4 delivery packet carrying VXLAN to {@code port}: IPv4 header and checksum, UDP
     * length and checksum (zero allowed), VXLAN I flag.
     *
     * @return the inner frame offset (its length is {@code off + Ipv4.totalLength - frame}), or a negative
     *     reason code
     */
    public static long vxlanIpv4Payload(MemorySegment seg, long off, long len, int port) {
        int reason = Ipv4.validate(seg, off, len);
        if (reason != Reason.OK) {
            return -reason;
        }
        if (Ipv4.protocol(seg, off) != IpProtocol.UDP || Ipv4.isFragment(seg, off)) {
            return -Reason.UNEXPECTED_PROTOCOL;
        }
        int ihl = Ipv4.headerLength(seg, off);
        long udp = off + ihl;
        reason = Udp.validate(seg, udp, Ipv4.totalLength(seg, off) - ihl);
        if (reason != Reason.OK) {
            return -reason;
        }
        if (Udp.dstPort(seg, udp) != port) {
            return -Reason.UNEXPECTED_PROTOCOL;
        }
        if (!Udp.verify4(seg, off, udp)) {
            return -Reason.BAD_CHECKSUM;
        }
        long vxlan = udp + Udp.HEADER;
        reason = Vxlan.validate(seg, vxlan, Udp.length(seg, udp) - Udp.HEADER);
        if (reason != Reason.OK) {
            return -reason;
        }
        return vxlan + Vxlan.HEADER;
    }
}
