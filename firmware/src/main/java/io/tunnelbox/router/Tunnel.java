package io.tunnelbox.router;

import io.tunnelbox.packet.Gre;

/**
 * A configured tunnel at run time: its spec unpacked into primitive fields for the hot path, its
 * transmit sequence and IP identification counters, receive sequence window, keepalive state and
 * counters. Owned by the datapath thread; {@link #counters()} and {@link #keepalive()} may be read
 * from others.
 */
public final class Tunnel {
    final GreTunnelSpec spec;
    final int local;
    final int remote;
    final boolean hasInputKey;
    final int inputKey;
    final int outputKey;
    final int sendFlags;
    final int greHeaderLength;
    final boolean requireSequence;
    final boolean requireChecksum;
    final int ttl;
    final int tos;
    final DfMode df;
    /** {@link GreTunnelSpec#MSS_OFF}, {@link GreTunnelSpec#MSS_AUTO} or a fixed IPv4 MSS. */
    final int mssClamp;
    /** Inner MTU from configuration: underlay MTU minus the overhead in use (or the configured MTU if smaller). */
    int baseMtu;
    /** Inner MTU in force: {@link #baseMtu}, or lower while an underlay path MTU report holds. */
    int mtu;
    /** When a learned path MTU expires (clock nanoseconds); meaningful while mtu < baseMtu. */
    long pathMtuExpires;
    final SequenceWindow window = new SequenceWindow();
    final Keepalive keepalive;
    final TunnelCounters counters;
    int txSequence;
    int ipId;

    Tunnel(GreTunnelSpec spec, int underlayMtu, TunnelCounters counters, long nowNanos, long nowMillis) {
        this.spec = spec;
        this.local = spec.local();
        this.remote = spec.remote();
        this.hasInputKey = spec.inputKey().isPresent();
        this.inputKey = spec.inputKey().orElse(0);
        this.outputKey = spec.outputKey().orElse(0);
        this.sendFlags = spec.sendFlags();
        this.greHeaderLength = Gre.headerLength(sendFlags);
        this.requireSequence = spec.sequence();
        this.requireChecksum = spec.checksum();
        this.ttl = spec.ttl();
        this.tos = spec.tos();
        this.df = spec.df();
        this.mssClamp = spec.mssClamp();
        this.baseMtu = spec.effectiveMtu(underlayMtu);
        this.mtu = baseMtu;
        this.keepalive = new Keepalive(spec.keepaliveInterval().toNanos(), spec.keepaliveRetries(),
                nowNanos, nowMillis);
        this.counters = counters;
        // start the IP id somewhere different per tunnel and run, as stacks do
        this.ipId = (spec.remote() * 31 + (int) nowNanos) & 0xFFFF;
    }

    /** The underlay MTU changed (a WAN MTU commit): new base MTU; a learned path MTU is dropped. */
    void rebase(int underlayMtu) {
        baseMtu = spec.effectiveMtu(underlayMtu);
        mtu = baseMtu;
    }

    public GreTunnelSpec spec() {
        return spec;
    }

    public String name() {
        return spec.name();
    }

    /** The inner MTU in force (a learned path MTU may hold it below {@link #baseMtu()}). */
    public int mtu() {
        return mtu;
    }

    public int baseMtu() {
        return baseMtu;
    }

    /** A packet from the LAN for this tunnel dropped: counted in the router's drops and as this tunnel's. */
    void txDrop(RouterDrops drops, int reason) {
        drops.count(reason);
        counters.drop(reason, TunnelCounters.TX_DROPS);
    }

    /** A packet received through this tunnel dropped: counted in the router's drops and as this tunnel's. */
    void rxDrop(RouterDrops drops, int reason) {
        drops.count(reason);
        counters.drop(reason, TunnelCounters.RX_DROPS);
    }

    /** True when TCP SYNs through this tunnel get their MSS lowered. */
    boolean clampsMss() {
        return mssClamp != GreTunnelSpec.MSS_OFF;
    }

    /** The IPv4 MSS ceiling in force: fixed, or the MTU in force less 40 bytes of IPv4 and TCP header. */
    public int mss4() {
        return mssClamp == GreTunnelSpec.MSS_AUTO ? mtu - 40 : mssClamp;
    }

    /** The IPv6 MSS ceiling: 20 bytes less than IPv4's, for the longer IPv6 header. */
    public int mss6() {
        return mss4() - 20;
    }

    public TunnelCounters counters() {
        return counters;
    }

    public Keepalive keepalive() {
        return keepalive;
    }

    public LinkState state() {
        return keepalive.state();
    }
}
