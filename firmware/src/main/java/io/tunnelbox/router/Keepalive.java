package io.tunnelbox.router;

/**
 * Cisco-style GRE keepalive timing (the tunnel's "line protocol"): every interval a keepalive is
 * sent; a reply clears the count of unanswered ones; when {@code retries} are unanswered at the
 * moment the next one is due, the tunnel goes down; the first reply brings it back up.
 *
 * <p>Also holds the tunnel's state, its reason and the time of the last change, because a tunnel
 * without keepalives is simply up from the moment it is configured. Time comes in as arguments
 * (nanoseconds from the datapath's {@code Clock}) so tests run on virtual time.
 *
 * <p>Written by the datapath thread; the state fields are volatile so "show tunnels" on another
 * thread reads a consistent-enough picture.
 */
public final class Keepalive {
    public static final String REASON_CONFIGURED = "configured";
    public static final String REASON_TIMEOUT = "keepalive-timeout";
    public static final String REASON_REPLY = "keepalive-reply";

    private final long intervalNanos;
    private final int retries;
    private long nextDue;
    private int unanswered;
    private volatile LinkState state = LinkState.UP;
    private volatile String reason = REASON_CONFIGURED;
    private volatile long lastChangeNanos;
    private volatile long lastChangeEpochMillis;

    /**
     * @param intervalNanos 0 for no keepalives
     * @param nowNanos      creation time: the first keepalive is due at once
     */
    public Keepalive(long intervalNanos, int retries, long nowNanos, long nowEpochMillis) {
        this.intervalNanos = intervalNanos;
        this.retries = retries;
        this.nextDue = nowNanos;
        this.lastChangeNanos = nowNanos;
        this.lastChangeEpochMillis = nowEpochMillis;
    }

    public boolean enabled() {
        return intervalNanos > 0;
    }

    /**
     * Advances the timer; returns true if a keepalive must be sent now. Takes the tunnel down first
     * if {@code retries} keepalives went unanswered.
     */
    public boolean due(long nowNanos, long nowEpochMillis) {
        if (intervalNanos <= 0 || nowNanos - nextDue < 0) {
            return false;
        }
        if (unanswered >= retries && state == LinkState.UP) {
            change(LinkState.DOWN, REASON_TIMEOUT, nowNanos, nowEpochMillis);
        }
        unanswered = Math.min(unanswered + 1, Integer.MAX_VALUE - 1);
        // a late tick (a stalled thread) sends one keepalive, not a burst to catch up
        nextDue = nowNanos - nextDue >= intervalNanos ? nowNanos + intervalNanos : nextDue + intervalNanos;
        return true;
    }

    /** A reflected keepalive of ours came back. */
    public void replied(long nowNanos, long nowEpochMillis) {
        unanswered = 0;
        if (state == LinkState.DOWN) {
            change(LinkState.UP, REASON_REPLY, nowNanos, nowEpochMillis);
        }
    }

    private void change(LinkState to, String why, long nowNanos, long nowEpochMillis) {
        reason = why;
        lastChangeNanos = nowNanos;
        lastChangeEpochMillis = nowEpochMillis;
        state = to;
    }

    public LinkState state() {
        return state;
    }

    public boolean up() {
        return state == LinkState.UP;
    }

    public String reason() {
        return reason;
    }

    public long lastChangeNanos() {
        return lastChangeNanos;
    }

    public long lastChangeEpochMillis() {
        return lastChangeEpochMillis;
    }

    /** Keepalives sent since the last reply. */
    public int unanswered() {
        return unanswered;
    }
}
