package io.tunnelbox.hal.offload;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/** Builds TCP packets and super-frames (IPv4 or IPv6, with or without Ethernet) for the offload tests. */
final class SuperFrames {
    static final long DST_MAC = 0x02_00_00_00_00_0bL, SRC_MAC = 0x02_00_00_00_00_0aL;
    static final byte[] V4_SRC = {10, 97, 0, 2};
    static final byte[] V4_DST = {10, 97, 1, 2};
    static final byte[] V6_SRC = v6(0x02), V6_DST = v6(0x12);

    private SuperFrames() {
    }

    private static byte[] v6(int last) {
        byte[] a = new byte[16];
        a[0] = (byte) 0xfd;
        a[1] = (byte) 0x97;
        a[15] = (byte) last;
        return a;
    }

    /** What describes one TCP packet. */
    record Tcp(boolean v6, boolean ethernet, int ipId, int seq, int ack, int flags, int window, byte[] options, byte[] payload) {
        int l3() {
            return ethernet ? 14 : 0;
        }

        int ipHeader() {
            return v6 ? 40 : 20;
        }

        int headers() {
            return l3() + ipHeader() + 20 + options.length;
        }
    }

    /**
     * The packet as bytes. {@code partialChecksum}: the TCP checksum field holds the folded
     * pseudo-header sum (as the kernel hands over a super-frame with NEEDS_CSUM); otherwise the
     * complete checksum.
     */
    static byte[] build(Tcp t, boolean partialChecksum) {
        int tcpLength = 20 + t.options().length + t.payload().length;
        byte[] p = new byte[t.l3() + t.ipHeader() + tcpLength];
        ByteBuffer b = ByteBuffer.wrap(p);
        if (t.ethernet()) {
            b.putShort((short) (DST_MAC >>> 32)).putInt((int) DST_MAC);
            b.putShort((short) (SRC_MAC >>> 32)).putInt((int) SRC_MAC);
            b.putShort((short) (t.v6() ? 0x86dd : 0x0800));
        }
        int ip = b.position();
        if (t.v6()) {
            b.putInt(0x6000_0000).putShort((short) tcpLength).put((byte) 6).put((byte) 64).put(V6_SRC).put(V6_DST);
        } else {
            b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + tcpLength)).putShort((short) t.ipId())
                    .putShort((short) 0x4000).put((byte) 64).put((byte) 6).putShort((short) 0).put(V4_SRC).put(V4_DST);
        }
        int tcp = b.position();
        b.putShort((short) 40000).putShort((short) 5201).putInt(t.seq()).putInt(t.ack())
                .put((byte) (((20 + t.options().length) / 4) << 4)).put((byte) t.flags()).putShort((short) t.window())
                .putShort((short) 0).putShort((short) 0).put(t.options()).put(t.payload());
        MemorySegment m = MemorySegment.ofArray(p);
        if (!t.v6()) {
            Fields.ipv4Checksum(m, ip);
        }
        if (partialChecksum) {
            long pseudo = t.v6() ? InetSum.pseudo6(m, ip, 6, tcpLength) : InetSum.pseudo4(m, ip, 6, tcpLength);
            Fields.put16(m, tcp + 16, InetSum.fold(pseudo));
        } else {
            Fields.put16(m, tcp + 16, Fields.tcpChecksum(new InetSum(), m, ip, t.v6(), tcp, tcpLength));
        }
        return p;
    }

    /** True if the packet's TCP checksum (and IPv4 header checksum) verify. */
    static boolean checksumsValid(byte[] p, int l3, boolean v6) {
        MemorySegment m = MemorySegment.ofArray(p);
        int ipHeader = v6 ? 40 : (p[l3] & 0x0f) * 4;
        if (!v6 && InetSum.fold(InetSum.add(0, m, l3, ipHeader)) != 0xffff) {
            return false;
        }
        int tcpLength = p.length - l3 - ipHeader;
        long sum = v6 ? InetSum.pseudo6(m, l3, 6, tcpLength) : InetSum.pseudo4(m, l3, 6, tcpLength);
        return InetSum.fold(InetSum.add(sum, m, l3 + ipHeader, tcpLength)) == 0xffff;
    }

    static int u16(byte[] p, int off) {
        return ((p[off] & 0xff) << 8) | (p[off + 1] & 0xff);
    }

    static int i32(byte[] p, int off) {
        return ByteBuffer.wrap(p, off, 4).getInt();
    }

    /** Timestamp option as Linux sends it: two NOPs and TSopt (12 bytes). */
    static byte[] timestamps(int value, int echo) {
        return ByteBuffer.allocate(12).put((byte) 1).put((byte) 1).put((byte) 8).put((byte) 10)
                .putInt(value).putInt(echo).array();
    }

    static byte[] payload(int length, int seed) {
        byte[] d = new byte[length];
        for (int k = 0; k < length; k++) {
            d[k] = (byte) (k * 31 + seed);
        }
        return d;
    }
}
