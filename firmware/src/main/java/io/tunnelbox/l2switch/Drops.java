package io.tunnelbox.l2switch;

import io.tunnelbox.engine.DropCounters;
import io.tunnelbox.packet.Reason;

/**
 * The switch's drop counters by reason (VPP's per-node error counters, OVS's drop reasons):
 * codec reasons ({@link Reason}) first, then the pipeline's own. Counting is an array increment.
 */
final class Drops extends DropCounters {
    static final int UNKNOWN_VLAN = Reason.COUNT;
    static final int MULTICAST_SOURCE = Reason.COUNT + 1;
    static final int UNKNOWN_REMOTE = Reason.COUNT + 2;
    static final int UNKNOWN_TUNNEL_ID = Reason.COUNT + 3;
    static final int REMOTE_NOT_MEMBER = Reason.COUNT + 4;
    static final int NOT_SWITCH = Reason.COUNT + 5;
    static final int NOT_TUNNEL = Reason.COUNT + 6;
    static final int FRAGMENT = Reason.COUNT + 7;
    static final int TAGGED_INNER = Reason.COUNT + 8;
    static final int LAN_TO_LAN = Reason.COUNT + 9;
    static final int NOT_VXLAN_PORT = Reason.COUNT + 10;
    static final int NO_HEADROOM = Reason.COUNT + 11;
    static final int MAC_MOVE_DENIED = Reason.COUNT + 12;
    static final int ZERO_SOURCE = Reason.COUNT + 13;
    static final int OUTER_TOO_BIG = Reason.COUNT + 14;

    private static final String[] NAMES = {
        "unknown-vlan", "multicast-source", "unknown-remote", "unknown-tunnel-id", "remote-not-member",
        "not-switch", "not-tunnel", "fragment", "tagged-inner", "lan-to-lan",
        "not-vxlan-port", "no-headroom", "mac-move-denied", "zero-source", "outer-too-big",
    };

    Drops() {
        super(NAMES);
    }
}
