package io.tunnelbox.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class GreTest {
    // The seed's example: ICMP echo 192.168.1.1 -> 192.168.2.1 inside GRE (scapy, GRE without options).
    static final String GRE_ICMP =
            "4500 0034 0007 0000 402f 6692 0a00 0001 0a00 0002" // outer IPv4 10.0.0.1 -> 10.0.0.2, GRE
          + "0000 0800"                                         // no flags, version 0, IPv4
          + "4500 001c 0001 0000 4001 f68d c0a8 0101 c0a8 0201" // inner IPv4
          + "0800 f7fd 0001 0001";                              // echo request id 1 seq 1

    // scapy: GRE(chksum_present=1, key_present=1, key=0x1388, seqnum_present=1, seqence_number=7,
    //            proto=0x6558) / Ether(broadcast) / ARP
    static final String GRE_CKS =
            "b000 6558"   // C, K and S bits, version 0, protocol 0x6558 (Ethernet)
          + "a704 0000"   // checksum, reserved1
          + "0000 1388"   // key 5000
          + "0000 0007"   // sequence 7
          + "ffffffffffff 020000000001 0806 0001 0800 0604 0001 020000000001 0a010101"
          + "000000000000 0a010102";

    @Test
    void shouldReadPlainGreCarryingIpv4() {
        MemorySegment seg = Hex.seg(GRE_ICMP);
        assertEquals(Reason.OK, Ipv4.validate(seg, 0, seg.byteSize()));
        assertEquals(IpProtocol.GRE, Ipv4.protocol(seg, 0));
        assertEquals(Reason.OK, Gre.validate(seg, 20, seg.byteSize() - 20));
        assertEquals(4, Gre.headerLength(seg, 20));
        assertEquals(EtherType.IPV4, Gre.protocol(seg, 20));
        assertFalse(Gre.hasKey(seg, 20));
        assertEquals(0xc0a80101, Ipv4.src(seg, 24));
        assertEquals(0xc0a80201, Ipv4.dst(seg, 24));
    }

    @Test
    void shouldReadChecksumKeyAndSequence() {
        MemorySegment seg = Hex.seg(GRE_CKS);
        assertEquals(Reason.OK, Gre.validate(seg, 0, seg.byteSize()));
        assertEquals(16, Gre.headerLength(seg, 0));
        assertEquals(EtherType.TEB, Gre.protocol(seg, 0));
        assertTrue(Gre.hasChecksum(seg, 0));
        assertEquals(0xa704, Gre.checksum(seg, 0));
        assertEquals(0x1388, Gre.key(seg, 0));
        assertEquals(7, Gre.sequence(seg, 0));
    }

    @Test
    void shouldWriteByteIdenticalHeaderWithChecksum() {
        MemorySegment seg = Hex.seg(GRE_CKS);
        MemorySegment copy = Hex.seg(GRE_CKS);
        Wire.put64(copy, 0, 0);
        Wire.put64(copy, 8, 0);
        assertEquals(16, Gre.write(copy, 0, Gre.C | Gre.K | Gre.S, EtherType.TEB, 0x1388, 7));
        Gre.fillChecksum(copy, 0, (int) copy.byteSize());
        assertEquals(Hex.of(seg, 0, seg.byteSize()), Hex.of(copy, 0, copy.byteSize()));
    }

    @Test
    void shouldPlaceKeyAndSequenceByFlags() {
        MemorySegment seg = MemorySegment.ofArray(new byte[16]);
        assertEquals(8, Gre.write(seg, 0, Gre.S, EtherType.IPV6, 99, 42));
        assertEquals("100086dd0000002a", Hex.of(seg, 0, 8));
        assertEquals(42, Gre.sequence(seg, 0));
        assertEquals(0, Gre.key(seg, 0));
        assertEquals(8, Gre.write(seg, 0, Gre.K, EtherType.IPV4, 0xFFFF_FFFE, 0));
        assertEquals("20000800fffffffe", Hex.of(seg, 0, 8));
        assertEquals(0xFFFF_FFFE, Gre.key(seg, 0));
    }

    @Test
    void shouldComputeHeaderLengthFromFlags() {
        assertEquals(4, Gre.headerLength(0));
        assertEquals(8, Gre.headerLength(Gre.K));
        assertEquals(12, Gre.headerLength(Gre.K | Gre.S));
        assertEquals(16, Gre.headerLength(Gre.C | Gre.K | Gre.S));
    }

    @Test
    void shouldDropGrePacketWithVersionOne() {
        MemorySegment seg = Hex.seg("2001 880b 0000 0000 0000 0001");
        assertEquals(Reason.GRE_VERSION, Gre.validate(seg, 0, seg.byteSize()));
    }

    @Test
    void shouldDropGrePacketWithRoutingBit() {
        MemorySegment seg = Hex.seg("4000 0800 0000 0000");
        assertEquals(Reason.GRE_RESERVED, Gre.validate(seg, 0, seg.byteSize()));
    }

    @Test
    void shouldIgnoreReservedBitsSixToTwelve() {
        MemorySegment seg = Hex.seg("03f8 0800 4500");
        assertEquals(Reason.OK, Gre.validate(seg, 0, seg.byteSize()));
    }

    @Test
    void shouldDropHeaderWhoseOptionalWordsAreMissing() {
        MemorySegment seg = Hex.seg("3000 6558 0000 1388");
        assertEquals(Reason.TRUNCATED, Gre.validate(seg, 0, seg.byteSize()));
        assertEquals(Reason.TRUNCATED, Gre.validate(seg, 0, 3));
    }

    @Test
    void shouldDropBadChecksum() {
        MemorySegment seg = Hex.seg(GRE_CKS);
        Wire.put8(seg, seg.byteSize() - 1, 3);
        assertEquals(Reason.BAD_CHECKSUM, Gre.validate(seg, 0, seg.byteSize()));
        assertFalse(Gre.verifyChecksum(seg, 0, (int) seg.byteSize()));
    }
}
