package io.tunnelbox.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** Write-then-read round trips: whatever a writer is given, the reader gives back. */
class CodecPropertiesTest {
    @Property
    void ipv4HeaderRoundTrips(@ForAll @IntRange(max = 255) int tos, @ForAll @IntRange(min = 20, max = 65535) int totalLength,
                              @ForAll @IntRange(max = 65535) int id, @ForAll @IntRange(max = 0x7FFF) int flagsFrag,
                              @ForAll @IntRange(max = 255) int ttl, @ForAll @IntRange(max = 255) int protocol,
                              @ForAll int src, @ForAll int dst, @ForAll @IntRange(max = 7) int at) {
        MemorySegment seg = MemorySegment.ofArray(new byte[at + 20]);
        Ipv4.write(seg, at, tos, totalLength, id, flagsFrag & 0x7FFF, ttl, protocol, src, dst);
        assertEquals(totalLength == 20 ? Reason.OK : Reason.TRUNCATED, Ipv4.validate(seg, at, 20));
        assertTrue(Checksum.verify(seg, at, 20));
        assertEquals(tos, Ipv4.tos(seg, at));
        assertEquals(totalLength, Ipv4.totalLength(seg, at));
        assertEquals(id, Ipv4.id(seg, at));
        assertEquals((flagsFrag & Ipv4.DF) != 0, Ipv4.dontFragment(seg, at));
        assertEquals((flagsFrag & Ipv4.MF) != 0, Ipv4.moreFragments(seg, at));
        assertEquals(flagsFrag & Ipv4.FRAGMENT_OFFSET_MASK, Ipv4.fragmentOffset(seg, at));
        assertEquals(ttl, Ipv4.ttl(seg, at));
        assertEquals(protocol, Ipv4.protocol(seg, at));
        assertEquals(src, Ipv4.src(seg, at));
        assertEquals(dst, Ipv4.dst(seg, at));
    }

    @Property
    void ttlDecrementKeepsChecksumValid(@ForAll @IntRange(max = 255) int ttl, @ForAll int src, @ForAll @IntRange(max = 65535) int id) {
        MemorySegment seg = MemorySegment.ofArray(new byte[20]);
        Ipv4.write(seg, 0, 0, 20, id, 0, ttl, IpProtocol.UDP, src, ~src);
        int left = Ipv4.decTtl(seg, 0);
        assertEquals(Math.max(ttl - 1, 0), left);
        assertEquals(Reason.OK, Ipv4.validate(seg, 0, 20));
    }

    @Property
    void ipv6HeaderRoundTrips(@ForAll @IntRange(max = 255) int trafficClass, @ForAll @IntRange(max = 0xFFFFF) int flowLabel,
                              @ForAll @IntRange(max = 65535) int payloadLength, @ForAll @IntRange(max = 255) int nextHeader,
                              @ForAll @IntRange(max = 255) int hopLimit, @ForAll long sh, @ForAll long sl, @ForAll long dh,
                              @ForAll long dl) {
        MemorySegment seg = MemorySegment.ofArray(new byte[41]);
        Ipv6.write(seg, 1, trafficClass, flowLabel, payloadLength, nextHeader, hopLimit, sh, sl, dh, dl);
        assertEquals(6, Ipv6.version(seg, 1));
        assertEquals(trafficClass, Ipv6.trafficClass(seg, 1));
        assertEquals(flowLabel, Ipv6.flowLabel(seg, 1));
        assertEquals(payloadLength, Ipv6.payloadLength(seg, 1));
        assertEquals(nextHeader, Ipv6.nextHeader(seg, 1));
        assertEquals(hopLimit, Ipv6.hopLimit(seg, 1));
        assertEquals(sh, Ipv6.srcHigh(seg, 1));
        assertEquals(sl, Ipv6.srcLow(seg, 1));
        assertEquals(dh, Ipv6.dstHigh(seg, 1));
        assertEquals(dl, Ipv6.dstLow(seg, 1));
    }

    @Property
    void greHeaderRoundTrips(@ForAll @IntRange(max = 7) int flagBits, @ForAll @IntRange(max = 65535) int protocol,
                             @ForAll int key, @ForAll int sequence, @ForAll @Size(max = 64) byte[] payload) {
        int flags = ((flagBits & 1) != 0 ? Gre.C : 0) | ((flagBits & 2) != 0 ? Gre.K : 0) | ((flagBits & 4) != 0 ? Gre.S : 0);
        MemorySegment seg = MemorySegment.ofArray(new byte[16 + payload.length]);
        int header = Gre.write(seg, 0, flags, protocol, key, sequence);
        MemorySegment.copy(payload, 0, seg, ValueLayout.JAVA_BYTE, header, payload.length);
        Gre.fillChecksum(seg, 0, header + payload.length);
        int len = header + payload.length;
        assertEquals(Gre.headerLength(flags), header);
        assertEquals(Reason.OK, Gre.validate(seg, 0, len));
        assertEquals(flags, Gre.flags(seg, 0));
        assertEquals(protocol, Gre.protocol(seg, 0));
        assertEquals((flags & Gre.K) != 0 ? key : 0, Gre.key(seg, 0));
        assertEquals((flags & Gre.S) != 0 ? sequence : 0, Gre.sequence(seg, 0));
        assertTrue(Gre.verifyChecksum(seg, 0, len));
    }

