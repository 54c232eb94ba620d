package io.tunnelbox.packet;

/** EtherType values (IEEE registry) the firmware speaks. */
public final class EtherType {
    public static final int IPV4 = 0x0800;
    public static final int ARP = 0x0806;
    /** 802.1Q customer VLAN tag. */
    public static final int VLAN = 0x8100;
    public static final int IPV6 = 0x86DD;
    /** Transparent Ethernet Bridging: the GRE protocol type of a whole Ethernet frame. */
    public static final int TEB = 0x6558;

    private EtherType() {
    }
}
