package io.tunnelbox.config;

import java.util.List;

/**
 * Where a segment's broadcast, multicast and unknown unicast go: one copy to each peer (head-end
 * replication) or one copy to a multicast group (VXLAN only).
 *
 * @param peers remote VTEP addresses, used in {@link Mode#PEERS} mode
 * @param group multicast group address, used in {@link Mode#GROUP} mode (0 otherwise)
 */
public record Flood(Mode mode, List<Integer> peers, int group) {
    public enum Mode {
        PEERS, GROUP;

        public String text() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Flood {
        peers = List.copyOf(peers);
    }

    public static Flood peers(List<Integer> peers) {
        return new Flood(Mode.PEERS, peers, 0);
    }

    public static Flood group(int group) {
        return new Flood(Mode.GROUP, List.of(), group);
    }
}
