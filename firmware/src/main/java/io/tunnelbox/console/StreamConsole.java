package io.tunnelbox.console;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.tinylog.Logger;

/**
 * The console over fixed streams, such as the process's own stdin/stdout on the {@code sim} and
 * {@code lab} boards ({@code "console": {"device": "stdio"}}): sessions follow one another until
 * the input ends. Runs on its own thread.
 */
public final class StreamConsole implements AutoCloseable {
    private final ConsoleContext ctx;
    private final EofWatch in;
    private final OutputStream out;
    /** Set when running on the process's own interactive terminal instead of plain streams. */
    private final Terminal tty;
    private final Thread thread;
    private volatile boolean stopped;

    public StreamConsole(InputStream in, OutputStream out, ConsoleContext ctx) {
        this(in, out, null, ctx);
    }

    private StreamConsole(InputStream in, OutputStream out, Terminal tty, ConsoleContext ctx) {
        this.ctx = ctx;
        this.in = new EofWatch(in);
        this.out = out;
        this.tty = tty;
        this.thread = Thread.ofPlatform().name("stream-console").daemon(true).unstarted(this::serve);
    }

    /**
     * The console on this process's stdin/stdout. On an interactive terminal JLine must own the
     * tty (raw mode, no echo of its own, or passwords would show), so it takes the system terminal
     * through its exec provider (stty); piped input gets plain streams.
     */
    public static StreamConsole onProcessStreams(ConsoleContext ctx) {
        java.io.Console c = System.console();
        if (c != null && c.isTerminal()) {
            try {
                Terminal tty = TerminalBuilder.builder().system(true).provider("exec").name("tunnelbox").build();
                return new StreamConsole(InputStream.nullInputStream(), OutputStream.nullOutputStream(), tty, ctx);
            } catch (IOException | RuntimeException e) {
                Logger.warn("No interactive terminal for the console ({}); using plain stdin/stdout", e.getMessage());
            }
        }
        return new StreamConsole(System.in, System.out, ctx);
    }

    public StreamConsole start() {
        thread.start();
        return this;
    }

    private void serve() {
        if (tty != null) {
            // Ctrl-D logs out; the terminal itself never ends, so sessions follow until close().
            while (!stopped && !Thread.currentThread().isInterrupted()) {
                long started = ctx.clock().nanoTime();
                Thread ticker = null;
                try {
                    ConsoleSession session = new ConsoleSession(ctx, tty);
                    // The process's own terminal is read by JLine directly, so the session reports
                    // each line it reads; a terminal left logged in is logged out like a serial one.
                    IdleGuard guard = new IdleGuard(ctx.clock(), ctx.idleTimeout(), session::loggedIn,
                            () -> session.expireInPlace());
                    session.onActivity(guard::touch);
                    ticker = Thread.ofPlatform().daemon(true).name("console-idle").start(() -> SerialConsole.tick(guard));
                    session.run();
                } catch (RuntimeException e) {
                    if (stopped) {
                        return; // close() closed the terminal under the session
                    }
                    Logger.error(e, "Console session on the process terminal crashed");
                } finally {
                    if (ticker != null) {
                        ticker.interrupt();
                    }
                }
                // A tty whose other side is gone answers every read with end-of-file: do not spin.
                if (ctx.clock().nanoTime() - started < SerialConsole.CRASH_PAUSE.toNanos()) {
                    SerialConsole.pauseAfterCrash(ctx);
                }
            }
            return;
        }
        while (!stopped && !in.ended && !Thread.currentThread().isInterrupted()) {
            if (!SerialConsole.runSession(ctx, in, out, "stdio")) {
                SerialConsole.pauseAfterCrash(ctx);
            }
        }
    }

    /** True once the input has ended and no further session will start. */
    public boolean finished() {
        return !thread.isAlive() && in.ended;
    }

    public void join(long millis) throws InterruptedException {
        thread.join(millis);
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        if (tty != null) {
            try {
                tty.close();
            } catch (IOException e) {
                Logger.warn("Closing the console terminal: {}", e.getMessage());
            }
        }
        try {
            // A session blocked reading plain stdin cannot be woken (an interrupt does not end a
            // read of a file descriptor); it holds nothing to clean up and its daemon thread ends
            // with the process, so stopping the box must not wait for a keystroke that never comes.
            thread.join(tty != null ? 5000 : STREAM_JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How long close() lets a stream session finish what it is doing (a commit, say). */
    static final long STREAM_JOIN_MILLIS = 200;

    /** Remembers that the input ended, which a session's end alone does not tell (logout vs EOF). */
    private static final class EofWatch extends FilterInputStream {
        volatile boolean ended;

        EofWatch(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            ended |= b < 0;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            ended |= n < 0;
            return n;
        }
    }
}
