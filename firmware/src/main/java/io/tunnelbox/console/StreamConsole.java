package io.tunnelbox.console;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The console over fixed streams, such as the process's own stdin/stdout on the {@code sim} and
 * {@code lab} boards ({@code "console": {"device": "stdio"}}): sessions follow one another until
 * the input ends. Runs on its own thread.
 */
public final class StreamConsole implements AutoCloseable {
    private final ConsoleContext ctx;
    private final EofWatch in;
    private final OutputStream out;
    private final Thread thread;
    private volatile boolean stopped;

    public StreamConsole(InputStream in, OutputStream out, ConsoleContext ctx) {
        this.ctx = ctx;
        this.in = new EofWatch(in);
        this.out = out;
        this.thread = Thread.ofPlatform().name("stream-console").daemon(true).unstarted(this::serve);
    }

    public StreamConsole start() {
        thread.start();
        return this;
    }

    private void serve() {
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
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

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
