package io.tunnelbox.console;

import java.util.ArrayList;
import java.util.List;

/**
 * The last N log lines, kept in memory for {@code show log}: an admin on the serial console has no
 * shell to read the journal with. Bounded, so a chatty fault cannot eat the box's memory.
 */
public final class LogRing {
    /** The ring {@link LogRingWriter} fills; TinyLog creates writers itself, so it is found here. */
    private static final LogRing SHARED = new LogRing(1000);

    private final String[] lines;
    private long written;

    public LogRing(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.lines = new String[capacity];
    }

    public static LogRing shared() {
        return SHARED;
    }

    public int capacity() {
        return lines.length;
    }

    public synchronized void add(String line) {
        lines[(int) (written % lines.length)] = line;
        written++;
    }

    /** Lines ever added, including those the ring has since dropped. */
    public synchronized long written() {
        return written;
    }

    /** The newest {@code n} lines (fewer if the ring holds fewer), oldest first. */
    public synchronized List<String> last(int n) {
        int held = (int) Math.min(written, lines.length);
        int count = Math.max(0, Math.min(n, held));
        List<String> out = new ArrayList<>(count);
        for (long i = written - count; i < written; i++) {
            out.add(lines[(int) (i % lines.length)]);
        }
        return out;
    }

    public synchronized void clear() {
        java.util.Arrays.fill(lines, null);
        written = 0;
    }
}
