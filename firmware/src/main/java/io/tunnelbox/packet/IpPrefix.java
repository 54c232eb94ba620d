package io.tunnelbox.packet;

/** An IPv4 or IPv6 prefix, as routes use them. */
public sealed interface IpPrefix permits Ipv4Prefix, Ipv6Prefix {
    int length();

    /** True when the bits below the prefix length are all zero. */
    boolean isNetwork();

    /** The same prefix with the host bits cleared. */
    IpPrefix network();
}
