/**
 * Wire formats, read and written in place: static methods over a {@link java.lang.foreign.MemorySegment}
 * and the offset of a header, one class per header (Ethernet, Vlan, Arp, Ipv4, Ipv6, Udp, Tcp, Icmp4,
 * Icmp6, Gre, Vxlan), with {@link io.tunnelbox.packet.Checksum} and
 * {@link io.tunnelbox.packet.Encapsulation} (tunnel headers written into headroom, validated removal).
 *
 * <p>Nothing here allocates or throws on the forwarding path: {@code validate} methods return a
 * {@link io.tunnelbox.packet.Reason} code (OK is 0) that the caller counts as a drop; field readers
 * assume the header was validated first. Multi-byte fields are big-endian at any alignment
 * ({@link io.tunnelbox.packet.Wire}). MAC addresses are longs (low 48 bits), IPv4 addresses ints, IPv6
 * addresses two longs; their text and prefixes are here too, one type each for the whole firmware
 * ({@link io.tunnelbox.packet.Ipv4Address}, {@link io.tunnelbox.packet.Ipv4Prefix},
 * {@link io.tunnelbox.packet.Ipv6Prefix}).
 */
package io.tunnelbox.packet;
