package io.tunnelbox.ipsec;

import io.tunnelbox.config.Config;
import java.util.List;

/** The box's IPsec, made to match each configuration that is applied. */
public interface Ipsec extends AutoCloseable {
    /**
     * Makes IPsec protect what {@code next} encrypts, sourced from {@code wanAddress} (0: none yet,
     * nothing is loaded). Failures are reported by {@link #peers()}, never thrown.
     */
    void apply(Config next, int wanAddress);

    /** Every peer the running configuration encrypts to, with its state; refreshed off the hot path. */
    List<PeerState> peers();

    /** Reads the security associations again (called on a timer, every few seconds). */
    void poll();

    /** Removes what the box loaded into strongSwan, and stops the charon it started. */
    @Override
    void close();

    /** No IPsec (in-memory boxes): every encrypted peer reads "ipsec: not on this box". */
    Ipsec NONE = new Ipsec() {
        private volatile List<PeerPlan> plan = List.of();

        @Override
        public void apply(Config next, int wanAddress) {
            plan = PeerPlan.of(next);
        }

        @Override
        public List<PeerState> peers() {
            return plan.stream().map(p -> PeerState.down(p, PeerState.NOT_ON_THIS_BOX)).toList();
        }

        @Override
        public void poll() {
        }

        @Override
        public void close() {
        }
    };
}
