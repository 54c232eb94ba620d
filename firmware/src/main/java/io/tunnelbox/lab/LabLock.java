package io.tunnelbox.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One lab at a time on a machine: the namespaces have fixed names, so a second lab (or a test
 * running one) would tear down the first one's. The lock is flock(1) on a file, held by a child
 * process for as long as this JVM keeps its standard input open, so it also goes away when the
 * JVM dies, however it dies.
 */
final class LabLock implements AutoCloseable {
    static final String FILE = "/tmp/tunnelbox-lab.lock";
    private static final String LOCKED = "locked";

    private final Process holder;

    private LabLock(Process holder) {
        this.holder = holder;
    }

    /** Waits (saying so once) until no other lab runs on this machine. */
    static LabLock acquire(PrintStream out) {
        try {
            Process probe = new ProcessBuilder("flock", "-n", FILE, "true").redirectErrorStream(true).start();
            if (probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() != 0) {
                out.println("another lab is running on this machine; waiting for it to finish...");
            }
            Process holder = new ProcessBuilder("flock", FILE, "sh", "-c", "echo " + LOCKED + "; exec cat")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            var reader = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            if (!LOCKED.equals(reader.readLine())) {
                holder.destroyForcibly();
                throw new LabException("cannot take the lab lock " + FILE + " (flock, from util-linux)");
            }
            return new LabLock(holder);
        } catch (IOException e) {
            throw new LabException("cannot take the lab lock " + FILE + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while waiting for the lab lock");
        }
    }

    @Override
    public void close() {
        try {
            holder.getOutputStream().close();
            if (!holder.waitFor(5, TimeUnit.SECONDS)) {
                holder.destroyForcibly();
            }
        } catch (IOException e) {
            holder.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            holder.destroyForcibly();
        }
    }
}
