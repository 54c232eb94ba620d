package io.tunnelbox.hal.linux;

import java.nio.ByteBuffer;

/** Hand-made packets for the Linux I/O tests (hal cannot use the firmware's codecs). */
final class TestPackets {
    private TestPackets() {
    }

    static int checksum(byte[] b, int off, int len) {
        long sum = 0;
        for (int k = 0; k + 1 < len; k += 2) {
            sum += ((b[off + k] & 0xff) << 8) | (b[off + k + 1] & 0xff);
        }
        if ((len & 1) != 0) {
            sum += (b[off + len - 1] & 0xff) << 8;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }

    static int ipv4(String dotted) {
        String[] p = dotted.split("\\.");
        return (Integer.parseInt(p[0]) << 24) | (Integer.parseInt(p[1]) << 16) | (Integer.parseInt(p[2]) << 8) | Integer.parseInt(p[3]);
    }

    /** Writes a 20-byte IPv4 header with checksum at {@code off}. */
    static void ipv4Header(byte[] b, int off, int tos, int totalLength, int ttl, int protocol, int src, int dst, boolean df) {
        ByteBuffer bb = ByteBuffer.wrap(b);
        bb.put(off, (byte) 0x45).put(off + 1, (byte) tos).putShort(off + 2, (short) totalLength)
                .putShort(off + 4, (short) 0x1234).putShort(off + 6, (short) (df ? 0x4000 : 0))
                .put(off + 8, (byte) ttl).put(off + 9, (byte) protocol).putShort(off + 10, (short) 0)
                .putInt(off + 12, src).putInt(off + 16, dst);
        bb.putShort(off + 10, (short) checksum(b, off, 20));
    }

    static boolean isIcmpEchoRequest(byte[] ip, int off) {
        return (ip[off] & 0xf0) == 0x40 && ip[off + 9] == 1 && ip[off + (ip[off] & 0x0f) * 4] == 8;
    }

    /** An echo reply to the IPv4 echo request at {@code off} (addresses swapped, checksums fixed). */
    static byte[] echoReply(byte[] request, int off, int len) {
        byte[] r = java.util.Arrays.copyOfRange(request, off, off + len);
        ByteBuffer bb = ByteBuffer.wrap(r);
        int src = bb.getInt(12), dst = bb.getInt(16);
        int ihl = (r[0] & 0x0f) * 4;
        ipv4Header(r, 0, 0, len, 64, 1, dst, src, false);
        r[ihl] = 0; // type: echo reply
        bb.putShort(ihl + 2, (short) 0);
        bb.putShort(ihl + 2, (short) checksum(r, ihl, len - ihl));
        return r;
    }

    static int u16(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }

    static int u32(byte[] b, int off) {
        return ByteBuffer.wrap(b).getInt(off);
    }

    static long mac(byte[] b, int off) {
        long m = 0;
        for (int k = 0; k < 6; k++) {
            m = (m << 8) | (b[off + k] & 0xff);
        }
        return m;
    }

    static void putMac(byte[] b, int off, long mac) {
        for (int k = 5; k >= 0; k--) {
            b[off + k] = (byte) mac;
            mac >>>= 8;
        }
    }

    /** An IPv4 ICMP echo request of {@code payload} bytes. */
    static byte[] echoRequest(int src, int dst, int id, int seq, int payload) {
        byte[] p = new byte[28 + payload];
        ipv4Header(p, 0, 0, p.length, 64, 1, src, dst, false);
        ByteBuffer bb = ByteBuffer.wrap(p);
        p[20] = 8;
        bb.putShort(24, (short) id).putShort(26, (short) seq);
        for (int k = 28; k < p.length; k++) {
            p[k] = (byte) k;
        }
        bb.putShort(22, (short) checksum(p, 20, p.length - 20));
        return p;
    }

    /** An Ethernet frame around {@code payload}. */
    static byte[] ethernet(long dst, long src, int etherType, byte[] payload) {
        byte[] f = new byte[14 + payload.length];
        putMac(f, 0, dst);
        putMac(f, 6, src);
        f[12] = (byte) (etherType >> 8);
        f[13] = (byte) etherType;
        System.arraycopy(payload, 0, f, 14, payload.length);
        return f;
    }

    /** An ARP request (op 1) or reply (op 2) body. */
    static byte[] arp(int op, long senderMac, int senderIp, long targetMac, int targetIp) {
        byte[] a = new byte[28];
        ByteBuffer bb = ByteBuffer.wrap(a);
        bb.putShort(0, (short) 1).putShort(2, (short) 0x0800).put(4, (byte) 6).put(5, (byte) 4).putShort(6, (short) op);
        putMac(a, 8, senderMac);
        bb.putInt(14, senderIp);
        putMac(a, 18, targetMac);
        bb.putInt(24, targetIp);
        return a;
    }

    /** A complete VXLAN delivery packet: outer IPv4 (DF off, TTL given), UDP (checksum 0), VXLAN, frame. */
    static byte[] vxlanDelivery(int src, int dst, int ttl, int srcPort, int vni, byte[] frame) {
        byte[] p = new byte[20 + 8 + 8 + frame.length];
        ipv4Header(p, 0, 0, p.length, ttl, 17, src, dst, false);
        ByteBuffer bb = ByteBuffer.wrap(p);
        bb.putShort(20, (short) srcPort).putShort(22, (short) 4789).putShort(24, (short) (p.length - 20)).putShort(26, (short) 0);
        bb.putInt(28, 0x08000000).putInt(32, vni << 8);
        System.arraycopy(frame, 0, p, 36, frame.length);
        return p;
    }

    /** A GRE delivery packet with a key (RFC 2890) around {@code inner}. */
    static byte[] greDelivery(int src, int dst, int tos, int ttl, boolean df, int protocol, int key, byte[] inner) {
        byte[] p = new byte[20 + 8 + inner.length];
        ipv4Header(p, 0, tos, p.length, ttl, 47, src, dst, df);
        ByteBuffer bb = ByteBuffer.wrap(p);
        bb.putShort(20, (short) 0x2000).putShort(22, (short) protocol).putInt(24, key);
        System.arraycopy(inner, 0, p, 28, inner.length);
        return p;
    }
}
