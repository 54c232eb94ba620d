package io.tunnelbox.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Which data-path offloads the box's Linux ports may use (all on by default). Each is only a
 * request: a kernel that refuses one is logged once and the port works without it. The command
 * line's {@code --offloads} and the environment's {@code TUNNELBOX_OFFLOADS} override this.
 *
 * @param tso take TCP super-frames from the TUN/TAP device (cut into packets by the box)
 * @param gro coalesce received TCP segments of one flow into super-frames for the TUN/TAP device
 * @param uso send runs of VXLAN datagrams of one flow with one UDP_SEGMENT send
 * @param uro receive such runs in one read with UDP_GRO
 */
public record OffloadsConfig(boolean tso, boolean gro, boolean uso, boolean uro) {
    public static final OffloadsConfig DEFAULT = new OffloadsConfig(true, true, true, true);

    /** The list as the command line takes it: {@code tso,gro,uso,uro}, or {@code none}. */
    public String words() {
        List<String> w = new ArrayList<>();
        if (tso) {
            w.add("tso");
        }
        if (gro) {
            w.add("gro");
        }
        if (uso) {
            w.add("uso");
        }
        if (uro) {
            w.add("uro");
        }
        return w.isEmpty() ? "none" : String.join(",", w);
    }
}
