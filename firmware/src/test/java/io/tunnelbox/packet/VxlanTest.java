package io.tunnelbox.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VxlanTest {
    static final String VNI_5000 =
            "0800 0000"   // I flag
          + "0013 8800";  // VNI 0x1388, reserved

    @Test
    void shouldReadVni() {
        MemorySegment seg = Hex.seg(VNI_5000);
        assertEquals(Reason.OK, Vxlan.validate(seg, 0, 8));
        assertEquals(0x1388, Vxlan.vni(seg, 0));
    }

    @Test
    void shouldWriteFlagAndVniWithReservedZero() {
        MemorySegment seg = Hex.seg("ffff ffff ffff ffff");
        Vxlan.write(seg, 0, 0x1388);
        assertEquals(VNI_5000.replace(" ", ""), Hex.of(seg, 0, 8));
        Vxlan.write(seg, 0, 0xFF_FFFF);
        assertEquals(0xFF_FFFF, Vxlan.vni(seg, 0));
    }

    @Test
    void shouldIgnoreReservedBitsOnReceipt() {
        MemorySegment seg = Hex.seg("ff ffffff 001388ff");
        assertEquals(Reason.OK, Vxlan.validate(seg, 0, 8));
        assertEquals(0x1388, Vxlan.vni(seg, 0));
    }

    @Test
    void shouldDropHeaderWithoutIFlag() {
        assertEquals(Reason.VXLAN_FLAGS, Vxlan.validate(Hex.seg("0000 0000 0013 8800"), 0, 8));
    }

    @Test
    void shouldDropTruncatedHeader() {
        assertEquals(Reason.TRUNCATED, Vxlan.validate(Hex.seg(VNI_5000), 0, 7));
    }

    @Test
    void shouldKeepSourcePortInDynamicRange() {
        Set<Integer> seen = new HashSet<>();
        for (int h = -100_000; h < 100_000; h++) {
            int port = Vxlan.sourcePort(h * 0x9E37_79B9);
            assertTrue(port >= 49152 && port <= 65535, "port " + port);
            seen.add(port);
        }
        assertTrue(seen.size() > 16000, "ports used: " + seen.size());
    }

    @Test
    void shouldHashOneFlowAlikeAndOtherPortsDifferently() {
        MemorySegment a = tcpFrame(1000, 80);
        MemorySegment b = tcpFrame(1000, 80);
        MemorySegment c = tcpFrame(1001, 80);
        assertEquals(FlowHash.of(a, 0, a.byteSize()), FlowHash.of(b, 0, b.byteSize()));
        assertNotEquals(FlowHash.of(a, 0, a.byteSize()), FlowHash.of(c, 0, c.byteSize()));
        Wire.put8(b, 60, 0x55); // payload does not matter
        assertEquals(FlowHash.of(a, 0, a.byteSize()), FlowHash.of(b, 0, b.byteSize()));
    }

    @Test
    void shouldHashShortFramesWithoutReadingPastThem() {
        MemorySegment frame = tcpFrame(1, 2);
        for (int len = 0; len <= frame.byteSize(); len++) {
            FlowHash.of(frame.asSlice(0, len), 0, len);
        }
        assertEquals(0, FlowHash.of(frame, 0, 13));
    }

    private static MemorySegment tcpFrame(int srcPort, int dstPort) {
        MemorySegment seg = MemorySegment.ofArray(new byte[64]);
        Ethernet.write(seg, 0, 0x0200_0000_0002L, 0x0200_0000_0001L, EtherType.IPV4);
        Ipv4.write(seg, 14, 0, 50, 1, Ipv4.DF, 64, IpProtocol.TCP, 0x0a000001, 0x0a000002);
        Wire.put16(seg, 34, srcPort);
        Wire.put16(seg, 36, dstPort);
        return seg;
    }
}
