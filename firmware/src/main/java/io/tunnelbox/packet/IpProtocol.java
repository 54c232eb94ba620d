package io.tunnelbox.packet;

/** IP protocol numbers (IANA), including the IPv6 extension headers that {@link Ipv6#upperLayer} skips. */
public final class IpProtocol {
    public static final int HOP_BY_HOP = 0;
    public static final int ICMP = 1;
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int IPV6_ROUTING = 43;
    public static final int IPV6_FRAGMENT = 44;
    public static final int GRE = 47;
    public static final int ESP = 50;
    public static final int AH = 51;
    public static final int ICMPV6 = 58;
    public static final int IPV6_NONE = 59;
    public static final int IPV6_DESTINATION = 60;

    private IpProtocol() {
    }
}
