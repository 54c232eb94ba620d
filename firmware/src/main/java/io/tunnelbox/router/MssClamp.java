package io.tunnelbox.router;

import io.tunnelbox.packet.IpProtocol;
import io.tunnelbox.packet.Ipv4;
import io.tunnelbox.packet.Ipv6;
import io.tunnelbox.packet.Tcp;
import java.lang.foreign.MemorySegment;

/**
 * Lowers the MSS option of TCP SYNs crossing a tunnel (both ways) to what the tunnel carries, so
 * TCP never sends segments the tunnel would have to fragment or refuse.
 */
final class MssClamp {
    private MssClamp() {
    }

    /** An IPv4 packet of {@code len} bytes at {@code off} with header length {@code ihl}. */
    static void ipv4(MemorySegment m, int off, int len, int ihl, Tunnel t) {
        if (t.clampsMss() && Ipv4.protocol(m, off) == IpProtocol.TCP && Ipv4.fragmentOffset(m, off) == 0
                && Tcp.clampMss(m, off + ihl, len - ihl, t.mss4())) {
            t.counters.add(TunnelCounters.MSS_CLAMPED, 1);
        }
    }

    /** An IPv6 packet of {@code len} bytes at {@code off}, past its extension headers. */
    static void ipv6(MemorySegment m, int off, int len, Tunnel t) {
        if (!t.clampsMss()) {
            return;
        }
        long upper = Ipv6.upperLayer(m, off, len);
        if (upper >= 0 && Ipv6.protocol(upper) == IpProtocol.TCP) {
            int tcpOff = Ipv6.offset(upper);
            if (Tcp.clampMss(m, off + tcpOff, len - tcpOff, t.mss6())) {
                t.counters.add(TunnelCounters.MSS_CLAMPED, 1);
            }
        }
    }
}
