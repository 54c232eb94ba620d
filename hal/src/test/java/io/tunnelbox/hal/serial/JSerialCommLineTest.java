package io.tunnelbox.hal.serial;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.hal.testing.Requirements;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JSerialCommLineTest {
    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        executor.shutdownNow();
    }

    @Test
    void shouldWaitOnTheTimerWhileTheDeviceIsAbsent() {
        List<Duration> sleeps = new CopyOnWriteArrayList<>();
        JSerialCommLine[] line = new JSerialCommLine[1];
        line[0] = new JSerialCommLine("/tmp/tbcons-absent-" + ProcessHandle.current().pid(), 115200,
                Duration.ofMillis(750), d -> {
                    sleeps.add(d);
                    if (sleeps.size() == 3) {
                        line[0].close();
                    }
                });

        IOException e = assertThrows(IOException.class, line[0]::awaitConnection);

        assertEquals(List.of(Duration.ofMillis(750), Duration.ofMillis(750), Duration.ofMillis(750)), sleeps);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void shouldCarryBytesBothWays() throws Exception {
        Requirements.tool("socat");
        try (PtyPair pty = PtyPair.start("line");
             JSerialCommLine box = new JSerialCommLine(pty.a().toString(), 115200);
             JSerialCommLine admin = new JSerialCommLine(pty.b().toString(), 115200)) {
            SerialLine.Connection boxEnd = box.awaitConnection();
            SerialLine.Connection adminEnd = admin.awaitConnection();

            adminEnd.output().write("show version\r".getBytes(US_ASCII));
            assertEquals("show version\r", readExactly(boxEnd.input(), 13));
            boxEnd.output().write("TunnelBox 0.1\r\n".getBytes(US_ASCII));
            assertEquals("TunnelBox 0.1\r\n", readExactly(adminEnd.input(), 15));
        }
    }

    @Test
    void shouldCloseOnUnplugAndReopenWhenPluggedBackIn() throws Exception {
        Requirements.tool("socat");
        AtomicInteger retries = new AtomicInteger();
        try (PtyPair pty = PtyPair.start("replug");
             JSerialCommLine box = new JSerialCommLine(pty.a().toString(), 115200, Duration.ofMillis(20), d -> {
                 retries.incrementAndGet();
                 Thread.sleep(d);
             })) {
            SerialLine.Connection first = box.awaitConnection();
            Future<Integer> pendingRead = executor.submit(() -> first.input().read());

            pty.unplug();

            assertEquals(-1, pendingRead.get(10, TimeUnit.SECONDS), "a read on an unplugged line ends the stream");
            assertFalse(first.isOpen(), "the port is closed as soon as the line is found gone");
            assertThrows(IOException.class, () -> first.output().write('x'));

            Future<SerialLine.Connection> reopening = executor.submit(box::awaitConnection);
            while (retries.get() < 3) {
                assertFalse(reopening.isDone(), "no connection while unplugged");
                Thread.sleep(10);
            }
            pty.plugIn();
            SerialLine.Connection second = reopening.get(10, TimeUnit.SECONDS);

            try (JSerialCommLine admin = new JSerialCommLine(pty.b().toString(), 115200)) {
                admin.awaitConnection().output().write("back\r".getBytes(US_ASCII));
                assertEquals("back\r", readExactly(second.input(), 5));
            }
        }
    }

    private String readExactly(InputStream in, int n) throws Exception {
        CompletableFuture<String> result = CompletableFuture.supplyAsync(() -> {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[64];
            try {
                while (got.size() < n) {
                    int r = in.read(buf, 0, Math.min(buf.length, n - got.size()));
                    if (r < 0) {
                        break;
                    }
                    got.write(buf, 0, r);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return got.toString(US_ASCII);
        }, executor);
        return result.get(10, TimeUnit.SECONDS);
    }
}
