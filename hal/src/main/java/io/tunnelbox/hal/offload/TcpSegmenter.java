package io.tunnelbox.hal.offload;

import static io.tunnelbox.hal.offload.Fields.TCP_CHECKSUM;
import static io.tunnelbox.hal.offload.Fields.TCP_CWR;
import static io.tunnelbox.hal.offload.Fields.TCP_FIN;
import static io.tunnelbox.hal.offload.Fields.TCP_FLAGS;
import static io.tunnelbox.hal.offload.Fields.TCP_PSH;
import static io.tunnelbox.hal.offload.Fields.TCP_SEQ;

import java.lang.foreign.MemorySegment;

import io.tunnelbox.hal.port.PacketBatch;

/**
 * Cuts a TCP super-frame (what a TUN/TAP device with TSO hands over: one IPv4 or IPv6 TCP packet
 * of up to 64 KB plus a virtio-net header saying the segment size) into MTU-sized packets, as the
 * kernel's own GSO does (net/ipv4/tcp_offload.c, net/ipv4/af_inet.c): every segment gets the
 * headers of the super-frame with its own IP total length (IPv6 payload length), an IPv4 id one
 * higher than the one before, a fresh IPv4 header checksum, its own sequence number and a complete
 * TCP checksum; FIN and PSH stay on the last segment only, CWR on the first only.
 *
 * <p>A cursor: {@link #load} takes a super-frame, {@link #emit} writes as many segments as the batch
 * has room for and can be called again with the next batch until {@link #hasMore()} is false. The
 * super-frame's memory must stay untouched until then. Nothing is allocated.
 */
public final class TcpSegmenter {
    private final InetSum summer = new InetSum();
    private MemorySegment memory;
    private long frame;
    private int l3;
    private int l4;
    private int headers;
    private int payload;
    private int mss;
    private boolean v6;
    private int segments;
    private int next;
    private int seq;
    private int ipId;
    private int flags;

    /**
     * Takes the super-frame of {@code length} bytes at {@code frame}, whose IP header starts at
     * {@code l3} bytes in, to be cut into payloads of {@code gsoSize} bytes; {@code gsoType} is the
     * virtio-net header's. Returns false (nothing to emit) if the frame is not a well-formed
     * IPv4/IPv6 TCP packet of that type or a segment would not fit a batch slot.
     */
    public boolean load(MemorySegment m, long frame, int length, int l3, int gsoType, int gsoSize) {
        next = 0;
        segments = 0;
        int type = gsoType & ~VnetHeader.GSO_ECN;
        if (l3 < 0 || gsoSize <= 0 || length < l3 + 20) {
            return false;
        }
        long ip = frame + l3;
        int version = Fields.u8(m, ip) >>> 4;
        int ipHeader;
        if (type == VnetHeader.GSO_TCPV4 && version == 4) {
            ipHeader = (Fields.u8(m, ip) & 0x0f) * 4;
            if (ipHeader < 20 || Fields.u8(m, ip + 9) != Fields.TCP) {
                return false;
            }
            v6 = false;
        } else if (type == VnetHeader.GSO_TCPV6 && version == 6) {
            ipHeader = Fields.IPV6_HEADER;
            if (Fields.u8(m, ip + 6) != Fields.TCP) {
                return false; // extension headers: the kernel does not hand them over with TSO
            }
            v6 = true;
        } else {
            return false;
        }
        int tcp = l3 + ipHeader;
        if (length < tcp + Fields.TCP_HEADER) {
            return false;
        }
        int tcpHeader = (Fields.u8(m, frame + tcp + 12) >>> 4) * 4;
        if (tcpHeader < Fields.TCP_HEADER || length < tcp + tcpHeader) {
            return false;
        }
        int data = length - tcp - tcpHeader;
        if (data <= 0 || tcp + tcpHeader + Math.min(gsoSize, data) > PacketBatch.MAX_PACKET) {
            return false;
        }
        this.memory = m;
        this.frame = frame;
        this.l3 = l3;
        this.l4 = tcp;
        this.headers = tcp + tcpHeader;
        this.payload = data;
        this.mss = gsoSize;
        this.segments = (data + gsoSize - 1) / gsoSize;
        this.seq = Fields.i32(m, frame + tcp + TCP_SEQ);
        this.ipId = v6 ? 0 : Fields.u16(m, ip + 4);
        this.flags = Fields.u8(m, frame + tcp + TCP_FLAGS);
        return true;
    }

    /** True while segments of the loaded super-frame are still to be emitted. */
    public boolean hasMore() {
        return next < segments;
    }

    /** Segments the loaded super-frame will give in all. */
    public int segments() {
        return segments;
    }

    /** Appends the next segments to {@code out} while it has room; returns how many. */
    public int emit(PacketBatch out) {
        int added = 0;
        MemorySegment dst = out.memory();
        while (next < segments && !out.isFull()) {
            int k = next++;
            int offset = k * mss;
            int chunk = Math.min(mss, payload - offset);
            int slot = out.add(headers + chunk);
            long p = out.offset(slot);
            MemorySegment.copy(memory, frame, dst, p, headers);
            MemorySegment.copy(memory, frame + headers + offset, dst, p + headers, chunk);
            long ip = p + l3;
            long tcp = p + l4;
            int tcpLength = headers - l4 + chunk;
            if (v6) {
                Fields.put16(dst, ip + 4, tcpLength);
            } else {
                Fields.put16(dst, ip + 2, headers - l3 + chunk);
                Fields.put16(dst, ip + 4, ipId + k);
                Fields.ipv4Checksum(dst, ip);
            }
            Fields.put32(dst, tcp + TCP_SEQ, seq + offset);
            int f = flags;
            if (k < segments - 1) {
                f &= ~(TCP_FIN | TCP_PSH);
            }
            if (k > 0) {
                f &= ~TCP_CWR;
            }
            Fields.put8(dst, tcp + TCP_FLAGS, f);
            Fields.put16(dst, tcp + TCP_CHECKSUM, Fields.tcpChecksum(summer, dst, ip, v6, tcp, tcpLength));
            added++;
        }
        return added;
    }

    /**
     * Completes the checksum of a packet the kernel handed over with {@code F_NEEDS_CSUM} and no
     * segmentation: the field at {@code start + offset} holds the pseudo-header sum, the rest is
     * summed from {@code start} to the end. Returns false if the positions lie outside the packet.
     */
    public boolean completeChecksum(MemorySegment m, long frame, int length, int start, int offset) {
        if (start < 0 || offset < 0 || start + offset + 2 > length) {
            return false;
        }
        int sum = ~InetSum.fold(summer.sum(0, m, frame + start, length - start)) & 0xffff;
        // Zero means "no checksum" to UDP; 0xffff is the same value in one's complement.
        Fields.put16(m, frame + start + offset, sum == 0 ? 0xffff : sum);
        return true;
    }
}
