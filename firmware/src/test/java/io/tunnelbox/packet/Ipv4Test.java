package io.tunnelbox.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class Ipv4Test {
    // scapy: IP(src="10.0.0.1",dst="10.0.0.2",id=1,ttl=64)/UDP(sport=1234,dport=5678)/b"hello"
    static final String UDP4 =
            "4500 0021"      // v4, IHL 5, TOS 0, total 33
          + "0001 0000"      // id 1, no flags
          + "4011 66c9"      // TTL 64, UDP, checksum
          + "0a00 0001"      // 10.0.0.1
          + "0a00 0002"      // 10.0.0.2
          + "04d2 162e 000d 8cff" // UDP 1234 -> 5678, length 13
          + "6865 6c6c 6f";  // "hello"

    @Test
    void shouldReadEveryField() {
        MemorySegment seg = Hex.seg(UDP4);
        assertEquals(Reason.OK, Ipv4.validate(seg, 0, seg.byteSize()));
        assertEquals(4, Ipv4.version(seg, 0));
        assertEquals(20, Ipv4.headerLength(seg, 0));
        assertEquals(0, Ipv4.tos(seg, 0));
        assertEquals(33, Ipv4.totalLength(seg, 0));
        assertEquals(1, Ipv4.id(seg, 0));
        assertFalse(Ipv4.dontFragment(seg, 0));
        assertFalse(Ipv4.moreFragments(seg, 0));
        assertFalse(Ipv4.isFragment(seg, 0));
        assertEquals(64, Ipv4.ttl(seg, 0));
        assertEquals(IpProtocol.UDP, Ipv4.protocol(seg, 0));
        assertEquals(0x66c9, Ipv4.checksum(seg, 0));
        assertEquals(0x0a000001, Ipv4.src(seg, 0));
        assertEquals(0x0a000002, Ipv4.dst(seg, 0));
    }

    @Test
    void shouldWriteByteIdenticalHeader() {
        MemorySegment seg = MemorySegment.ofArray(new byte[20]);
        Ipv4.write(seg, 0, 0, 33, 1, 0, 64, IpProtocol.UDP, 0x0a000001, 0x0a000002);
        assertEquals(UDP4.replace(" ", "").substring(0, 40), Hex.of(seg, 0, 20));
    }

    @Test
    void shouldReadFragmentFields() {
        MemorySegment seg = MemorySegment.ofArray(new byte[20]);
        Ipv4.write(seg, 0, 0xB8, 20, 0x1234, Ipv4.MF | 185, 1, IpProtocol.ICMP, 1, 2);
        assertTrue(Ipv4.moreFragments(seg, 0));
        assertFalse(Ipv4.dontFragment(seg, 0));
        assertEquals(185, Ipv4.fragmentOffset(seg, 0));
        assertTrue(Ipv4.isFragment(seg, 0));
        assertEquals(0xB8, Ipv4.tos(seg, 0));
        Ipv4.write(seg, 0, 0, 20, 0, Ipv4.DF, 1, IpProtocol.ICMP, 1, 2);
        assertTrue(Ipv4.dontFragment(seg, 0));
        assertFalse(Ipv4.isFragment(seg, 0));
    }

    @Test
    void shouldDropHeaderShorterThanTwentyBytes() {
        assertEquals(Reason.TRUNCATED, Ipv4.validate(Hex.seg(UDP4), 0, 19));
    }

    @Test
    void shouldDropWrongVersion() {
        MemorySegment seg = Hex.seg(UDP4);
        Wire.put8(seg, 0, 0x65);
        assertEquals(Reason.IP_VERSION, Ipv4.validate(seg, 0, seg.byteSize()));
    }

    @Test
    void shouldDropIhlBelowFive() {
        MemorySegment seg = Hex.seg(UDP4);
        Wire.put8(seg, 0, 0x44);
        assertEquals(Reason.IPV4_IHL, Ipv4.validate(seg, 0, seg.byteSize()));
    }

    @Test
    void shouldDropIhlLargerThanPacket() {
        MemorySegment seg = Hex.seg(UDP4);
        Wire.put8(seg, 0, 0x4F); // 60-byte header in a 33-byte packet
        assertEquals(Reason.IPV4_IHL, Ipv4.validate(seg, 0, seg.byteSize()));
    }

    @Test
    void shouldDropTotalLengthSmallerThanHeader() {
        MemorySegment seg = Hex.seg(UDP4);
        Ipv4.setTotalLength(seg, 0, 19);
        assertEquals(Reason.IPV4_LENGTH, Ipv4.validate(seg, 0, seg.byteSize()));
    }

    @Test
    void shouldDropTotalLengthPastBuffer() {
        MemorySegment seg = Hex.seg(UDP4);
        assertEquals(Reason.TRUNCATED, Ipv4.validate(seg, 0, 32));
    }

    @Test
    void shouldDropBadChecksum() {
        MemorySegment seg = Hex.seg(UDP4);
        Wire.put16(seg, 10, 0x66ca);
        assertEquals(Reason.BAD_CHECKSUM, Ipv4.validate(seg, 0, seg.byteSize()));
    }

    @Test
    void shouldKeepChecksumValidWhenDecrementingTtl() {
        MemorySegment seg = Hex.seg(UDP4);
        assertEquals(63, Ipv4.decTtl(seg, 0));
        assertEquals(63, Ipv4.ttl(seg, 0));
        assertEquals(Reason.OK, Ipv4.validate(seg, 0, seg.byteSize()));
        int incremental = Ipv4.checksum(seg, 0);
        Ipv4.fillChecksum(seg, 0);
        assertEquals(Ipv4.checksum(seg, 0), incremental);
    }

    @Test
    void shouldNotDecrementTtlBelowZero() {
        MemorySegment seg = Hex.seg(UDP4);
        Ipv4.setTtl(seg, 0, 1);
        assertEquals(0, Ipv4.decTtl(seg, 0));
        assertEquals(0, Ipv4.decTtl(seg, 0));
        assertEquals(0, Ipv4.ttl(seg, 0));
        assertEquals(Reason.OK, Ipv4.validate(seg, 0, seg.byteSize()));
    }

    @Test
    void shouldValidateHeaderWithOptions() {
        MemorySegment seg = MemorySegment.ofArray(new byte[28]);
        Ipv4.write(seg, 0, 0, 28, 9, 0, 5, IpProtocol.UDP, 1, 2);
        Wire.put8(seg, 0, 0x46); // IHL 6: a 4-byte option (all zero = end of options)
        Ipv4.fillChecksum(seg, 0);
        assertEquals(Reason.OK, Ipv4.validate(seg, 0, 28));
        assertEquals(24, Ipv4.headerLength(seg, 0));
    }
}