    @Property
    void vxlanVniRoundTrips(@ForAll @IntRange(max = 0xFFFFFF) int vni) {
        MemorySegment seg = MemorySegment.ofArray(new byte[8]);
        Vxlan.write(seg, 0, vni);
        assertEquals(Reason.OK, Vxlan.validate(seg, 0, 8));
        assertEquals(vni, Vxlan.vni(seg, 0));
    }

    @Property
    void sourcePortStaysInDynamicRange(@ForAll int hash) {
        int port = Vxlan.sourcePort(hash);
        assertTrue(port >= 49152 && port <= 65535);
    }

    @Property
    void udpChecksumVerifiesAfterFill(@ForAll int src, @ForAll int dst, @ForAll @IntRange(max = 65535) int sport,
                                      @ForAll @IntRange(max = 65535) int dport, @ForAll @Size(max = 100) byte[] data) {
        int udpLen = Udp.HEADER + data.length;
        MemorySegment seg = MemorySegment.ofArray(new byte[20 + udpLen]);
        Ipv4.write(seg, 0, 0, 20 + udpLen, 0, 0, 64, IpProtocol.UDP, src, dst);
        MemorySegment.copy(data, 0, seg, ValueLayout.JAVA_BYTE, 28, data.length);
        Udp.write(seg, 20, sport, dport, udpLen, 0);
        Udp.fillChecksum4(seg, 0, 20);
        assertTrue(Udp.checksum(seg, 20) != 0);
        assertTrue(Udp.verify4(seg, 0, 20));
        assertEquals(Reason.OK, Udp.validate(seg, 20, udpLen));
    }

    @Property
    void vlanPushThenPopRestoresFrame(@ForAll @LongRange(max = 0xFFFF_FFFF_FFFFL) long dst,
                                      @ForAll @LongRange(max = 0xFFFF_FFFF_FFFFL) long src,
                                      @ForAll @IntRange(max = 0xFFFF) int type, @ForAll @IntRange(max = 4095) int vid,
                                      @ForAll @Size(max = 32) byte[] payload) {
        MemorySegment seg = MemorySegment.ofArray(new byte[4 + 14 + payload.length]);
        Ethernet.write(seg, 4, dst, src, type);
        MemorySegment.copy(payload, 0, seg, ValueLayout.JAVA_BYTE, 18, payload.length);
        byte[] before = seg.asSlice(4).toArray(ValueLayout.JAVA_BYTE);
        long tagged = Ethernet.pushVlan(seg, 4, vid);
        assertEquals(vid, Vlan.vid(seg, tagged));
        assertEquals(type, Vlan.innerEtherType(seg, tagged));
        assertEquals(dst, Ethernet.dst(seg, tagged));
        assertEquals(src, Ethernet.src(seg, tagged));
        assertEquals(4, Ethernet.popVlan(seg, tagged));
        assertArrayEquals(before, seg.asSlice(4).toArray(ValueLayout.JAVA_BYTE));
    }

    @Property
    void macAddressTextRoundTrips(@ForAll @LongRange(max = 0xFFFF_FFFF_FFFFL) long mac) {
        assertEquals(mac, MacAddress.parse(MacAddress.format(mac)));
    }

    @Property
    void ipv4AddressTextRoundTrips(@ForAll int address) {
        assertEquals(address, Ipv4Address.parse(Ipv4Address.format(address)));
    }

    @Property
    void greEncapsulationDecapsulatesToSamePayload(@ForAll @IntRange(max = 7) int flagBits, @ForAll int key, @ForAll int seq,
                                                   @ForAll @Size(min = 1, max = 300) byte[] payload) {
        int flags = ((flagBits & 1) != 0 ? Gre.C : 0) | ((flagBits & 2) != 0 ? Gre.K : 0) | ((flagBits & 4) != 0 ? Gre.S : 0);
        MemorySegment seg = MemorySegment.ofArray(new byte[64 + payload.length]);
        MemorySegment.copy(payload, 0, seg, ValueLayout.JAVA_BYTE, 64, payload.length);
        long outer = Encapsulation.greIpv4(seg, 64, payload.length, flags, EtherType.TEB, key, seq, 1, 2, 0, 64, 0, Ipv4.DF);
        assertEquals(64 - Encapsulation.greIpv4Overhead(flags), outer);
        assertEquals(64, Decapsulation.greIpv4Payload(seg, outer, seg.byteSize() - outer));
        assertArrayEquals(payload, seg.asSlice(64).toArray(ValueLayout.JAVA_BYTE));
    }

    @Property
    void vxlanEncapsulationDecapsulatesToSameFrame(@ForAll @IntRange(max = 0xFFFFFF) int vni,
                                                   @ForAll @Size(min = 14, max = 300) byte[] frame) {
        MemorySegment seg = MemorySegment.ofArray(new byte[64 + frame.length]);
        MemorySegment.copy(frame, 0, seg, ValueLayout.JAVA_BYTE, 64, frame.length);
        int port = Vxlan.sourcePort(FlowHash.of(seg, 64, frame.length));
        long outer = Encapsulation.vxlanIpv4(seg, 64, frame.length, vni, port, Vxlan.PORT, 1, 2, 0, 64, 0, 0);
        assertEquals(64, Decapsulation.vxlanIpv4Payload(seg, outer, seg.byteSize() - outer, Vxlan.PORT));
        assertEquals(vni, Vxlan.vni(seg, 64 - Vxlan.HEADER));
        assertArrayEquals(frame, seg.asSlice(64).toArray(ValueLayout.JAVA_BYTE));
    }
}
