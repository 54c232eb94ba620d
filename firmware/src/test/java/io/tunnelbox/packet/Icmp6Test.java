package io.tunnelbox.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class Icmp6Test {
    // scapy: IPv6(2001:db8::1 -> 2001:db8::2)/ICMPv6EchoRequest(id=7, seq=3, data=b"ping")
    static final String ECHO6 =
            "6000 0000 000c 3a40"
          + "2001 0db8 0000 0000 0000 0000 0000 0001"
          + "2001 0db8 0000 0000 0000 0000 0000 0002"
          + "8000 4569 0007 0003"    // echo request, checksum, id 7, seq 3
          + "7069 6e67";             // "ping"

    @Test
    void shouldReadAndVerifyEcho() {
        MemorySegment seg = Hex.seg(ECHO6);
        assertEquals(Reason.OK, Icmp6.validate(seg, 0, 40, 12));
        assertEquals(Icmp6.ECHO_REQUEST, Icmp6.type(seg, 40));
        assertEquals(7, Icmp6.echoId(seg, 40));
        assertEquals(3, Icmp6.echoSequence(seg, 40));
    }

    @Test
    void shouldWriteEchoLikeScapy() {
        MemorySegment seg = Hex.seg(ECHO6);
        Wire.put64(seg, 40, 0);
        Icmp6.writeEcho(seg, 0, 40, Icmp6.ECHO_REQUEST, 7, 3, 12);
        assertEquals(ECHO6.replace(" ", ""), Hex.of(seg, 0, seg.byteSize()));
    }

    @Test
    void shouldDropBadChecksum() {
        MemorySegment seg = Hex.seg(ECHO6);
        Wire.put64(seg, 16, 0x2001_0db8_0000_0001L); // another source address: pseudo-header no longer matches
        assertEquals(Reason.BAD_CHECKSUM, Icmp6.validate(seg, 0, 40, 12));
        assertEquals(Reason.TRUNCATED, Icmp6.validate(seg, 0, 40, 7));
    }

    @Test
    void shouldWritePacketTooBigWithinMinimumMtuLikeScapy() {
        // scapy: IPv6(2001:db8::ff -> 2001:db8::1)/ICMPv6PacketTooBig(mtu=1400)/(first 1232 bytes of
        //        IPv6(2001:db8::1 -> 2001:db8::2)/UDP(1, 2)/("B" * 1400))
        MemorySegment original = MemorySegment.ofArray(new byte[1448]);
        Ipv6.write(original, 0, 0, 0, 1408, IpProtocol.UDP, 64, 0x2001_0db8_0000_0000L, 1, 0x2001_0db8_0000_0000L, 2);
        Udp.write(original, 40, 1, 2, 1408, 0);
        original.asSlice(48, 1400).fill((byte) 'B');
        Udp.fillChecksum6(original, 0, 40);

        MemorySegment out = MemorySegment.ofArray(new byte[1280]);
        int len = Icmp6.errorLength(1448);
        assertEquals(1240, len);
        Ipv6.write(out, 0, 0, 0, len, IpProtocol.ICMPV6, 64, 0x2001_0db8_0000_0000L, 0xff, 0x2001_0db8_0000_0000L, 1);
        assertEquals(len, Icmp6.writePacketTooBig(out, 0, 40, 1400, original, 0, 1448));
        assertEquals("020019c800000578" + "6000000005801140", Hex.of(out, 40, 16));
        assertEquals(1400, Icmp6.mtu(out, 40));
        assertEquals(Reason.OK, Icmp6.validate(out, 0, 40, len));
    }

    @Test
    void shouldWriteTimeExceededQuotingWholeShortPacket() {
        MemorySegment original = Hex.seg(ECHO6);
        int len = Icmp6.errorLength(original.byteSize());
        assertEquals(8 + 52, len);
        MemorySegment out = MemorySegment.ofArray(new byte[40 + len]);
        Ipv6.write(out, 0, 0, 0, len, IpProtocol.ICMPV6, 64, 0x2001_0db8_0000_0000L, 0xff, 0x2001_0db8_0000_0000L, 1);
        assertEquals(len, Icmp6.writeTimeExceeded(out, 0, 40, original, 0, original.byteSize()));
        assertEquals(Icmp6.TIME_EXCEEDED, Icmp6.type(out, 40));
        assertEquals(0, Icmp6.code(out, 40));
        assertEquals(Hex.of(original, 0, original.byteSize()), Hex.of(out, 48, len - 8));
        assertEquals(Reason.OK, Icmp6.validate(out, 0, 40, len));
    }
}
