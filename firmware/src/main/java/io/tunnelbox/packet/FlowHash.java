package io.tunnelbox.packet;

import java.lang.foreign.MemorySegment;

/**
 * A hash of an Ethernet frame's flow: MAC addresses and EtherType, plus for IPv4/IPv6 the addresses and
 * protocol, plus TCP/UDP ports when present (not on non-first fragments). Packets of one flow hash
 * alike, so an encapsulated flow keeps one underlay path. Reads only inside [off, off+len).
 */
public final class FlowHash {
    private FlowHash() {
    }

    public static int of(MemorySegment seg, long off, long len) {
        if (len < Ethernet.HEADER || !Wire.fits(seg, off, len)) {
            return 0;
        }
        long h = mix(Ethernet.dst(seg, off), Ethernet.src(seg, off));
        long l3 = Ethernet.HEADER;
        int type = Ethernet.etherType(seg, off);
        if (type == Vlan.TPID && len >= Ethernet.HEADER + Vlan.HEADER) {
            type = Vlan.innerEtherType(seg, off);
            l3 += Vlan.HEADER;
        }
        h = mix(h, type);
        long ip = off + l3;
        long ipLen = len - l3;
        if (type == EtherType.IPV4 && ipLen >= Ipv4.HEADER) {
            int protocol = Ipv4.protocol(seg, ip);
            h = mix(h, (long) Ipv4.src(seg, ip) << 32 | (Ipv4.dst(seg, ip) & 0xFFFF_FFFFL));
            h = mix(h, protocol);
            int ihl = Ipv4.headerLength(seg, ip);
            if (Ipv4.fragmentOffset(seg, ip) == 0 && ihl >= Ipv4.HEADER && ipLen >= ihl + 4L && hasPorts(protocol)) {
                h = mix(h, Wire.i32(seg, ip + ihl));
            }
        } else if (type == EtherType.IPV6 && ipLen >= Ipv6.HEADER) {
            h = mix(h, Ipv6.srcHigh(seg, ip) ^ Ipv6.srcLow(seg, ip));
            h = mix(h, Ipv6.dstHigh(seg, ip) ^ Ipv6.dstLow(seg, ip));
            long upper = Ipv6.upperLayer(seg, ip, ipLen);
            if (upper >= 0) {
                int protocol = Ipv6.protocol(upper);
                h = mix(h, protocol);
                if (hasPorts(protocol) && ipLen >= Ipv6.offset(upper) + 4L) {
                    h = mix(h, Wire.i32(seg, ip + Ipv6.offset(upper)));
                }
            }
        }
        return (int) (h ^ (h >>> 32));
    }

    private static boolean hasPorts(int protocol) {
        return protocol == IpProtocol.TCP || protocol == IpProtocol.UDP;
    }

    /** One round of a multiply-xorshift mixer (from SplitMix64's finaliser constants). */
    private static long mix(long h, long v) {
        long x = (h ^ v) * 0xBF58_476D_1CE4_E5B9L;
        x ^= x >>> 31;
        x *= 0x94D0_49BB_1331_11EBL;
        return x ^ (x >>> 29);
    }
}
