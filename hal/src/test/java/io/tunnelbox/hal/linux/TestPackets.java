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
}
