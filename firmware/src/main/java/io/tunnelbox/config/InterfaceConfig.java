package io.tunnelbox.config;

import io.tunnelbox.packet.Ipv4Prefix;

/**
 * Addressing of one NIC role.
 *
 * @param nic     the board's NIC, by role or name ("wan", "lan", "eth0")
 * @param dhcp    address from the OS's DHCP client; then {@code address} is null and {@code gateway} 0
 * @param address static address with its prefix length (the host bits are this box's address)
 * @param gateway default gateway, 0 for none
 * @param mtu     link MTU in bytes
 */
public record InterfaceConfig(String nic, boolean dhcp, Ipv4Prefix address, int gateway, int mtu) {
    public static InterfaceConfig dhcp(String nic, int mtu) {
        return new InterfaceConfig(nic, true, null, 0, mtu);
    }

    public static InterfaceConfig fixed(String nic, Ipv4Prefix address, int gateway, int mtu) {
        return new InterfaceConfig(nic, false, address, gateway, mtu);
    }

    /** True when {@code ip} is this interface's own static address. */
    public boolean hasAddress(int ip) {
        return !dhcp && address != null && address.address() == ip;
    }
}
