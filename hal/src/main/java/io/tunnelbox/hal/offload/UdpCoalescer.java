package io.tunnelbox.hal.offload;

import java.lang.foreign.MemorySegment;

import io.tunnelbox.hal.port.PacketBatch;

/**
 * Finds runs of IPv4 UDP datagrams in a batch that the kernel can take as one UDP super-frame
 * (virtio-net {@code GSO_UDP_L4}, what a UDP_SEGMENT send makes) and cut back into exactly the
 * same datagrams: consecutive packets of one flow (same link header, addresses, ports, TOS, TTL
 * and DF), IPv4 ids one apart (the kernel numbers the segments it cuts that way), equal payload
 * sizes but a shorter last one, no options or fragments, and a correct, non-zero UDP checksum each
 * (a coalesced frame must not launder a corrupt datagram, and one without a checksum would get
 * one). {@link #writeHeader} writes the virtio-net header and the super-frame's headers; the
 * payloads follow from the packets themselves (writev), so nothing is copied.
 *
 * <p>Why: every packet written to a TUN/TAP device is a system call and a trip through the
 * bridge and the LAN for the kernel; a run is one of each, segmented only where it is delivered.
 * With 64-byte datagrams that per-packet work was most of the receiving VTEP's CPU. IPv6 and
 * anything else go out one by one.
 */
public final class UdpCoalescer {
    /** Most datagrams in one super-frame (the kernel's UDP_MAX_SEGMENTS on older kernels). */
    public static final int MAX_RUN = 64;
    private static final int MAX_IP_LENGTH = 65535;
    private static final int UDP = 17, UDP_HEADER = 8, UDP_LENGTH = 4, UDP_CHECKSUM = 6;

    private final boolean ethernet;
    private final InetSum summer = new InetSum();
    // The run found by the last call to run().
    private int l3;
    private int size;
    private int payloadTotal;

    /** A coalescer for frames with an Ethernet header (TAP) or without (TUN). */
    public UdpCoalescer(boolean ethernet) {
        this.ethernet = ethernet;
    }

    /**
     * How many packets from {@code slots[from]} on (at most {@code n - from}) form one super-frame;
     * 1 when the first cannot start one or nothing joins it.
     */
    public int run(PacketBatch b, int[] slots, int from, int n) {
        MemorySegment m = b.memory();
        int first = slots[from];
        long p0 = b.offset(first);
        int len0 = b.length(first);
        int link = ethernet ? Fields.ETHERNET : 0;
        if (!plainUdp(m, p0, len0, link)) {
            return 1;
        }
        int data = len0 - link - 20 - UDP_HEADER;
        long ip0 = p0 + link;
        int count = 1;
        int total = 20 + UDP_HEADER + data;
        int id = Fields.u16(m, ip0 + 4);
        for (int k = from + 1; k < n && count < MAX_RUN; k++) {
            int slot = slots[k];
            long p = b.offset(slot);
            int len = b.length(slot);
            int d = len - link - 20 - UDP_HEADER;
            long ip = p + link;
            if (d <= 0 || d > data || total + d > MAX_IP_LENGTH || !plainUdp(m, p, len, link)
                    || Fields.u16(m, ip + 4) != ((id + count) & 0xffff)
                    || !sameFlow(m, p0, p, link)) {
                break;
            }
            count++;
            total += d;
            if (d < data) {
                break; // a shorter datagram can only be the last
            }
        }
        if (count > 1) {
            l3 = link;
            size = data;
            payloadTotal = total - 20 - UDP_HEADER;
        }
        return count;
    }

    /** Header bytes (link, IPv4, UDP) of the packets of the last run. */
    public int headerLength() {
        return l3 + 20 + UDP_HEADER;
    }

    /**
     * Writes, at {@code out + off}, the virtio-net header and the headers of a super-frame made of
     * the last run (found by {@link #run} from {@code first}): IP and UDP lengths for the whole
     * payload, a fresh IPv4 checksum, and the UDP checksum field holding the pseudo-header sum for
     * the kernel to complete per datagram. Returns the bytes written.
     */
    public int writeHeader(PacketBatch b, int first, MemorySegment out, long off) {
        int headers = headerLength();
        long h = off + VnetHeader.SIZE;
        MemorySegment.copy(b.memory(), b.offset(first), out, h, headers);
        long ip = h + l3;
        long udp = ip + 20;
        int udpLength = UDP_HEADER + payloadTotal;
        Fields.put16(out, ip + 2, 20 + udpLength);
        Fields.ipv4Checksum(out, ip);
        Fields.put16(out, udp + UDP_LENGTH, udpLength);
        Fields.put16(out, udp + UDP_CHECKSUM, InetSum.fold(InetSum.pseudo4(out, ip, UDP, udpLength)));
        VnetHeader.write(out, off, VnetHeader.F_NEEDS_CSUM, VnetHeader.GSO_UDP_L4, headers, size, l3 + 20,
                UDP_CHECKSUM);
        return VnetHeader.SIZE + headers;
    }

    /**
     * An untagged IPv4 UDP datagram without options or fragments whose lengths match the slot, with
     * a payload and a correct, non-zero checksum.
     */
    private boolean plainUdp(MemorySegment m, long p, int len, int link) {
        if (len < link + 20 + UDP_HEADER + 1 || (link != 0 && Fields.u16(m, p + 12) != Fields.ETHERTYPE_IPV4)) {
            return false;
        }
        long ip = p + link;
        if (Fields.u8(m, ip) != 0x45 || Fields.u8(m, ip + 9) != UDP || (Fields.u16(m, ip + 6) & 0x3fff) != 0
                || Fields.u16(m, ip + 2) != len - link) {
            return false;
        }
        long udp = ip + 20;
        int udpLength = len - link - 20;
        if (Fields.u16(m, udp + UDP_LENGTH) != udpLength || Fields.u16(m, udp + UDP_CHECKSUM) == 0) {
            return false;
        }
        long sum = InetSum.pseudo4(m, ip, UDP, udpLength);
        return InetSum.fold(summer.sum(sum, m, udp, udpLength)) == 0xffff;
    }

    /** Same link header, IPv4 version to TOS, flags, TTL, protocol, addresses, and UDP ports. */
    private static boolean sameFlow(MemorySegment m, long a, long b, int link) {
        long ipA = a + link, ipB = b + link;
        return (link == 0 || Fields.same(m, a, b, link))
                && Fields.same(m, ipA, ipB, 2) // version, IHL, TOS
                && Fields.same(m, ipA + 6, ipB + 6, 4) // flags, TTL, protocol
                && Fields.same(m, ipA + 12, ipB + 12, 12); // addresses and ports
    }
}
