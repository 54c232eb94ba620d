package io.tunnelbox.l2switch;

import java.util.LinkedHashMap;
import java.util.Map;

/** A configured segment as the datapath runs it: its spec, tunnel ports and flow counters. */
final class SegmentState {
    /** Replaced in place only when the MAC limit alone changes ({@link SwitchConfiguration#add}). */
    SegmentSpec spec;
    /** Index in the datapath's segment array and the MAC table's segment number. */
    final int index;
    /** Head-end: the tunnel port numbers of the peers, in the spec's order. */
    final int[] peerPorts;
    /** The spec's peers (head-end: flood targets; multicast: members), all accepted. */
    final int[] peerAddresses;
    /** The spec's allow-list prefixes, as address and mask (accepted besides the peers). */
    final int[] allowAddress, allowMask;
    /** Table 2 entries: one per peer (port in head-end mode, address in multicast mode), then one per allowed prefix. */
    final Flow[] accept;
    /** Table 0: LAN frames of this segment's VLAN (or untagged). */
    final Flow lanIn;
    /** Table 10: learn and output to the LAN. */
    final Flow learn;
    /** Table 10: a tunnel frame whose source MAC is on the LAN, dropped (MAC move denied). */
    final Flow moveDenied;
    /** Table 21: flood. */
    final Flow flood;
    /** Static MACs as configured (MAC -> remote, 0 = LAN), re-applied when the segment is replaced. */
    final Map<Long, Integer> staticMacs = new LinkedHashMap<>();

    long fromTunnelPackets, fromTunnelBytes, toTunnelPackets, toTunnelBytes, floods, macLimitHits, fragmented,
            tooBig;

    /** "clear counters": the segment's own counters and its flows' (MAC entries keep theirs). */
    void clearCounters() {
        fromTunnelPackets = fromTunnelBytes = toTunnelPackets = toTunnelBytes = floods = macLimitHits = fragmented
                = tooBig = 0;
        for (Flow f : accept) {
            f.clear();
        }
        lanIn.clear();
        learn.clear();
        flood.clear();
    }

    SegmentState(SegmentSpec spec, int index, int[] peerPorts, long now) {
        this.spec = spec;
        this.index = index;
        this.peerPorts = peerPorts;
        this.peerAddresses = spec.peers().stream().mapToInt(Integer::intValue).toArray();
        this.allowAddress = spec.allow().stream().mapToInt(p -> p.address()).toArray();
        this.allowMask = spec.allow().stream().mapToInt(p -> io.tunnelbox.packet.Ipv4Prefix.mask(p.length())).toArray();
        int acceptFlows = firstAllowIndex() + allowAddress.length;
        this.accept = new Flow[acceptFlows];
        for (int i = 0; i < acceptFlows; i++) {
            accept[i] = new Flow(now);
        }
        this.lanIn = new Flow(now);
        this.learn = new Flow(now);
        this.moveDenied = new Flow(now);
        this.flood = new Flow(now);
    }

    /** The index in {@link #accept} of the first allowed prefix's entry. */
    int firstAllowIndex() {
        return spec.flood() == FloodMode.HEAD_END ? peerPorts.length : peerAddresses.length;
    }

    /**
     * The table-2 entry that accepts a frame from tunnel port {@code port} and VTEP {@code remote},
     * or -1 if the remote is not on this segment's allow-list (its peers, then its allowed prefixes).
     */
    int acceptIndex(int port, int remote) {
        if (spec.flood() == FloodMode.HEAD_END) {
            for (int k = 0; k < peerPorts.length; k++) {
                if (peerPorts[k] == port) {
                    return k;
                }
            }
        } else {
            for (int k = 0; k < peerAddresses.length; k++) {
                if (peerAddresses[k] == remote) {
                    return k;
                }
            }
        }
        int base = firstAllowIndex();
        for (int k = 0; k < allowAddress.length; k++) {
            if ((remote & allowMask[k]) == allowAddress[k]) {
                return base + k;
            }
        }
        return -1;
    }
}
