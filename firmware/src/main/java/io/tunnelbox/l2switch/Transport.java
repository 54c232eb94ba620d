package io.tunnelbox.l2switch;

/** How a segment's frames cross the underlay. */
public enum Transport {
    /** RFC 7348: outer IPv4 | UDP 4789 | VXLAN (24-bit VNI) | frame. */
    VXLAN("vxlan", 20 + 8 + 8),
    /** Ethernet over GRE: outer IPv4 | GRE with key (protocol 0x6558, key = segment id) | frame. */
    GRE("gre", 20 + 8);

    private final String label;
    private final int overhead;

    Transport(String label, int overhead) {
        this.label = label;
        this.overhead = overhead;
    }

    /** Lower-case name used in port names and dumps ("vxlan", "gre"). */
    public String label() {
        return label;
    }

    /** Bytes of delivery headers in front of the frame. */
    public int overhead() {
        return overhead;
    }
}
