package io.tunnelbox.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class UdpTest {
    @Test
    void shouldReadFieldsAndVerifyIpv4Checksum() {
        MemorySegment seg = Hex.seg(Ipv4Test.UDP4);
        assertEquals(Reason.OK, Udp.validate(seg, 20, 13));
        assertEquals(1234, Udp.srcPort(seg, 20));
        assertEquals(5678, Udp.dstPort(seg, 20));
        assertEquals(13, Udp.length(seg, 20));
        assertEquals(0x8cff, Udp.checksum(seg, 20));
        assertEquals(0x8cff, Udp.computeChecksum4(seg, 0, 20));
        assertTrue(Udp.verify4(seg, 0, 20));
    }

    @Test
    void shouldComputeIpv6ChecksumLikeScapy() {
        MemorySegment seg = Hex.seg(Ipv6Test.UDP6);
        assertEquals(0x458d, Udp.computeChecksum6(seg, 0, 40));
        assertTrue(Udp.verify6(seg, 0, 40));
    }

    @Test
    void shouldAcceptZeroChecksumOverIpv4Only() {
        MemorySegment v4 = Hex.seg(Ipv4Test.UDP4);
        Wire.put16(v4, 26, 0);
        assertTrue(Udp.verify4(v4, 0, 20));
        MemorySegment v6 = Hex.seg(Ipv6Test.UDP6);
        Wire.put16(v6, 46, 0);
        assertFalse(Udp.verify6(v6, 0, 40));
    }

    @Test
    void shouldRejectWrongChecksum() {
        MemorySegment seg = Hex.seg(Ipv4Test.UDP4);
        Wire.put8(seg, 32, 'H');
        assertFalse(Udp.verify4(seg, 0, 20));
    }

    @Test
    void shouldFillChecksumOverPseudoHeader() {
        MemorySegment seg = Hex.seg(Ipv4Test.UDP4);
        Udp.write(seg, 20, 1234, 5678, 13, 0);
        Udp.fillChecksum4(seg, 0, 20);
        assertEquals(0x8cff, Udp.checksum(seg, 20));
        MemorySegment seg6 = Hex.seg(Ipv6Test.UDP6);
        Wire.put16(seg6, 46, 0);
        Udp.fillChecksum6(seg6, 0, 40);
        assertEquals(0x458d, Udp.checksum(seg6, 40));
    }

    @Test
    void shouldDropLengthBelowHeader() {
        MemorySegment seg = Hex.seg(Ipv4Test.UDP4);
        Wire.put16(seg, 24, 7);
        assertEquals(Reason.UDP_LENGTH, Udp.validate(seg, 20, 13));
    }

    @Test
    void shouldDropLengthPastBuffer() {
        MemorySegment seg = Hex.seg(Ipv4Test.UDP4);
        assertEquals(Reason.TRUNCATED, Udp.validate(seg, 20, 12));
        assertEquals(Reason.TRUNCATED, Udp.validate(seg, 20, 7));
    }
}
