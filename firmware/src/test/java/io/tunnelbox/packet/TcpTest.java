package io.tunnelbox.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class TcpTest {
    static final String IP = "4500 0030 0001 0000 4006 66c5 0a00 0001 0a00 0002";
    static final String TCP_HEAD = "9c40 0050 0000 03e8 0000 0000 7002 2000"; // 40000 -> 80, seq 1000, SYN

    // scapy: TCP(flags="S", options=[MSS 1460, NOP, WScale 7]) and the same with MSS 1360
    static final String SYN_1460 = IP + TCP_HEAD + "af9d 0000" + "0204 05b4 0103 0307";
    static final String SYN_1360 = IP + TCP_HEAD + "b001 0000" + "0204 0550 0103 0307";
    // The MSS value at an odd offset: options [NOP, MSS, WScale]
    static final String SYN_ODD_1460 = IP + TCP_HEAD + "ff4d 0000" + "0102 0405 b403 0307";
    static final String SYN_ODD_1360 = IP + TCP_HEAD + "634e 0000" + "0102 0405 5003 0307";

    @Test
    void shouldReadHeaderAndMss() {
        MemorySegment seg = Hex.seg(SYN_1460);
        assertEquals(Reason.OK, Tcp.validate(seg, 20, 28));
        assertEquals(40000, Tcp.srcPort(seg, 20));
        assertEquals(80, Tcp.dstPort(seg, 20));
        assertEquals(1000, Tcp.sequence(seg, 20));
        assertEquals(28, Tcp.headerLength(seg, 20));
        assertEquals(Tcp.SYN, Tcp.flags(seg, 20));
        assertEquals(1460, Tcp.mss(seg, 20, 28));
        assertTrue(Tcp.verify4(seg, 0, 20, 28));
    }

    @Test
    void shouldClampMssWithIncrementalChecksumLikeScapy() {
        MemorySegment seg = Hex.seg(SYN_1460);
        assertTrue(Tcp.clampMss(seg, 0, 20, 28, 1360, false));
        assertEquals(SYN_1360.replace(" ", ""), Hex.of(seg, 0, seg.byteSize()));
        assertTrue(Tcp.verify4(seg, 0, 20, 28));
    }

    @Test
    void shouldClampMssAtOddOffset() {
        MemorySegment seg = Hex.seg(SYN_ODD_1460);
        assertTrue(Tcp.clampMss(seg, 20, 28, 1360));
        assertEquals(SYN_ODD_1360.replace(" ", ""), Hex.of(seg, 0, seg.byteSize()));
    }

    @Test
    void shouldLeaveSmallerMssAlone() {
        MemorySegment seg = Hex.seg(SYN_1360);
        assertFalse(Tcp.clampMss(seg, 20, 28, 1400));
        assertEquals(SYN_1360.replace(" ", ""), Hex.of(seg, 0, seg.byteSize()));
    }

    @Test
    void shouldNotTouchSegmentsWithoutSyn() {
        MemorySegment seg = Hex.seg(SYN_1460);
        Wire.put8(seg, 33, Tcp.ACK);
        assertFalse(Tcp.clampMss(seg, 20, 28, 1000));
        assertEquals(1460, Tcp.mss(seg, 20, 28));
    }

    @Test
    void shouldIgnoreMalformedOptions() {
        MemorySegment seg = Hex.seg(IP + TCP_HEAD + "0000 0000" + "0205 05b4 0103 0307"); // MSS length 5
        assertEquals(-1, Tcp.mss(seg, 20, 28));
        assertFalse(Tcp.clampMss(seg, 20, 28, 1000));
        MemorySegment runaway = Hex.seg(IP + TCP_HEAD + "0000 0000" + "0103 ff00 0000 0000"); // length past header
        assertEquals(-1, Tcp.mss(runaway, 20, 28));
    }

    @Test
    void shouldDropBadDataOffset() {
        MemorySegment seg = Hex.seg(SYN_1460);
        Wire.put8(seg, 32, 0x40);
        assertEquals(Reason.TCP_OFFSET, Tcp.validate(seg, 20, 28));
        Wire.put8(seg, 32, 0xF0);
        assertEquals(Reason.TCP_OFFSET, Tcp.validate(seg, 20, 28));
        assertEquals(Reason.TRUNCATED, Tcp.validate(seg, 20, 19));
    }
}
