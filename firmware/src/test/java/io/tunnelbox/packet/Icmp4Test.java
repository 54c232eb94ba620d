package io.tunnelbox.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class Icmp4Test {
    @Test
    void shouldReadEchoInsideSeedGrePacket() {
        MemorySegment seg = Hex.seg(GreTest.GRE_ICMP);
        long icmp = 24 + 20;
        assertEquals(Reason.OK, Icmp4.validate(seg, icmp, 8));
        assertEquals(Icmp4.ECHO_REQUEST, Icmp4.type(seg, icmp));
        assertEquals(0, Icmp4.code(seg, icmp));
        assertEquals(1, Icmp4.echoId(seg, icmp));
        assertEquals(1, Icmp4.echoSequence(seg, icmp));
    }

    @Test
    void shouldWriteEchoLikeScapy() {
        MemorySegment seg = MemorySegment.ofArray(new byte[8]);
        Icmp4.writeEcho(seg, 0, Icmp4.ECHO_REQUEST, 1, 1, 8);
        assertEquals("0800f7fd00010001", Hex.of(seg, 0, 8));
    }

    @Test
    void shouldTurnRequestIntoReplyWithValidChecksum() {
        MemorySegment seg = Hex.seg("0000 0000 0000 0000 7069 6e67"); // 8-byte header to fill, "ping"
        Icmp4.writeEcho(seg, 0, Icmp4.ECHO_REQUEST, 0x1234, 9, 12);
        assertEquals(Reason.OK, Icmp4.validate(seg, 0, 12));
        Icmp4.echoRequestToReply(seg, 0);
        assertEquals(Icmp4.ECHO_REPLY, Icmp4.type(seg, 0));
        assertEquals(Reason.OK, Icmp4.validate(seg, 0, 12));
    }

    @Test
    void shouldDropBadChecksumAndShortMessage() {
        MemorySegment seg = Hex.seg("0800 f7fe 0001 0001");
        assertEquals(Reason.BAD_CHECKSUM, Icmp4.validate(seg, 0, 8));
        assertEquals(Reason.TRUNCATED, Icmp4.validate(seg, 0, 7));
    }

    @Test
    void shouldWriteFragNeededQuotingHeaderAndEightBytesLikeScapy() {
        // scapy: IP(192.168.1.1 -> 192.168.2.1, id 9, DF)/UDP(1000 -> 2000)/("A" * 1400)
        MemorySegment original = MemorySegment.ofArray(new byte[1428]);
        Ipv4.write(original, 0, 0, 1428, 9, Ipv4.DF, 64, IpProtocol.UDP, 0xc0a80101, 0xc0a80201);
        byte[] payload = new byte[1400];
        Arrays.fill(payload, (byte) 'A');
        MemorySegment.copy(MemorySegment.ofArray(payload), 0, original, 28, 1400);
        Udp.write(original, 20, 1000, 2000, 1408, 0);
        Udp.fillChecksum4(original, 0, 20);

        MemorySegment out = MemorySegment.ofArray(new byte[64]);
        int len = Icmp4.writeFragNeeded(out, 0, 1400, original, 0, 1428);
        assertEquals(36, len);
        assertEquals("0304efd600000578" + "45000594000940004011b0fdc0a80101c0a80201" + "03e807d00580f674",
                Hex.of(out, 0, len));
        assertEquals(1400, Icmp4.nextHopMtu(out, 0));
        assertEquals(Reason.OK, Icmp4.validate(out, 0, len));
    }

    @Test
    void shouldQuoteOnlyWhatTheOriginalHasWhenShort() {
        MemorySegment original = MemorySegment.ofArray(new byte[24]);
        Ipv4.write(original, 0, 0, 24, 1, 0, 1, IpProtocol.UDP, 1, 2);
        MemorySegment out = MemorySegment.ofArray(new byte[64]);
        assertEquals(32, Icmp4.writeTimeExceeded(out, 0, original, 0, 24));
        assertEquals(Icmp4.TIME_EXCEEDED, Icmp4.type(out, 0));
        assertEquals(Reason.OK, Icmp4.validate(out, 0, 32));
    }
}
