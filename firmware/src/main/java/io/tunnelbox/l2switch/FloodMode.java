package io.tunnelbox.l2switch;

/** Where a segment's broadcast, multicast and unknown unicast frames go (the seed's table 21). */
public enum FloodMode {
    /** One copy to every configured peer VTEP (the seed's br-tun full mesh). */
    HEAD_END,
    /** One copy to the segment's multicast group (the seed's VXLAN section). */
    MULTICAST
}
