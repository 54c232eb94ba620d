package io.tunnelbox.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class ArpTest {
    // scapy: ARP(hwsrc="02:00:00:00:00:01", psrc="10.1.1.1", pdst="10.1.1.2")
    static final String REQUEST =
            "0001 0800 0604 0001"  // Ethernet, IPv4, lengths 6 and 4, request
          + "0200 0000 0001 0a01 0101" // sender
          + "0000 0000 0000 0a01 0102"; // target

    @Test
    void shouldReadRequest() {
        MemorySegment seg = Hex.seg(REQUEST);
        assertEquals(Reason.OK, Arp.validate(seg, 0, 28));
        assertEquals(Arp.REQUEST, Arp.operation(seg, 0));
        assertEquals(0x0200_0000_0001L, Arp.senderMac(seg, 0));
        assertEquals(0x0a010101, Arp.senderIp(seg, 0));
        assertEquals(0L, Arp.targetMac(seg, 0));
        assertEquals(0x0a010102, Arp.targetIp(seg, 0));
    }

    @Test
    void shouldWriteByteIdenticalRequest() {
        MemorySegment seg = MemorySegment.ofArray(new byte[28]);
        Arp.write(seg, 0, Arp.REQUEST, 0x0200_0000_0001L, 0x0a010101, 0, 0x0a010102);
        assertEquals(REQUEST.replace(" ", ""), Hex.of(seg, 0, 28));
    }

    @Test
    void shouldDropOtherHardwareOrProtocol() {
        MemorySegment seg = Hex.seg(REQUEST);
        Wire.put16(seg, 2, EtherType.IPV6);
        assertEquals(Reason.ARP_FORMAT, Arp.validate(seg, 0, 28));
        assertEquals(Reason.TRUNCATED, Arp.validate(Hex.seg(REQUEST), 0, 27));
    }
}
