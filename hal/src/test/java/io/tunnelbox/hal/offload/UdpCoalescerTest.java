package io.tunnelbox.hal.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import io.tunnelbox.hal.port.PacketBatch;

/** Which datagrams join a UDP super-frame, and the headers it gets. */
class UdpCoalescerTest {
    private static final int[] SLOTS = new int[PacketBatch.CAPACITY];

    static {
        Arrays.setAll(SLOTS, k -> k);
    }

    /** An Ethernet + IPv4 + UDP frame with a correct UDP checksum (unless {@code checksum} is false). */
    static byte[] datagram(int id, int srcPort, int payload, byte fill, boolean checksum) {
        byte[] f = new byte[14 + 20 + 8 + payload];
        MemorySegment m = MemorySegment.ofArray(f);
        for (int i = 0; i < 6; i++) {
            f[i] = (byte) (0x02 + i);
            f[6 + i] = (byte) (0x12 + i);
        }
        Fields.put16(m, 12, 0x0800);
        Fields.put8(m, 14, 0x45);
        Fields.put16(m, 16, 20 + 8 + payload);
        Fields.put16(m, 18, id);
        Fields.put16(m, 20, 0x4000);
        Fields.put8(m, 22, 64);
        Fields.put8(m, 23, 17);
        Fields.put32(m, 26, 0x0a000001);
        Fields.put32(m, 30, 0x0a000002);
        Fields.ipv4Checksum(m, 14);
        Fields.put16(m, 34, srcPort);
        Fields.put16(m, 36, 5201);
        Fields.put16(m, 38, 8 + payload);
        Arrays.fill(f, 42, f.length, fill);
        if (checksum) {
            long sum = InetSum.pseudo4(m, 14, 17, 8 + payload);
            int c = ~InetSum.fold(InetSum.add(sum, m, 34, 8 + payload)) & 0xffff;
            Fields.put16(m, 40, c == 0 ? 0xffff : c);
        }
        return f;
    }

    private static PacketBatch batch(byte[]... frames) {
        PacketBatch b = PacketBatch.allocate();
        for (byte[] f : frames) {
            b.add(f);
        }
        return b;
    }

    @Test
    void shouldJoinConsecutiveDatagramsOfOneFlowWithAShorterLast() {
        PacketBatch b = batch(datagram(7, 4000, 64, (byte) 1, true), datagram(8, 4000, 64, (byte) 2, true),
                datagram(9, 4000, 64, (byte) 3, true), datagram(10, 4000, 20, (byte) 4, true),
                datagram(11, 4000, 64, (byte) 5, true));
        UdpCoalescer c = new UdpCoalescer(true);
        assertEquals(4, c.run(b, SLOTS, 0, b.count()), "the short fourth ends the run");
        assertEquals(42, c.headerLength());
        MemorySegment out = MemorySegment.ofArray(new byte[VnetHeader.SIZE + 256]);
        assertEquals(VnetHeader.SIZE + 42, c.writeHeader(b, 0, out, 0));
        assertEquals(VnetHeader.GSO_UDP_L4, VnetHeader.gsoType(out, 0));
        assertEquals(VnetHeader.F_NEEDS_CSUM, VnetHeader.flags(out, 0));
        assertEquals(64, VnetHeader.gsoSize(out, 0));
        assertEquals(42, VnetHeader.hdrLen(out, 0));
        assertEquals(34, VnetHeader.csumStart(out, 0));
        assertEquals(6, VnetHeader.csumOffset(out, 0));
        long ip = VnetHeader.SIZE + 14;
        int udpLength = 8 + 3 * 64 + 20;
        assertEquals(20 + udpLength, Fields.u16(out, ip + 2), "IP total length of the whole run");
        assertEquals(7, Fields.u16(out, ip + 4), "the first datagram's id");
        assertEquals(0xffff, InetSum.fold(InetSum.add(0, out, ip, 20)), "IPv4 header checksum");
        assertEquals(udpLength, Fields.u16(out, ip + 24));
        assertEquals(InetSum.fold(InetSum.pseudo4(out, ip, 17, udpLength)), Fields.u16(out, ip + 26),
                "the pseudo-header sum, for the kernel to complete per datagram");
    }

    @Test
    void shouldEndARunAtAnythingTheKernelWouldNotCutBackTheSame() {
        UdpCoalescer c = new UdpCoalescer(true);
        byte[] a = datagram(7, 4000, 64, (byte) 1, true);
        assertEquals(1, c.run(batch(a, datagram(9, 4000, 64, (byte) 1, true)), SLOTS, 0, 2), "ids not one apart");
        assertEquals(1, c.run(batch(a, datagram(8, 4001, 64, (byte) 1, true)), SLOTS, 0, 2), "another flow");
        assertEquals(1, c.run(batch(a, datagram(8, 4000, 65, (byte) 1, true)), SLOTS, 0, 2), "a longer datagram");
        assertEquals(1, c.run(batch(a, datagram(8, 4000, 64, (byte) 1, false)), SLOTS, 0, 2), "no checksum");
        byte[] corrupt = datagram(8, 4000, 64, (byte) 1, true);
        corrupt[50] ^= 1;
        assertEquals(1, c.run(batch(a, corrupt), SLOTS, 0, 2), "a wrong checksum");
        byte[] ttl = datagram(8, 4000, 64, (byte) 1, true);
        ttl[22] = 63;
        Fields.put16(MemorySegment.ofArray(ttl), 24, 0);
        Fields.ipv4Checksum(MemorySegment.ofArray(ttl), 14);
        assertEquals(1, c.run(batch(a, ttl), SLOTS, 0, 2), "another TTL");
        assertEquals(1, c.run(batch(datagram(7, 4000, 64, (byte) 1, false), datagram(8, 4000, 64, (byte) 1, true)),
                SLOTS, 0, 2), "a first datagram without a checksum");
        byte[][] many = new byte[UdpCoalescer.MAX_RUN + 5][];
        Arrays.setAll(many, k -> datagram(0xfffe + k, 4000, 64, (byte) k, true)); // the id wraps
        assertEquals(UdpCoalescer.MAX_RUN, c.run(batch(many), SLOTS, 0, many.length));
    }

    @Test
    void shouldCoalesceOnATunWithoutALinkHeader() {
        byte[] a = Arrays.copyOfRange(datagram(1, 4000, 100, (byte) 1, true), 14, 14 + 128);
        byte[] b = Arrays.copyOfRange(datagram(2, 4000, 100, (byte) 2, true), 14, 14 + 128);
        UdpCoalescer c = new UdpCoalescer(false);
        assertEquals(2, c.run(batch(a, b), SLOTS, 0, 2));
        assertEquals(28, c.headerLength());
    }
}
