package io.tunnelbox.hal.linux;

import io.tunnelbox.hal.offload.Offloads;

/**
 * A TUN device (IFF_TUN | IFF_NO_PI): IP packets, no link header; the LAN side of a GRE router
 * tunnel, reached by kernel routes into it (see {@code KernelRoutes}).
 */
public final class TunPort extends TunTapPort {

    private TunPort(String name, int mtu, Offloads offloads) {
        super(name, IFF_TUN, mtu, 0, offloads);
    }

    /** Creates the device {@code name} (or a pattern such as {@code tun%d}) with this MTU, down. */
    public static TunPort open(String name, int mtu) {
        return new TunPort(name, mtu, Offloads.NONE);
    }

    /**
     * As {@link #open(String, int)}, with virtio-net headers and the {@code offloads} the kernel
     * grants ({@link #offloads()} says which).
     */
    public static TunPort open(String name, int mtu, Offloads offloads) {
        return new TunPort(name, mtu, offloads);
    }

    @Override
    public Layer layer() {
        return Layer.IP;
    }
}
