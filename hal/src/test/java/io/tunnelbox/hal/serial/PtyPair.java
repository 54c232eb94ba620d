package io.tunnelbox.hal.serial;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A pair of connected pseudo-terminals made by socat, standing in for a serial cable: whatever is
 * written on one end is read on the other. {@link #unplug()} kills socat (both ends hang up, as
 * when a USB cable is pulled) and {@link #plugIn()} makes a new pair behind the same link names.
 * Callers check {@code Requirements.tool("socat")} first.
 */
public final class PtyPair implements AutoCloseable {
    private final Path a;
    private final Path b;
    private final Path log;
    private Process socat;

    private PtyPair(String name) {
        String base = "/tmp/tbcons-" + name + "-" + ProcessHandle.current().pid();
        this.a = Path.of(base + "-a");
        this.b = Path.of(base + "-b");
        this.log = Path.of(base + ".socat.log");
    }

    /** Starts socat; the ends appear as {@code /tmp/tbcons-<name>-<pid>-a} and {@code -b}. */
    public static PtyPair start(String name) throws IOException, InterruptedException {
        PtyPair pair = new PtyPair(name);
        pair.plugIn();
        return pair;
    }

    /** The end the device under test opens. */
    public Path a() {
        return a;
    }

    /** The end the test (the admin's terminal) opens. */
    public Path b() {
        return b;
    }

    public boolean pluggedIn() {
        return socat != null && socat.isAlive();
    }

    public void plugIn() throws IOException, InterruptedException {
        if (pluggedIn()) {
            return;
        }
        Files.deleteIfExists(a);
        Files.deleteIfExists(b);
        socat = new ProcessBuilder("socat", "-d", "-d",
                "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        for (int i = 0; i < 500 && !(Files.exists(a) && Files.exists(b)); i++) {
            if (!socat.isAlive()) {
                throw new IOException("socat exited with " + socat.exitValue() + "; see " + log);
            }
            Thread.sleep(10);
        }
        if (!(Files.exists(a) && Files.exists(b))) {
            unplug();
            throw new IOException("socat did not create " + a + " and " + b + " within 5 s; see " + log);
        }
    }

    /** Kills socat: both ends hang up and the links disappear. */
    public void unplug() throws IOException {
        if (socat != null) {
            socat.destroy();
            try {
                if (!socat.waitFor(5, TimeUnit.SECONDS)) {
                    socat.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                socat.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            socat = null;
        }
        Files.deleteIfExists(a);
        Files.deleteIfExists(b);
    }

    @Override
    public void close() throws IOException {
        unplug();
        Files.deleteIfExists(log);
    }
}
