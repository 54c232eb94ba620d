package io.tunnelbox.console;

import io.tunnelbox.hal.serial.SerialLine;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.jline.terminal.Size;
import org.jline.terminal.impl.ExternalTerminal;
import org.tinylog.Logger;

/**
 * The maintenance console on the board's serial line: one session at a time; when a session ends
 * (logout) a new login prompt follows on the same line, and when the line goes away (cable pulled)
 * it waits for the line to come back and starts over. Runs on its own thread.
 */
public final class SerialConsole implements AutoCloseable {
    static final java.time.Duration CRASH_PAUSE = java.time.Duration.ofSeconds(1);

    private final SerialLine line;
    private final ConsoleContext ctx;
    private final Thread thread;
    private volatile boolean stopped;

    public SerialConsole(SerialLine line, ConsoleContext ctx) {
        this.line = line;
        this.ctx = ctx;
        this.thread = Thread.ofPlatform().name("serial-console").daemon(true).unstarted(this::serve);
    }

    public SerialConsole start() {
        thread.start();
        return this;
    }

    private void serve() {
        Logger.info("Serial console on {} at {} baud", line.device(), line.baudRate());
        while (!stopped) {
            SerialLine.Connection connection;
            try {
                connection = line.awaitConnection();
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                if (!stopped) {
                    Logger.warn("Serial console stopped: {}", e.getMessage());
                }
                return;
            }
            while (!stopped && connection.isOpen() && !Thread.currentThread().isInterrupted()) {
                runSession(connection);
            }
        }
    }

    private void runSession(SerialLine.Connection connection) {
        if (!runSession(ctx, connection.input(), connection.output(), line.device())) {
            pauseAfterCrash(ctx);
        }
    }

    /**
     * One session over a pair of streams that outlive it: the terminal must not close them when
     * the session ends, since the next login prompt uses them. False when the session crashed.
     */
    static boolean runSession(ConsoleContext ctx, InputStream input, OutputStream output, String where) {
        java.util.concurrent.atomic.AtomicReference<IdleGuard> activity = new java.util.concurrent.atomic.AtomicReference<>();
        InputStream in = new FilterInputStream(input) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                IdleGuard g = activity.get();
                if (n > 0 && g != null) {
                    g.touch();
                }
                return n;
            }

            @Override
            public void close() {
            }
        };
        OutputStream out = new FilterOutputStream(output) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                this.out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
        try (ExternalTerminal terminal = openTerminal(in, out)) {
            ConsoleSession session = new ConsoleSession(ctx, terminal);
            IdleGuard guard = new IdleGuard(ctx.clock(), ctx.idleTimeout(), session::loggedIn, () -> session.expire(terminal));
            activity.set(guard);
            Thread ticker = Thread.ofPlatform().daemon(true).name("console-idle").start(() -> tick(guard));
            try {
                session.run();
            } finally {
                ticker.interrupt();
                // Wait for JLine's reader thread to stop, so it cannot swallow what the admin
                // types to the next session's login prompt.
                terminal.pause(true);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        } catch (IOException e) {
            Logger.warn("Console session on {} failed: {}", where, e.getMessage());
            return true;
        } catch (RuntimeException e) {
            // A session must never take the console down with it: log, and offer a new login.
            Logger.error(e, "Console session on {} crashed", where);
            return false;
        }
    }

    /** The idle guard's clock is the context's; this thread only asks it once a second. */
    static void tick(IdleGuard guard) {
        try {
            while (!guard.check()) {
                Thread.sleep(1000);
            }
        } catch (InterruptedException e) {
            // the session ended
        }
    }

    /** After a crash, wait a little before the next login prompt, so a repeating fault cannot spin. */
    static void pauseAfterCrash(ConsoleContext ctx) {
        try {
            ctx.sleeper().sleep(CRASH_PAUSE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** JLine over the port's streams: no native terminal lookup, a fixed 80x24 window. */
    static ExternalTerminal openTerminal(InputStream in, OutputStream out) throws IOException {
        ExternalTerminal t = new ExternalTerminal("serial-console", "vt100", in, out, StandardCharsets.UTF_8);
        t.setSize(new Size(80, 24));
        return t;
    }

    @Override
    public void close() {
        stopped = true;
        line.close();
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
