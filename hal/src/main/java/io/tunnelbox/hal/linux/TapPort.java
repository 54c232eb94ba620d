package io.tunnelbox.hal.linux;

import io.tunnelbox.hal.offload.Offloads;

/**
 * A TAP device (IFF_TAP | IFF_NO_PI): whole Ethernet frames; the LAN side of an L2 segment,
 * attached to the LAN NIC by a bridge (see {@code LanBridge}).
 */
public final class TapPort extends TunTapPort {
    static final int ETHERNET_OVERHEAD = 18; // header and one 802.1Q tag

    private TapPort(String name, int mtu, Offloads offloads) {
        super(name, IFF_TAP, mtu, ETHERNET_OVERHEAD, offloads);
    }

    /** Creates the device {@code name} (or a pattern such as {@code tap%d}) with this MTU, down. */
    public static TapPort open(String name, int mtu) {
        return new TapPort(name, mtu, Offloads.NONE);
    }

    /**
     * As {@link #open(String, int)}, with virtio-net headers and the {@code offloads} the kernel
     * grants ({@link #offloads()} says which).
     */
    public static TapPort open(String name, int mtu, Offloads offloads) {
        return new TapPort(name, mtu, offloads);
    }

    @Override
    public Layer layer() {
        return Layer.ETHERNET;
    }

    /** The device's own MAC address (low 48 bits). */
    public long mac() {
        return control(() -> link().mac(name()));
    }
}
