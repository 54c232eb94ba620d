package io.tunnelbox.config;

import io.tunnelbox.packet.Ipv4Address;
import io.tunnelbox.packet.Ipv4Prefix;

/** The two NIC roles every box has, and the offloads their Linux ports may use. */
public record InterfacesConfig(InterfaceConfig wan, InterfaceConfig lan, OffloadsConfig offloads) {
    public static final InterfacesConfig DEFAULT = new InterfacesConfig(
            InterfaceConfig.dhcp("wan", 1500),
            InterfaceConfig.fixed("lan", new Ipv4Prefix(Ipv4Address.parseOrZero("192.168.1.1"), 24), 0, 1500));

    /** WAN and LAN with the default offloads. */
    public InterfacesConfig(InterfaceConfig wan, InterfaceConfig lan) {
        this(wan, lan, OffloadsConfig.DEFAULT);
    }
}
