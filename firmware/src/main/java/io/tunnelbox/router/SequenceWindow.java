package io.tunnelbox.router;

/**
 * The receive side of RFC 2890 sequence numbers (section 2.2): a packet is accepted only if its
 * number is newer than the last accepted one in 32-bit serial arithmetic, so duplicates, replays
 * and reordered packets are discarded (we do not buffer them: GRE carries IP, which copes with loss
 * better than with late delivery).
 *
 * <p>RFC 2890 sets no bound on how far ahead a number may jump. Without one, a single forged or
 * corrupted packet numbered 2^31 - 1 ahead would make every genuine packet look old until the
 * counter wrapped. So a jump of more than {@code forwardWindow} is dropped too, unless
 * {@link #RESYNC_RUN} such packets arrive in a row, each newer than the one before and within the
 * window of it: that is a peer that restarted or a long outage, and the window moves to it. The
 * same holds for a run of in-order packets that look old: a restarted peer numbers from 1 again.
 *
 * <p>Not thread-safe: owned by the datapath thread.
 */
public final class SequenceWindow {
    public static final int ACCEPT = 0;
    /** Not newer than the last accepted packet: duplicate, replay or reordering. */
    public static final int OLD = 1;
    /** Newer, but further ahead than the window allows. */
    public static final int JUMP = 2;

    /** Default forward window: two seconds of a busy branch link at 32 000 packets/s. */
    public static final int DEFAULT_FORWARD_WINDOW = 1 << 16;
    /** Consecutive in-order out-of-window packets that move the window (a peer restart). */
    public static final int RESYNC_RUN = 4;

    private final int forwardWindow;
    private boolean started;
    private int last;
    private int runLast;
    private int runLength;

    public SequenceWindow() {
        this(DEFAULT_FORWARD_WINDOW);
    }

    public SequenceWindow(int forwardWindow) {
        if (forwardWindow < 1) {
            throw new IllegalArgumentException("forward window must be >= 1: " + forwardWindow);
        }
        this.forwardWindow = forwardWindow;
    }

    /** Judges {@code seq} and, when it is accepted, remembers it. */
    public int check(int seq) {
        if (!started) {
            started = true;
            last = seq;
            runLength = 0;
            return ACCEPT;
        }
        int ahead = seq - last; // serial arithmetic: wraps correctly
        if (ahead > 0 && ahead <= forwardWindow) {
            last = seq;
            runLength = 0;
            return ACCEPT;
        }
        // Too old or too far ahead. A peer that restarted counts from 1 again: its packets look
        // old forever unless an in-order run of them moves the window, just as a long jump does.
        int afterRun = seq - runLast;
        if (runLength > 0 && afterRun > 0 && afterRun <= forwardWindow) {
            runLength++;
        } else {
            runLength = 1;
        }
        runLast = seq;
        if (runLength >= RESYNC_RUN) {
            last = seq;
            runLength = 0;
            return ACCEPT;
        }
        return ahead <= 0 ? OLD : JUMP;
    }

    /** Forgets the history: the next packet is accepted whatever its number. */
    public void reset() {
        started = false;
        runLength = 0;
    }

    /** Last accepted number (meaningless before the first packet). */
    public int last() {
        return last;
    }
}
