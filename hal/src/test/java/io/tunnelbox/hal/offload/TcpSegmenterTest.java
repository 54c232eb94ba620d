package io.tunnelbox.hal.offload;

import static io.tunnelbox.hal.offload.SuperFrames.i32;
import static io.tunnelbox.hal.offload.SuperFrames.u16;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import io.tunnelbox.hal.port.PacketBatch;

class TcpSegmenterTest {
    static final int ACK = 0x10, PSH = 0x08, FIN = 0x01, CWR = 0x80;

    private static PacketBatch segment(byte[] frame, int l3, int type, int mss) {
        TcpSegmenter s = new TcpSegmenter();
        assertTrue(s.load(MemorySegment.ofArray(frame), 0, frame.length, l3, type, mss));
        PacketBatch out = PacketBatch.allocate();
        s.emit(out);
        assertFalse(s.hasMore());
        return out;
    }

    @Test
    void shouldCutAnIpv4SuperFrameIntoMssSegmentsWithAShortLastOne() {
        byte[] data = SuperFrames.payload(4000, 7);
        SuperFrames.Tcp t = new SuperFrames.Tcp(false, false, 0x1234, 1_000_000, 77, ACK | PSH | FIN, 501,
                SuperFrames.timestamps(5, 6), data);
        PacketBatch out = segment(SuperFrames.build(t, true), 0, VnetHeader.GSO_TCPV4, 1448);
        assertEquals(3, out.count());
        int[] sizes = {1448, 1448, 1104};
        for (int k = 0; k < 3; k++) {
            byte[] p = out.toArray(k);
            assertEquals(20 + 32 + sizes[k], p.length);
            assertEquals(p.length, u16(p, 2), "IPv4 total length");
            assertEquals(0x1234 + k, u16(p, 4), "IPv4 id one higher per segment");
            assertEquals(0x4000, u16(p, 6), "DF kept");
            assertEquals(1_000_000 + 1448 * k, i32(p, 24), "sequence number");
            assertEquals(77, i32(p, 28), "ack");
            int flags = p[33] & 0xff;
            assertEquals(k == 2 ? ACK | PSH | FIN : ACK, flags, "PSH and FIN on the last segment only");
            assertTrue(SuperFrames.checksumsValid(p, 0, false), "checksums of segment " + k);
            assertArrayEquals(Arrays.copyOfRange(data, 1448 * k, 1448 * k + sizes[k]), Arrays.copyOfRange(p, 52, p.length));
        }
    }

    @Test
    void shouldCutAnIpv6SuperFrameBehindAnEthernetHeader() {
        byte[] data = SuperFrames.payload(3000, 3);
        SuperFrames.Tcp t = new SuperFrames.Tcp(true, true, 0, -5, 1, ACK | CWR, 100, new byte[0], data);
        PacketBatch out = segment(SuperFrames.build(t, true), 14, VnetHeader.GSO_TCPV6 | VnetHeader.GSO_ECN, 1400);
        assertEquals(3, out.count());
        for (int k = 0; k < 3; k++) {
            byte[] p = out.toArray(k);
            int chunk = Math.min(1400, 3000 - 1400 * k);
            assertEquals(14 + 40 + 20 + chunk, p.length);
            assertEquals(20 + chunk, u16(p, 14 + 4), "IPv6 payload length");
            assertEquals(-5 + 1400 * k, i32(p, 14 + 40 + 4));
            assertEquals(k == 0 ? ACK | CWR : ACK, p[14 + 40 + 13] & 0xff, "CWR on the first segment only");
            assertTrue(SuperFrames.checksumsValid(p, 14, true));
            assertEquals(0x86dd, u16(p, 12));
        }
    }

    @Test
    void shouldContinueInTheNextBatchWhenTheFirstIsFull() {
        SuperFrames.Tcp t = new SuperFrames.Tcp(false, false, 1, 0, 0, ACK, 1, new byte[0], SuperFrames.payload(5000, 1));
        byte[] frame = SuperFrames.build(t, true);
        TcpSegmenter s = new TcpSegmenter();
        assertTrue(s.load(MemorySegment.ofArray(frame), 0, frame.length, 0, VnetHeader.GSO_TCPV4, 1000));
        PacketBatch full = PacketBatch.allocate();
        for (int k = 0; k < PacketBatch.CAPACITY - 2; k++) {
            full.add(new byte[1]);
        }
        assertEquals(2, s.emit(full));
        assertTrue(s.hasMore());
        PacketBatch next = PacketBatch.allocate();
        assertEquals(3, s.emit(next));
        assertEquals(2000, i32(next.toArray(0), 24));
        assertFalse(s.hasMore());
    }

    @Test
    void shouldRefuseFramesThatDoNotMatchTheirGsoType() {
        SuperFrames.Tcp v4 = new SuperFrames.Tcp(false, false, 1, 0, 0, ACK, 1, new byte[0], SuperFrames.payload(3000, 1));
        byte[] frame = SuperFrames.build(v4, true);
        MemorySegment m = MemorySegment.ofArray(frame);
        TcpSegmenter s = new TcpSegmenter();
        assertFalse(s.load(m, 0, frame.length, 0, VnetHeader.GSO_TCPV6, 1000), "IPv4 packet, IPv6 type");
        assertFalse(s.load(m, 0, frame.length, 0, VnetHeader.GSO_UDP, 1000), "UDP fragmentation is never asked for");
        assertFalse(s.load(m, 0, 30, 0, VnetHeader.GSO_TCPV4, 1000), "truncated TCP header");
        assertFalse(s.load(m, 0, frame.length, 0, VnetHeader.GSO_TCPV4, 0), "no segment size");
        assertFalse(s.load(m, 0, frame.length, 0, VnetHeader.GSO_TCPV4, 4000), "a segment larger than a slot");
        assertFalse(s.hasMore());
    }

    @Test
    void shouldCompleteAChecksumTheKernelLeftOpen() {
        SuperFrames.Tcp t = new SuperFrames.Tcp(true, true, 0, 9, 9, ACK | PSH, 9, new byte[0], SuperFrames.payload(333, 5));
        byte[] open = SuperFrames.build(t, true);
        assertFalse(SuperFrames.checksumsValid(open, 14, true));
        TcpSegmenter s = new TcpSegmenter();
        assertTrue(s.completeChecksum(MemorySegment.ofArray(open), 0, open.length, 14 + 40, 16));
        assertArrayEquals(SuperFrames.build(t, false), open);
        assertFalse(s.completeChecksum(MemorySegment.ofArray(open), 0, open.length, open.length - 1, 16));
    }
}
