package io.tunnelbox.hal.offload;

import static io.tunnelbox.hal.offload.Fields.TCP_ACK;
import static io.tunnelbox.hal.offload.Fields.TCP_CHECKSUM;
import static io.tunnelbox.hal.offload.Fields.TCP_FLAGS;
import static io.tunnelbox.hal.offload.Fields.TCP_PSH;
import static io.tunnelbox.hal.offload.Fields.TCP_SEQ;

import java.lang.foreign.MemorySegment;

import io.tunnelbox.hal.port.PacketBatch;

/**
 * Finds runs of packets in a batch that the kernel can take as one TCP super-frame (GRO, as
 * net/ipv4/tcp_offload.c {@code tcp_gro_receive} decides): consecutive packets of one flow, in
 * sequence, with identical headers apart from lengths, IPv4 id, checksums and sequence number,
 * only ACK (and PSH on the last) set, every payload the size of the first except a shorter last
 * one, and a correct TCP checksum each (a coalesced frame must not launder a corrupt segment).
 * {@link #writeHeader} then writes the virtio-net header and the super-frame's headers; the
 * payloads follow from the packets themselves (writev), so nothing is copied.
 */
public final class TcpCoalescer {
    /** Most packets in one super-frame (and iovecs in one writev, with the header's). */
    public static final int MAX_RUN = 64;
    private static final int MAX_IP_LENGTH = 65535;

    private final boolean ethernet;
    private final InetSum summer = new InetSum();
    // The run found by the last call to run().
    private int l3;
    private int l4;
    private int headers;
    private int mss;
    private int payloadTotal;
    private boolean v6;
    private int lastFlags;

    /** A coalescer for frames with an Ethernet header (TAP) or without (TUN). */
    public TcpCoalescer(boolean ethernet) {
        this.ethernet = ethernet;
    }

    /**
     * How many packets from {@code slots[from]} on (at most {@code n - from}) form one super-frame;
     * 1 when the first cannot start one or nothing joins it.
     */
    public int run(PacketBatch b, int[] slots, int from, int n) {
        MemorySegment m = b.memory();
        int first = slots[from];
        if (!parseFirst(m, b.offset(first), b.length(first))) {
            return 1;
        }
        if ((lastFlags & TCP_PSH) != 0) {
            return 1;
        }
        long p0 = b.offset(first);
        int count = 1;
        int expectedSeq = Fields.i32(m, p0 + l4 + TCP_SEQ) + mss;
        int total = headers - l3 + mss;
        for (int k = from + 1; k < n && count < MAX_RUN; k++) {
            int slot = slots[k];
            long p = b.offset(slot);
            int length = b.length(slot);
            int data = length - headers;
            if (data <= 0 || data > mss || total + data > MAX_IP_LENGTH
                    || !sameFlow(m, p0, p, length) || Fields.i32(m, p + l4 + TCP_SEQ) != expectedSeq) {
                break;
            }
            int flags = Fields.u8(m, p + l4 + TCP_FLAGS);
            if ((flags & ~TCP_PSH) != TCP_ACK || !checksumValid(m, p, length)) {
                break;
            }
            count++;
            total += data;
            payloadTotal += data;
            expectedSeq += data;
            lastFlags = flags;
            if (data < mss || (flags & TCP_PSH) != 0) {
                break; // a short segment or a push ends the super-frame, as in GRO
            }
        }
        return count;
    }

    /** Header bytes (link, IP, TCP) of the packets of the last run. */
    public int headerLength() {
        return headers;
    }

    /**
     * Writes, at {@code out + off}, the virtio-net header and the headers of a super-frame made of
     * the last run (found by {@link #run} from {@code first}): IP lengths for the whole payload, a
     * fresh IPv4 checksum, PSH if the last packet had it, and the TCP checksum field holding the
     * pseudo-header sum for the kernel to complete per segment. Returns the bytes written.
     */
    public int writeHeader(PacketBatch b, int first, MemorySegment out, long off) {
        MemorySegment m = b.memory();
        long h = off + VnetHeader.SIZE;
        MemorySegment.copy(m, b.offset(first), out, h, headers);
        long ip = h + l3;
        long tcp = h + l4;
        int tcpLength = headers - l4 + payloadTotal;
        long pseudo;
        if (v6) {
            Fields.put16(out, ip + 4, tcpLength);
            pseudo = InetSum.pseudo6(out, ip, Fields.TCP, tcpLength);
        } else {
            Fields.put16(out, ip + 2, headers - l3 + payloadTotal);
            Fields.ipv4Checksum(out, ip);
            pseudo = InetSum.pseudo4(out, ip, Fields.TCP, tcpLength);
        }
        Fields.put8(out, tcp + TCP_FLAGS, Fields.u8(out, tcp + TCP_FLAGS) | (lastFlags & TCP_PSH));
        Fields.put16(out, tcp + TCP_CHECKSUM, InetSum.fold(pseudo));
        VnetHeader.write(out, off, VnetHeader.F_NEEDS_CSUM, v6 ? VnetHeader.GSO_TCPV6 : VnetHeader.GSO_TCPV4,
                headers, mss, l4, TCP_CHECKSUM);
        return VnetHeader.SIZE + headers;
    }

