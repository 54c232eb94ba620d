package io.tunnelbox.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class EthernetTest {
    static final String ARP_BROADCAST =
            "ffff ffff ffff"   // dst broadcast
          + "0200 0000 0001"   // src 02:00:00:00:00:01
          + "0806"             // ARP
          + "0001 0800 0604 0001"; // start of the ARP payload

    static final String TAGGED =
            "0200 0000 0002 0200 0000 0001"
          + "8100 a064"        // TPID, PCP 5, VID 100
          + "0800";            // IPv4

    @Test
    void shouldReadAddressesAndEtherType() {
        MemorySegment seg = Hex.seg(ARP_BROADCAST);
        assertEquals(Ethernet.BROADCAST, Ethernet.dst(seg, 0));
        assertEquals(0x0200_0000_0001L, Ethernet.src(seg, 0));
        assertEquals(EtherType.ARP, Ethernet.etherType(seg, 0));
        assertEquals(Reason.OK, Ethernet.validate(seg, 0, seg.byteSize()));
    }

    @Test
    void shouldWriteSameBytesItReads() {
        MemorySegment seg = MemorySegment.ofArray(new byte[14]);
        Ethernet.write(seg, 0, Ethernet.BROADCAST, 0x0200_0000_0001L, EtherType.ARP);
        assertEquals(ARP_BROADCAST.replace(" ", "").substring(0, 28), Hex.of(seg, 0, 14));
    }

    @Test
    void shouldDropFrameShorterThanHeader() {
        MemorySegment seg = Hex.seg(ARP_BROADCAST);
        assertEquals(Reason.TRUNCATED, Ethernet.validate(seg, 0, 13));
        assertEquals(Reason.TRUNCATED, Ethernet.validate(seg, 0, seg.byteSize() + 1));
    }

    @Test
    void shouldDropTaggedFrameWithoutRoomForTag() {
        assertEquals(Reason.TRUNCATED, Ethernet.validate(Hex.seg(TAGGED), 0, 16));
        assertEquals(Reason.OK, Ethernet.validate(Hex.seg(TAGGED), 0, 18));
    }

    @Test
    void shouldTellMulticastFromUnicast() {
        assertTrue(Ethernet.isMulticast(Ethernet.BROADCAST));
        assertTrue(Ethernet.isMulticast(0x0100_5E00_0001L));
        assertTrue(Ethernet.isMulticast(0x3333_0000_0001L));
        assertFalse(Ethernet.isMulticast(0x0200_0000_0001L));
        assertFalse(Ethernet.isMulticast(0xFEFF_FFFF_FFFFL));
        assertTrue(Ethernet.isBroadcast(Ethernet.BROADCAST));
        assertFalse(Ethernet.isBroadcast(0x0100_5E00_0001L));
    }

    @Test
    void shouldReadVlanTag() {
        MemorySegment seg = Hex.seg(TAGGED);
        assertTrue(Ethernet.isTagged(seg, 0));
        assertEquals(100, Vlan.vid(seg, 0));
        assertEquals(5, Vlan.pcp(seg, 0));
        assertEquals(EtherType.IPV4, Vlan.innerEtherType(seg, 0));
        assertEquals(EtherType.IPV4, Ethernet.payloadType(seg, 0));
        assertEquals(18, Ethernet.payloadOffset(seg, 0));
    }

    @Test
    void shouldPushTagInFrontWithoutMovingPayload() {
        MemorySegment seg = Hex.withHeadroom(4, ARP_BROADCAST);
        long tagged = Ethernet.pushVlan(seg, 4, 0xABC);
        assertEquals(0, tagged);
        assertEquals("ffffffffffff020000000001" + "81000abc" + "0806" + "0001080006040001",
                Hex.of(seg, 0, seg.byteSize()));
        assertEquals(0xABC, Vlan.vid(seg, tagged));
    }

    @Test
    void shouldPopTagBackToUntaggedFrame() {
        MemorySegment seg = Hex.withHeadroom(4, ARP_BROADCAST);
        long tagged = Ethernet.pushVlan(seg, 4, 10);
        long untagged = Ethernet.popVlan(seg, tagged);
        assertEquals(4, untagged);
        assertEquals(ARP_BROADCAST.replace(" ", ""), Hex.of(seg, 4, seg.byteSize() - 4));
    }

    @Test
    void shouldRewriteVidKeepingPriority() {
        MemorySegment seg = Hex.seg(TAGGED);
        Vlan.setVid(seg, 0, 4094);
        assertEquals(4094, Vlan.vid(seg, 0));
        assertEquals(5, Vlan.pcp(seg, 0));
    }
}
