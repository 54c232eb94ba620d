package io.tunnelbox.ipsec;

import io.tunnelbox.config.Config;
import io.tunnelbox.config.EncryptionConfig;
import io.tunnelbox.packet.Ipv4Address;
import io.tunnelbox.config.SegmentConfig;
import io.tunnelbox.config.TunnelConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One peer this box encrypts to: one IKE SA, with a child SA for GRE (a tunnel or Ethernet over
 * GRE) and one for VXLAN as the configuration asks. The validator made sure everything to a peer
 * uses the same {@link EncryptionConfig}.
 *
 * @param remote    the peer's WAN address
 * @param users     the tunnels and segments that use it, by name, in configuration order
 * @param vxlanPort the VXLAN UDP port (the box sends from and to it), 0 when no VXLAN is encrypted
 */
public record PeerPlan(int remote, EncryptionConfig encryption, boolean gre, int vxlanPort, List<String> users) {
    public PeerPlan {
        users = List.copyOf(users);
    }

    /** The connection's name in strongSwan: {@code tbx-198-51-100-2}. */
    public String connection() {
        return "tbx-" + Ipv4Address.format(remote).replace('.', '-');
    }

    public String remoteText() {
        return Ipv4Address.format(remote);
    }

    /** The peers of {@code config} that have encryption, in configuration order. */
    public static List<PeerPlan> of(Config config) {
        Map<Integer, PeerPlan> byPeer = new LinkedHashMap<>();
        for (TunnelConfig t : config.tunnels()) {
            if (t.encryption().isPresent() && t.remote() != 0) {
                merge(byPeer, new PeerPlan(t.remote(), t.encryption().get(), true, 0, List.of(t.name())));
            }
        }
        for (SegmentConfig s : config.segments()) {
            if (s.encryption().isEmpty()) {
                continue;
            }
            boolean gre = s.transport() == SegmentConfig.Transport.GRE;
            for (int peer : s.flood().peers()) {
                if (peer != 0) {
                    merge(byPeer, new PeerPlan(peer, s.encryption().get(), gre, gre ? 0 : s.udpPort(), List.of(s.name())));
                }
            }
        }
        return List.copyOf(byPeer.values());
    }

    private static void merge(Map<Integer, PeerPlan> byPeer, PeerPlan add) {
        byPeer.merge(add.remote(), add, (a, b) -> {
            List<String> users = new ArrayList<>(a.users());
            b.users().stream().filter(u -> !users.contains(u)).forEach(users::add);
            return new PeerPlan(a.remote(), a.encryption(), a.gre() || b.gre(), Math.max(a.vxlanPort(), b.vxlanPort()),
                    users);
        });
    }
}
