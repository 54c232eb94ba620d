package io.tunnelbox.packet;

/**
 * Why a packet was refused. Validators return one of these codes instead of throwing, so the hot path
 * counts the drop under {@link #name(int)} (a stable kebab-case name used by drop counters) and moves on.
 */
public final class Reason {
    public static final int OK = 0;
    /** The buffer ends before a header (or a length the header claims) does. */
    public static final int TRUNCATED = 1;
    public static final int BAD_CHECKSUM = 2;
    /** An IP header whose version nibble does not match what the EtherType or protocol promised. */
    public static final int IP_VERSION = 3;
    /** IPv4 IHL below 5 or larger than the total length. */
    public static final int IPV4_IHL = 4;
    /** IPv4 total length smaller than its header. */
    public static final int IPV4_LENGTH = 5;
    /** An IPv6 extension header chain that runs past the payload. */
    public static final int IPV6_EXTENSION = 6;
    /** UDP length below 8. */
    public static final int UDP_LENGTH = 7;
    /** GRE version other than 0 (RFC 2784 section 2.3.1: version 1 is PPTP). */
    public static final int GRE_VERSION = 8;
    /** GRE reserved bits 1, 4 or 5 set (RFC 2784 section 2.3: must be discarded). */
    public static final int GRE_RESERVED = 9;
    /** VXLAN I flag clear (RFC 7348 section 5: the VNI is not valid). */
    public static final int VXLAN_FLAGS = 10;
    /** ARP that is not Ethernet/IPv4 (hardware type 1, protocol 0x0800, lengths 6 and 4). */
    public static final int ARP_FORMAT = 11;
    /** TCP data offset below 5 or past the segment. */
    public static final int TCP_OFFSET = 12;

    /** A header for another protocol than the one expected here (e.g. UDP where GRE was expected). */
    public static final int UNEXPECTED_PROTOCOL = 13;

    /** One past the largest code; counters can size an array with it. */
    public static final int COUNT = 14;

    private static final String[] NAMES = {
        "ok", "truncated", "bad-checksum", "ip-version", "ipv4-ihl", "ipv4-length", "ipv6-extension",
        "udp-length", "gre-version", "gre-reserved", "vxlan-flags", "arp-format", "tcp-offset",
        "unexpected-protocol",
    };

    private Reason() {
    }

    /** The stable counter name of a code; "unknown" for a code this class does not define. */
    public static String name(int reason) {
        return reason >= 0 && reason < NAMES.length ? NAMES[reason] : "unknown";
    }
}
