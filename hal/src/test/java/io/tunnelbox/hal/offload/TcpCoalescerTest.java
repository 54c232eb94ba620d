package io.tunnelbox.hal.offload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import io.tunnelbox.hal.port.PacketBatch;

class TcpCoalescerTest {
    static final int ACK = 0x10, PSH = 0x08, FIN = 0x01;

    /** n segments of 1000 bytes of one flow, in order, starting at seq 100. */
    private static PacketBatch flow(int n, boolean v6, boolean ethernet) {
        PacketBatch b = PacketBatch.allocate();
        for (int k = 0; k < n; k++) {
            b.add(SuperFrames.build(new SuperFrames.Tcp(v6, ethernet, 7 + k, 100 + 1000 * k, 1, ACK, 300,
                    SuperFrames.timestamps(1, 2), SuperFrames.payload(1000, k)), false));
        }
        return b;
    }

    private static int[] slots(int n) {
        int[] s = new int[n];
        Arrays.setAll(s, k -> k);
        return s;
    }

    /** Header from the coalescer followed by the payloads of the run: what writev hands the kernel. */
    static byte[] superFrame(TcpCoalescer c, PacketBatch b, int[] slots, int from, int run) {
        MemorySegment header = MemorySegment.ofArray(new byte[VnetHeader.SIZE + 256]);
        int h = c.writeHeader(b, slots[from], header, 0);
        byte[] out = Arrays.copyOfRange(header.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), 0, h);
        for (int k = from; k < from + run; k++) {
            byte[] p = b.toArray(slots[k]);
            byte[] joined = Arrays.copyOf(out, out.length + p.length - c.headerLength());
            System.arraycopy(p, c.headerLength(), joined, out.length, p.length - c.headerLength());
            out = joined;
        }
        return out;
    }

    @Test
    void shouldJoinInOrderSegmentsOfOneFlowIntoAGsoFrame() {
        PacketBatch b = flow(5, false, true);
        TcpCoalescer c = new TcpCoalescer(true);
        assertEquals(5, c.run(b, slots(5), 0, 5));
        byte[] frame = superFrame(c, b, slots(5), 0, 5);
        MemorySegment m = MemorySegment.ofArray(frame);
        assertEquals(VnetHeader.F_NEEDS_CSUM, VnetHeader.flags(m, 0));
        assertEquals(VnetHeader.GSO_TCPV4, VnetHeader.gsoType(m, 0));
        assertEquals(1000, VnetHeader.gsoSize(m, 0));
        assertEquals(14 + 20 + 32, VnetHeader.hdrLen(m, 0));
        assertEquals(14 + 20, VnetHeader.csumStart(m, 0));
        assertEquals(16, VnetHeader.csumOffset(m, 0));
        byte[] expected = SuperFrames.build(new SuperFrames.Tcp(false, true, 7, 100, 1, ACK, 300, SuperFrames.timestamps(1, 2),
                joinedPayloads(5)), true);
        assertArrayEquals(expected, Arrays.copyOfRange(frame, VnetHeader.SIZE, frame.length));
    }

    private static byte[] joinedPayloads(int n) {
        byte[] all = new byte[1000 * n];
        for (int k = 0; k < n; k++) {
            System.arraycopy(SuperFrames.payload(1000, k), 0, all, 1000 * k, 1000);
        }
        return all;
    }

    @Test
    void shouldStopARunAtAGapAnotherFlowABadChecksumOrAPush() {
        TcpCoalescer c = new TcpCoalescer(false);
        PacketBatch gap = flow(4, false, false);
        gap.set(2, gap.offset(2), gap.length(2)); // unchanged; the gap is made by sending slots 0, 1, 3
        assertEquals(2, c.run(gap, new int[] {0, 1, 3}, 0, 3), "a missing segment ends the run");

        PacketBatch bad = flow(4, true, false);
        MemorySegment m = bad.memory();
        long last = bad.offset(2) + bad.length(2) - 1;
        m.set(java.lang.foreign.ValueLayout.JAVA_BYTE, last, (byte) (m.get(java.lang.foreign.ValueLayout.JAVA_BYTE, last) ^ 1));
        assertEquals(2, c.run(bad, slots(4), 0, 4), "a corrupt segment is not laundered into a super-frame");

        PacketBatch other = flow(2, false, false);
        other.add(SuperFrames.build(new SuperFrames.Tcp(false, false, 9, 2100, 2, ACK, 300, SuperFrames.timestamps(1, 2),
                SuperFrames.payload(1000, 2)), false)); // another ack number
        assertEquals(2, c.run(other, slots(3), 0, 3));

        PacketBatch push = PacketBatch.allocate();
        for (int k = 0; k < 3; k++) {
            push.add(SuperFrames.build(new SuperFrames.Tcp(false, false, k, 1000 * k, 1, k == 1 ? ACK | PSH : ACK, 1,
                    new byte[0], SuperFrames.payload(1000, k)), false));
        }
        assertEquals(2, c.run(push, slots(3), 0, 3), "PSH ends the super-frame (it is its last segment)");

        PacketBatch fin = PacketBatch.allocate();
        for (int k = 0; k < 3; k++) {
            fin.add(SuperFrames.build(new SuperFrames.Tcp(false, false, k, 1000 * k, 1, k == 2 ? ACK | FIN : ACK, 1,
                    new byte[0], SuperFrames.payload(1000, k)), false));
        }
        assertEquals(2, c.run(fin, slots(3), 0, 3), "FIN goes on its own");
    }

    @Test
    void shouldEndARunAfterAShortSegment() {
        PacketBatch b = PacketBatch.allocate();
        int[] sizes = {1000, 400, 1000};
        int seq = 0;
        for (int size : sizes) {
            b.add(SuperFrames.build(new SuperFrames.Tcp(false, false, 1, seq, 1, ACK, 1, new byte[0], SuperFrames.payload(size, 0)), false));
            seq += size;
        }
        TcpCoalescer c = new TcpCoalescer(false);
        assertEquals(2, c.run(b, slots(3), 0, 3));
        assertEquals(1, c.run(b, slots(3), 2, 3));
    }

    @Test
    void shouldLeaveTaggedFramesAndNonTcpAlone() {
        PacketBatch b = PacketBatch.allocate();
        byte[] udp = SuperFrames.build(new SuperFrames.Tcp(false, true, 1, 0, 0, ACK, 1, new byte[0], new byte[100]), false);
        udp[14 + 9] = 17;
        b.add(udp);
        b.add(udp);
        assertEquals(1, new TcpCoalescer(true).run(b, slots(2), 0, 2));
    }
}
