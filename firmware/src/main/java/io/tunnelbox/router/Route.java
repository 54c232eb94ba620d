package io.tunnelbox.router;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A configured route into a tunnel with its packet counter: what {@code show routes} lists. The
 * counter lives as long as the route is configured (tunnel changes keep it); written by the
 * datapath thread, read by others with opaque access.
 */
final class Route {
    private static final VarHandle PACKETS;

    static {
        try {
            PACKETS = MethodHandles.lookup().findVarHandle(Route.class, "packets", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Object prefix;
    final String tunnel;
    @SuppressWarnings("unused") // through PACKETS
    private long packets;

    Route(Object prefix, String tunnel) {
        this.prefix = prefix;
        this.tunnel = tunnel;
    }

    /** One packet matched this route; hot path. */
    void count() {
        PACKETS.setOpaque(this, (long) PACKETS.getOpaque(this) + 1);
    }

    long packets() {
        return (long) PACKETS.getOpaque(this);
    }

    void clear() {
        PACKETS.setOpaque(this, 0L);
    }
}
