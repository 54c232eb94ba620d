package io.tunnelbox.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class EncapsulationTest {
    static final int SITE_A = 0xCB007101; // 203.0.113.1
    static final int SITE_B = 0xC6336401; // 198.51.100.1

    @Test
    void shouldEncapsulateSeedIcmpEchoInGreLikeScapy() {
        MemorySegment seg = TestFrames.buffer(64);
        int len = TestFrames.icmpEcho(seg, TestFrames.HEADROOM, 0);
        Ipv4.write(seg, TestFrames.HEADROOM, 0, len, 1, 0, 64, IpProtocol.ICMP, 0xc0a80101, 0xc0a80201); // as scapy's: no DF
        long outer = Encapsulation.greIpv4(seg, TestFrames.HEADROOM, len, 0, EtherType.IPV4, 0, 0,
                SITE_A, SITE_B, 0, 64, 100, 0);
        assertEquals(TestFrames.HEADROOM - 24, outer);
        assertEquals(vector("seed-gre-icmp-echo"), Hex.of(seg, outer, 24 + len));
    }

    @Test
    void shouldEncapsulateSeedArpInGreKeyLikeScapy() {
        MemorySegment seg = TestFrames.buffer(64);
        int len = TestFrames.arpBroadcast(seg);
        long outer = Encapsulation.greIpv4(seg, TestFrames.HEADROOM, len, Gre.K, EtherType.TEB, 0x1388, 0,
                SITE_A, SITE_B, 0, 64, 100, 0);
        assertEquals(vector("seed-gre-key-arp-broadcast"), Hex.of(seg, outer, 28 + len));
    }

    @Test
    void shouldEncapsulateSeedArpInVxlanLikeScapy() {
        MemorySegment seg = TestFrames.buffer(64);
        int len = TestFrames.arpBroadcast(seg);
        long outer = Encapsulation.vxlanIpv4(seg, TestFrames.HEADROOM, len, 0x1388, 50000, Vxlan.PORT,
                SITE_A, SITE_B, 0, 64, 100, 0);
        assertEquals(vector("seed-vxlan-arp-broadcast"), Hex.of(seg, outer, 36 + len));
    }

    @Test
    void shouldDecapsulateWhatItEncapsulated() {
        MemorySegment seg = TestFrames.buffer(1400);
        int len = TestFrames.udpFrame(seg, 1400);
        long outer = Encapsulation.greIpv4(seg, TestFrames.HEADROOM, len, Gre.C | Gre.K | Gre.S, EtherType.TEB, 9, 10,
                SITE_A, SITE_B, 0, 64, 1, Ipv4.DF);
        long total = Ipv4.totalLength(seg, outer);
        assertEquals(TestFrames.HEADROOM, Decapsulation.greIpv4Payload(seg, outer, total));

        MemorySegment v = TestFrames.buffer(1400);
        int vlen = TestFrames.udpFrame(v, 1400);
        long vouter = Encapsulation.vxlanIpv4(v, TestFrames.HEADROOM, vlen, 77, 55555, Vxlan.PORT, SITE_A, SITE_B, 0, 64, 1, 0);
        assertEquals(TestFrames.HEADROOM, Decapsulation.vxlanIpv4Payload(v, vouter, Ipv4.totalLength(v, vouter), Vxlan.PORT));
    }

    @Test
    void shouldReportWhyDecapsulationFails() {
        MemorySegment seg = TestFrames.buffer(64);
        int len = TestFrames.arpBroadcast(seg);
        long outer = Encapsulation.vxlanIpv4(seg, TestFrames.HEADROOM, len, 1, 50000, Vxlan.PORT, SITE_A, SITE_B, 0, 64, 1, 0);
        int total = Ipv4.totalLength(seg, outer);
        assertEquals(-Reason.UNEXPECTED_PROTOCOL, Decapsulation.greIpv4Payload(seg, outer, total));
        assertEquals(-Reason.UNEXPECTED_PROTOCOL, Decapsulation.vxlanIpv4Payload(seg, outer, total, 8472));
        assertEquals(-Reason.TRUNCATED, Decapsulation.vxlanIpv4Payload(seg, outer, total - 1, Vxlan.PORT));
        Wire.put8(seg, outer + 28, 0); // VXLAN flags: I clear
        assertEquals(-Reason.VXLAN_FLAGS, Decapsulation.vxlanIpv4Payload(seg, outer, total, Vxlan.PORT));

        long gre = Encapsulation.greIpv4(seg, TestFrames.HEADROOM, len, Gre.C, EtherType.TEB, 0, 0, SITE_A, SITE_B, 0, 64, 1, 0);
        Wire.put8(seg, TestFrames.HEADROOM + 3, 0x55); // payload changed after the checksum
        assertEquals(-Reason.BAD_CHECKSUM, Decapsulation.greIpv4Payload(seg, gre, Ipv4.totalLength(seg, gre)));
    }

    private static String vector(String name) {
        return ScapyVectorsTest.VECTORS.stream().filter(v -> v.get("name").asText().equals(name)).findFirst()
                .orElseThrow().get("hex").asText();
    }
}
