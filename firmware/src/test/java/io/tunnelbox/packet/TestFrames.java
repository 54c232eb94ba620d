package io.tunnelbox.packet;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Inner frames written with our own writers, placed after headroom as a receive buffer holds them. */
final class TestFrames {
    static final int HEADROOM = 128;
    static final long MAC1 = 0x0200_0000_0001L;
    static final long MAC2 = 0x0200_0000_0002L;

    private TestFrames() {
    }

    static MemorySegment buffer(int payload) {
        return Arena.ofAuto().allocate(HEADROOM + payload);
    }

    /** An ARP who-has broadcast from MAC1 10.1.1.1 for 10.1.1.2 at HEADROOM; 42 bytes. */
    static int arpBroadcast(MemorySegment seg) {
        Ethernet.write(seg, HEADROOM, Ethernet.BROADCAST, MAC1, EtherType.ARP);
        Arp.write(seg, HEADROOM + Ethernet.HEADER, Arp.REQUEST, MAC1, 0x0a010101, 0, 0x0a010102);
        return Ethernet.HEADER + Arp.HEADER;
    }

    /** An IPv4 ICMP echo 192.168.1.1 -> 192.168.2.1 with {@code data} bytes of data at off; returns its length. */
    static int icmpEcho(MemorySegment seg, long off, int data) {
        int len = Ipv4.HEADER + Icmp4.HEADER + data;
        for (int i = 0; i < data; i++) {
            Wire.put8(seg, off + Ipv4.HEADER + Icmp4.HEADER + i, i);
        }
        Ipv4.write(seg, off, 0, len, 1, Ipv4.DF, 64, IpProtocol.ICMP, 0xc0a80101, 0xc0a80201);
        Icmp4.writeEcho(seg, off + Ipv4.HEADER, Icmp4.ECHO_REQUEST, 1, 1, Icmp4.HEADER + data);
        return len;
    }

    /** An Ethernet frame of {@code frameLength} bytes (>= 42) holding IPv4/UDP 10.0.0.1:1000 -> 10.0.0.2:2000 at HEADROOM. */
    static int udpFrame(MemorySegment seg, int frameLength) {
        long ip = HEADROOM + Ethernet.HEADER;
        int ipLen = frameLength - Ethernet.HEADER;
        Ethernet.write(seg, HEADROOM, MAC2, MAC1, EtherType.IPV4);
        Ipv4.write(seg, ip, 0, ipLen, 7, Ipv4.DF, 64, IpProtocol.UDP, 0x0a000001, 0x0a000002);
        Udp.write(seg, ip + Ipv4.HEADER, 1000, 2000, ipLen - Ipv4.HEADER, 0);
        Udp.fillChecksum4(seg, ip, ip + Ipv4.HEADER);
        return frameLength;
    }
}
