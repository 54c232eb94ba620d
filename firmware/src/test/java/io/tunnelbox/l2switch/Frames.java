package io.tunnelbox.l2switch;

import io.tunnelbox.packet.EtherType;
import io.tunnelbox.packet.Ethernet;
import io.tunnelbox.packet.Gre;
import io.tunnelbox.packet.IpProtocol;
import io.tunnelbox.packet.Ipv4;
import io.tunnelbox.packet.Udp;
import io.tunnelbox.packet.Vlan;
import io.tunnelbox.packet.Vxlan;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/** Test fixtures: frames hosts send, delivery packets remotes send, and readers for both. */
final class Frames {
    static final long BROADCAST = 0xFFFF_FFFF_FFFFL;

    private Frames() {
    }

    /** An ARP request from (mac, ip) for {@code target}, tagged with {@code vlan} unless 0. */
    static byte[] arpRequest(long mac, int ip, int target, int vlan) {
        ByteBuffer arp = ByteBuffer.allocate(28);
        arp.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) 1);
        putMac(arp, mac);
        arp.putInt(ip);
        putMac(arp, 0);
        arp.putInt(target);
        return frame(BROADCAST, mac, vlan, EtherType.ARP, arp.array());
    }

    static byte[] arpReply(long mac, int ip, long toMac, int toIp, int vlan) {
        ByteBuffer arp = ByteBuffer.allocate(28);
        arp.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) 2);
        putMac(arp, mac);
        arp.putInt(ip);
        putMac(arp, toMac);
        arp.putInt(toIp);
        return frame(toMac, mac, vlan, EtherType.ARP, arp.array());
    }

    /** An IPv4 ICMP echo request of {@code payload} bytes of data. */
    static byte[] ping(long dst, long src, int srcIp, int dstIp, int vlan, int payload) {
        byte[] ip = new byte[20 + 8 + payload];
        MemorySegment seg = MemorySegment.ofArray(ip);
        Ipv4.write(seg, 0, 0, ip.length, 1, Ipv4.DF, 64, IpProtocol.ICMP, srcIp, dstIp);
        ip[20] = 8;
        return frame(dst, src, vlan, EtherType.IPV4, ip);
    }

    static byte[] frame(long dst, long src, int vlan, int etherType, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(14 + (vlan != 0 ? 4 : 0) + payload.length);
        putMac(b, dst);
        putMac(b, src);
        if (vlan != 0) {
            b.putShort((short) Vlan.TPID).putShort((short) vlan);
        }
        b.putShort((short) etherType).put(payload);
        return b.array();
    }

    private static void putMac(ByteBuffer b, long mac) {
        b.putShort((short) (mac >>> 32)).putInt((int) mac);
    }

    /** A VXLAN delivery packet from {@code src} to {@code dst} carrying {@code frame}. */
    static byte[] vxlan(int src, int dst, int vni, byte[] frame) {
        byte[] p = new byte[36 + frame.length];
        MemorySegment seg = MemorySegment.ofArray(p);
        Ipv4.write(seg, 0, 0, p.length, 7, 0, 64, IpProtocol.UDP, src, dst);
        Udp.write(seg, 20, 50000, Vxlan.PORT, 16 + frame.length, 0);
        Vxlan.write(seg, 28, vni);
        System.arraycopy(frame, 0, p, 36, frame.length);
        return p;
    }

    /** A GRE delivery packet with a key and the given protocol. */
    static byte[] gre(int src, int dst, int key, int protocol, byte[] payload) {
        byte[] p = new byte[28 + payload.length];
        MemorySegment seg = MemorySegment.ofArray(p);
        Ipv4.write(seg, 0, 0, p.length, 7, 0, 64, IpProtocol.GRE, src, dst);
        Gre.write(seg, 20, Gre.K, protocol, key, 0);
        System.arraycopy(payload, 0, p, 28, payload.length);
        return p;
    }

    // Readers.
    static MemorySegment seg(byte[] p) {
        return MemorySegment.ofArray(p);
    }

    static int outerSrc(byte[] p) {
        return Ipv4.src(seg(p), 0);
    }

    static int outerDst(byte[] p) {
        return Ipv4.dst(seg(p), 0);
    }

    static int protocol(byte[] p) {
        return Ipv4.protocol(seg(p), 0);
    }

    /** The VNI or GRE key of a delivery packet. */
    static int tunnelId(byte[] p) {
        return protocol(p) == IpProtocol.UDP ? Vxlan.vni(seg(p), 28) : Gre.key(seg(p), 20);
    }

    /** The inner frame of a delivery packet. */
    static byte[] inner(byte[] p) {
        int off = protocol(p) == IpProtocol.UDP ? 36 : 20 + Gre.headerLength(Gre.flags(seg(p), 20));
        byte[] out = new byte[p.length - off];
        System.arraycopy(p, off, out, 0, out.length);
        return out;
    }

    static long dst(byte[] frame) {
        return Ethernet.dst(seg(frame), 0);
    }

    static long src(byte[] frame) {
        return Ethernet.src(seg(frame), 0);
    }

    /** The 802.1Q VLAN of a frame, 0 if untagged. */
    static int vlan(byte[] frame) {
        return Ethernet.isTagged(seg(frame), 0) ? Vlan.vid(seg(frame), 0) : 0;
    }

    /** The frame without its tag (if any), for comparing payloads. */
    static byte[] untag(byte[] frame) {
        if (vlan(frame) == 0 && !Ethernet.isTagged(seg(frame), 0)) {
            return frame;
        }
        byte[] out = new byte[frame.length - 4];
        System.arraycopy(frame, 0, out, 0, 12);
        System.arraycopy(frame, 16, out, 12, frame.length - 16);
        return out;
    }

    static int ip(String dotted) {
        String[] p = dotted.split("\\.");
        return Integer.parseInt(p[0]) << 24 | Integer.parseInt(p[1]) << 16 | Integer.parseInt(p[2]) << 8
                | Integer.parseInt(p[3]);
    }
}
