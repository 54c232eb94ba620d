package io.tunnelbox.app;

import io.tunnelbox.config.Config;
import io.tunnelbox.config.Flood;
import io.tunnelbox.config.SegmentConfig;
import io.tunnelbox.config.TunnelConfig;
import io.tunnelbox.l2switch.FloodMode;
import io.tunnelbox.l2switch.MacMove;
import io.tunnelbox.l2switch.SegmentSpec;
import io.tunnelbox.l2switch.Transport;
import io.tunnelbox.router.DfMode;
import io.tunnelbox.router.GreTunnelSpec;
import java.time.Duration;
import java.util.HashSet;
import java.util.OptionalInt;
import java.util.Set;

/** Turns what an admin configured into what the datapaths run. */
final class SpecMapping {
    private SpecMapping() {
    }

    static GreTunnelSpec tunnel(TunnelConfig t, int wanAddress, int wanMtu) {
        int local = t.effectiveLocal(wanAddress);
        return new GreTunnelSpec(t.name(), local, t.remote(),
                key(t.ikey().isPresent(), t.ikey().orElse(0)),
                key(t.okey().isPresent(), t.okey().orElse(0)),
                t.sequence(), t.checksum(),
                t.ttl() == TunnelConfig.TTL_INHERIT ? GreTunnelSpec.TTL_INHERIT : t.ttl(),
                t.tos() < 0 ? GreTunnelSpec.TOS_INHERIT : t.tos(),
                // DF on (the default) lets the underlay report its path MTU; off lets it fragment.
                t.df() ? DfMode.SET : DfMode.CLEAR,
                // ESP's overhead is the config's to know (TunnelConfig.maxMtu): an encrypted tunnel
                // gets its MTU spelled out, so PMTU replies and MSS clamping use it.
                t.mtu() != TunnelConfig.MTU_AUTO ? t.mtu()
                        : t.encryption().isPresent() ? t.effectiveMtu(wanMtu) : GreTunnelSpec.MTU_AUTO,
                t.keepalive().enabled() ? Duration.ofSeconds(t.keepalive().intervalSeconds()) : Duration.ZERO,
                Math.max(1, t.keepalive().retries()),
                mss(t));
    }

    /** Off, automatic (follows the MTU in force, learned path MTU included) or the configured number. */
    private static int mss(TunnelConfig t) {
        return switch (t.mssClamp()) {
            case TunnelConfig.MSS_OFF -> GreTunnelSpec.MSS_OFF;
            case TunnelConfig.MSS_AUTO -> GreTunnelSpec.MSS_AUTO;
            default -> t.mssClamp();
        };
    }

    private static OptionalInt key(boolean present, long value) {
        return present ? OptionalInt.of((int) value) : OptionalInt.empty();
    }

    /**
     * The datapath wants a local VLAN for every segment; an untagged segment (config VLAN 0) gets
     * the highest VLAN id no tagged segment of {@code config} uses.
     */
    static SegmentSpec segment(SegmentConfig s, Config config) {
        Transport transport = s.transport() == SegmentConfig.Transport.VXLAN ? Transport.VXLAN : Transport.GRE;
        boolean untagged = s.vlan() == SegmentConfig.UNTAGGED;
        int vlan = untagged ? freeVlan(config) : s.vlan();
        Flood f = s.flood();
        boolean group = f.mode() == Flood.Mode.GROUP;
        return new SegmentSpec(transport, (int) s.id(), vlan, untagged,
                group ? FloodMode.MULTICAST : FloodMode.HEAD_END, f.peers(), group ? f.group() : 0,
                Duration.ofSeconds(s.ageingSeconds()), s.macLimit(), s.allow(),
                SegmentConfig.MAC_MOVE_ALLOW.equals(s.macMove()) ? MacMove.ALLOW : MacMove.DENY, s.fragment());
    }

    private static int freeVlan(Config config) {
        Set<Integer> used = new HashSet<>();
        config.segments().forEach(s -> used.add(s.vlan()));
        for (int v = 4094; v > 0; v--) {
            if (!used.contains(v)) {
                return v;
            }
        }
        throw new IllegalArgumentException("no VLAN id left for the untagged segment");
    }
}
