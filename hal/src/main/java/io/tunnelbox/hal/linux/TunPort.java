package io.tunnelbox.hal.linux;

/**
 * A TUN device (IFF_TUN | IFF_NO_PI): IP packets, no link header; the LAN side of a GRE router
 * tunnel, reached by kernel routes into it (see {@code KernelRoutes}).
 */
public final class TunPort extends TunTapPort {

    private TunPort(String name, int mtu) {
        super(name, IFF_TUN, mtu, 0);
    }

    /** Creates the device {@code name} (or a pattern such as {@code tun%d}) with this MTU, down. */
    public static TunPort open(String name, int mtu) {
        return new TunPort(name, mtu);
    }

    @Override
    public Layer layer() {
        return Layer.IP;
    }
}
