package io.tunnelbox.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class Ipv6Test {
    // scapy: IPv6(src="2001:db8::1",dst="2001:db8::2")/UDP(sport=1234,dport=5678)/b"hello"
    static final String UDP6 =
            "6000 0000 000d 1140"                      // v6, payload 13, UDP, hop limit 64
          + "2001 0db8 0000 0000 0000 0000 0000 0001"  // src
          + "2001 0db8 0000 0000 0000 0000 0000 0002"  // dst
          + "04d2 162e 000d 458d 6865 6c6c 6f";        // UDP, "hello"

    // scapy: same addresses / IPv6ExtHdrHopByHop() / IPv6ExtHdrFragment(m=1, id=5) / UDP(1, 2) / b"x"
    static final String EXT6 =
            "6000 0000 0019 0040"
          + "2001 0db8 0000 0000 0000 0000 0000 0001"
          + "2001 0db8 0000 0000 0000 0000 0000 0002"
          + "2c00 0104 0000 0000"   // hop-by-hop (next: fragment), PadN
          + "1100 0001 0000 0005"   // fragment (next: UDP), offset 0, M, id 5
          + "0001 0002 0009 2c64 78";

    @Test
    void shouldReadEveryField() {
        MemorySegment seg = Hex.seg(UDP6);
        assertEquals(Reason.OK, Ipv6.validate(seg, 0, seg.byteSize()));
        assertEquals(6, Ipv6.version(seg, 0));
        assertEquals(0, Ipv6.trafficClass(seg, 0));
        assertEquals(0, Ipv6.flowLabel(seg, 0));
        assertEquals(13, Ipv6.payloadLength(seg, 0));
        assertEquals(IpProtocol.UDP, Ipv6.nextHeader(seg, 0));
        assertEquals(64, Ipv6.hopLimit(seg, 0));
        assertEquals(0x2001_0db8_0000_0000L, Ipv6.srcHigh(seg, 0));
        assertEquals(1L, Ipv6.srcLow(seg, 0));
        assertEquals(0x2001_0db8_0000_0000L, Ipv6.dstHigh(seg, 0));
        assertEquals(2L, Ipv6.dstLow(seg, 0));
    }

    @Test
    void shouldWriteByteIdenticalHeader() {
        MemorySegment seg = MemorySegment.ofArray(new byte[40]);
        Ipv6.write(seg, 0, 0, 0, 13, IpProtocol.UDP, 64, 0x2001_0db8_0000_0000L, 1, 0x2001_0db8_0000_0000L, 2);
        assertEquals(UDP6.replace(" ", "").substring(0, 80), Hex.of(seg, 0, 40));
    }

    @Test
    void shouldWriteTrafficClassAndFlowLabel() {
        MemorySegment seg = MemorySegment.ofArray(new byte[40]);
        Ipv6.write(seg, 0, 0xB8, 0xABCDE, 0, IpProtocol.IPV6_NONE, 1, 0, 0, 0, 0);
        assertEquals(0xB8, Ipv6.trafficClass(seg, 0));
        assertEquals(0xABCDE, Ipv6.flowLabel(seg, 0));
        assertEquals(6, Ipv6.version(seg, 0));
    }

    @Test
    void shouldFindUpperLayerWithoutExtensions() {
        MemorySegment seg = Hex.seg(UDP6);
        long upper = Ipv6.upperLayer(seg, 0, seg.byteSize());
        assertEquals(IpProtocol.UDP, Ipv6.protocol(upper));
        assertEquals(40, Ipv6.offset(upper));
    }

    @Test
    void shouldSkipHopByHopAndFirstFragmentHeaders() {
        MemorySegment seg = Hex.seg(EXT6);
        assertEquals(Reason.OK, Ipv6.validate(seg, 0, seg.byteSize()));
        long upper = Ipv6.upperLayer(seg, 0, seg.byteSize());
        assertEquals(IpProtocol.UDP, Ipv6.protocol(upper));
        assertEquals(56, Ipv6.offset(upper));
    }

    @Test
    void shouldStopAtLaterFragmentHeader() {
        MemorySegment seg = Hex.seg(EXT6);
        Wire.put16(seg, 50, 0x0008); // fragment offset 1 (8 bytes)
        long upper = Ipv6.upperLayer(seg, 0, seg.byteSize());
        assertEquals(IpProtocol.IPV6_FRAGMENT, Ipv6.protocol(upper));
        assertEquals(48, Ipv6.offset(upper));
    }

    @Test
    void shouldReportExtensionChainRunningPastPayload() {
        MemorySegment seg = Hex.seg(EXT6);
        Wire.put8(seg, 41, 200); // hop-by-hop length of 1608 bytes
        assertEquals(-Reason.IPV6_EXTENSION, Ipv6.upperLayer(seg, 0, seg.byteSize()));
    }

    @Test
    void shouldDropWrongVersion() {
        MemorySegment seg = Hex.seg(UDP6);
        Wire.put8(seg, 0, 0x40);
        assertEquals(Reason.IP_VERSION, Ipv6.validate(seg, 0, seg.byteSize()));
    }

    @Test
    void shouldDropPayloadLengthPastBuffer() {
        MemorySegment seg = Hex.seg(UDP6);
        assertEquals(Reason.TRUNCATED, Ipv6.validate(seg, 0, seg.byteSize() - 1));
        assertEquals(Reason.TRUNCATED, Ipv6.validate(seg, 0, 39));
    }
}
