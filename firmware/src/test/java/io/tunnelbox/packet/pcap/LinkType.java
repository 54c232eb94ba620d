package io.tunnelbox.packet.pcap;

/** pcap LINKTYPE values (tcpdump.org link-layer header types) used by TunnelBox captures. */
public final class LinkType {
    public static final int ETHERNET = 1;
    /** Raw IPv4 or IPv6, no link header: what a WAN (IP layer) port carries. */
    public static final int RAW = 101;

    private LinkType() {
    }
}