    /** Whether the packet can start a super-frame; sets the run's geometry from it. */
    private boolean parseFirst(MemorySegment m, long p, int length) {
        int link = Fields.l3Offset(m, p, length, ethernet);
        if (link < 0 || (ethernet && link != Fields.ETHERNET)) {
            return false; // tagged frames go out one by one
        }
        if (length < link + 20) {
            return false;
        }
        long ip = p + link;
        int version = Fields.u8(m, ip) >>> 4;
        int ipHeader;
        if (version == 4 && (!ethernet || Fields.u16(m, p + 12) == Fields.ETHERTYPE_IPV4)) {
            ipHeader = (Fields.u8(m, ip) & 0x0f) * 4;
            if (ipHeader != 20 || Fields.u8(m, ip + 9) != Fields.TCP || (Fields.u16(m, ip + 6) & 0x3fff) != 0
                    || Fields.u16(m, ip + 2) != length - link) {
                return false; // options, fragments or padding: not for coalescing
            }
            v6 = false;
        } else if (version == 6 && (!ethernet || Fields.u16(m, p + 12) == Fields.ETHERTYPE_IPV6)) {
            ipHeader = Fields.IPV6_HEADER;
            if (length < link + ipHeader || Fields.u8(m, ip + 6) != Fields.TCP
                    || Fields.u16(m, ip + 4) != length - link - ipHeader) {
                return false;
            }
            v6 = true;
        } else {
            return false;
        }
        int tcp = link + ipHeader;
        if (length < tcp + Fields.TCP_HEADER) {
            return false;
        }
        int tcpHeader = (Fields.u8(m, p + tcp + 12) >>> 4) * 4;
        int data = length - tcp - tcpHeader;
        int flags = Fields.u8(m, p + tcp + TCP_FLAGS);
        if (tcpHeader < Fields.TCP_HEADER || data <= 0 || (flags & ~TCP_PSH) != TCP_ACK) {
            return false;
        }
        l3 = link;
        l4 = tcp;
        headers = tcp + tcpHeader;
        mss = data;
        payloadTotal = data;
        lastFlags = flags;
        return checksumValid(m, p, length);
    }

    /** Same link header, IP header (but lengths, id, checksum) and TCP header (but seq, flags, checksum). */
    private boolean sameFlow(MemorySegment m, long a, long b, int lengthB) {
        if (lengthB < headers) {
            return false;
        }
        if (!Fields.same(m, a, b, l3)) {
            return false;
        }
        long ipA = a + l3, ipB = b + l3;
        if (v6) {
            if (!Fields.same(m, ipA, ipB, 4) || !Fields.same(m, ipA + 6, ipB + 6, 34)
                    || Fields.u16(m, ipB + 4) != lengthB - l3 - Fields.IPV6_HEADER) {
                return false;
            }
        } else {
            if (!Fields.same(m, ipA, ipB, 2) || !Fields.same(m, ipA + 6, ipB + 6, 4) || !Fields.same(m, ipA + 12, ipB + 12, 8)
                    || Fields.u16(m, ipB + 2) != lengthB - l3) {
                return false;
            }
        }
        long tcpA = a + l4, tcpB = b + l4;
        return Fields.same(m, tcpA, tcpB, 4) && Fields.same(m, tcpA + 8, tcpB + 8, 5) && Fields.same(m, tcpA + 14, tcpB + 14, 2)
                && Fields.same(m, tcpA + 18, tcpB + 18, headers - l4 - 18);
    }

    private boolean checksumValid(MemorySegment m, long p, int length) {
        long ip = p + l3;
        int tcpLength = length - l4;
        long sum = v6 ? InetSum.pseudo6(m, ip, Fields.TCP, tcpLength) : InetSum.pseudo4(m, ip, Fields.TCP, tcpLength);
        return InetSum.fold(summer.sum(sum, m, p + l4, tcpLength)) == 0xffff;
    }
}
