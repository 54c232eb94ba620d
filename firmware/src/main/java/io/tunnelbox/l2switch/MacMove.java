package io.tunnelbox.l2switch;

import java.util.Locale;

/**
 * Whether a frame from a tunnel may move a MAC that was learned on the LAN port to that tunnel.
 * A Linux bridge calls an entry that learning may not move {@code sticky}; OVS counts such moves
 * ({@code fdb/stats-show}: "MAC moves") but never refuses one. A stranger who can reach a segment
 * would otherwise take a LAN host's address over with one frame, so the default refuses the move.
 */
public enum MacMove {
    /** A MAC learned on the LAN stays there until it ages out; a tunnel frame claiming it is dropped. */
    DENY,
    /** Learning moves the MAC to the tunnel the frame came from (a classic learning bridge). */
    ALLOW;

    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
