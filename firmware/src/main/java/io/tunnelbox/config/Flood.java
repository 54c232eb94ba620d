package io.tunnelbox.config;

import java.util.List;

/**
 * Where a segment's broadcast, multicast and unknown unicast go: one copy to each peer (head-end
 * replication) or one copy to a multicast group (VXLAN only).
 *
 * @param peers remote VTEP addresses, used in {@link Mode#PEERS} mode
 * @param group multicast group address, used in {@link Mode#GROUP} mode (0 otherwise)
 * @param names peers given as DNS names (resolved by the box from time to time); what they resolve
 *              to is added to {@code peers} in what the datapaths run, never in the configuration
 */
public record Flood(Mode mode, List<Integer> peers, int group, List<String> names) {
    public enum Mode {
        PEERS, GROUP;

        public String text() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Flood {
        peers = List.copyOf(peers);
        names = List.copyOf(names);
    }

    public Flood(Mode mode, List<Integer> peers, int group) {
        this(mode, peers, group, List.of());
    }

    /** The same flood with {@code more} peers (what its names resolved to), duplicates left out. */
    public Flood withPeers(List<Integer> more) {
        List<Integer> all = new java.util.ArrayList<>(peers);
        more.stream().filter(p -> !all.contains(p)).forEach(all::add);
        return new Flood(mode, all, group, names);
    }

    public static Flood peers(List<Integer> peers) {
        return new Flood(Mode.PEERS, peers, 0);
    }

    public static Flood group(int group) {
        return new Flood(Mode.GROUP, List.of(), group);
    }
}
