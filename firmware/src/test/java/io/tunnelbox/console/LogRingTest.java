package io.tunnelbox.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tinylog.Level;
import org.tinylog.core.LogEntry;
import org.tinylog.runtime.RuntimeProvider;

class LogRingTest {
    @Test
    void shouldKeepOnlyTheNewestLines() {
        LogRing ring = new LogRing(3);
        for (int i = 1; i <= 5; i++) {
            ring.add("line " + i);
        }
        assertEquals(List.of("line 3", "line 4", "line 5"), ring.last(10));
        assertEquals(List.of("line 4", "line 5"), ring.last(2));
        assertEquals(List.of(), ring.last(0));
        assertEquals(5, ring.written());
    }

    @Test
    void shouldReturnWhatItHasBeforeItIsFull() {
        LogRing ring = new LogRing(10);
        ring.add("only");
        assertEquals(List.of("only"), ring.last(5));
    }

    @Test
    void shouldFormatTinyLogEntriesIntoTheRing() {
        LogRing ring = new LogRing(4);
        LogRingWriter writer = new LogRingWriter(Map.of("format", "{level}: {message}"), ring);
        writer.write(new LogEntry(RuntimeProvider.createTimestamp(), Thread.currentThread(), Map.of(), "x.Y", "m", "Y.java", 1,
                null, Level.WARN, "tunnel gre1 down", null));
        assertEquals(List.of("WARN: tunnel gre1 down"), ring.last(1));
    }

    @Test
    void shouldBeFoundByTheNameUsedInTinylogProperties() throws Exception {
        org.tinylog.writers.Writer w = new org.tinylog.configuration.ServiceLoader<>(org.tinylog.writers.Writer.class, Map.class)
                .create("log ring", Map.of("format", "{message}"));
        assertTrue(w instanceof LogRingWriter, String.valueOf(w));
        try (var in = LogRingTest.class.getResourceAsStream("/tinylog.properties")) {
            String props = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(props.contains("= log ring"), "the firmware's tinylog.properties uses the ring writer");
        }
    }
}
