package io.tunnelbox.console;

import java.util.Map;
import org.tinylog.core.LogEntry;
import org.tinylog.writers.AbstractFormatPatternWriter;

/**
 * A TinyLog writer into {@link LogRing#shared()}: {@code writer2 = log ring} in tinylog.properties,
 * with the usual {@code format} property. Lines are stored without the trailing newline.
 */
public final class LogRingWriter extends AbstractFormatPatternWriter {
    private final LogRing ring;

    public LogRingWriter(Map<String, String> properties) {
        this(properties, LogRing.shared());
    }

    LogRingWriter(Map<String, String> properties, LogRing ring) {
        super(properties);
        this.ring = ring;
    }

    @Override
    public void write(LogEntry logEntry) {
        String line = render(logEntry);
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == '\n' || line.charAt(end - 1) == '\r')) {
            end--;
        }
        ring.add(line.substring(0, end));
    }

    @Override
    public void flush() {
        // nothing buffered
    }

    @Override
    public void close() {
        // the ring outlives the writer: it is read by the console
    }
}
