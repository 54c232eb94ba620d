package io.tunnelbox.console;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The admin's side of a console: sends keystrokes and waits for text in what the console prints
 * (with terminal escape sequences removed). Waits are bounded so a broken console fails the test
 * instead of hanging it; they end as soon as the text arrives.
 */
public final class ConsoleDriver implements AutoCloseable {
    private static final Pattern ESCAPES = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]|\u001B[()][A-Z0-9]|\u001B[=>78]|\r|\u0007");
    private static final long WAIT_MILLIS = 20_000;

    private final OutputStream toConsole;
    private final StringBuilder raw = new StringBuilder();
    private final Thread collector;
    private int mark;
    private int rawMark;
    /** Rows this "terminal" reports when the console asks where the cursor is; 0 stays silent. */
    private volatile int rows;

    public ConsoleDriver(InputStream fromConsole, OutputStream toConsole) {
        this.toConsole = toConsole;
        this.collector = Thread.ofPlatform().daemon(true).name("console-driver").start(() -> collect(fromConsole));
    }

    private void collect(InputStream in) {
        byte[] buf = new byte[1024];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                String text = new String(buf, 0, n, StandardCharsets.UTF_8);
                synchronized (raw) {
                    raw.append(text);
                    raw.notifyAll();
                }
                if (rows > 0 && text.contains("\u001b[6n")) {
                    type("\u001b[" + rows + ";80R"); // as a real terminal answers a cursor position query
                }
            }
        } catch (IOException e) {
            // the console side went away; what arrived so far stays readable
        }
    }

    /** Makes this driver answer the console's screen-size question as a terminal of {@code rows} rows. */
    public ConsoleDriver answeringSize(int rows) {
        this.rows = rows;
        return this;
    }

    /** Everything shown so far, escape sequences removed. */
    public String screen() {
        synchronized (raw) {
            return ESCAPES.matcher(raw).replaceAll("");
        }
    }

    /** Waits until {@code text} appears after the previous match; returns what came up to it. */
    public String expect(String text) {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        synchronized (raw) {
            while (true) {
                String s = screen();
                int at = s.indexOf(text, mark);
                if (at >= 0) {
                    String seen = s.substring(mark, at + text.length());
                    mark = at + text.length();
                    return seen;
                }
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    fail("console did not show \"" + text + "\"; after the last match it showed:\n" + s.substring(mark));
                }
                try {
                    raw.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    fail("interrupted while waiting for " + text);
                }
            }
        }
    }

    /**
     * Waits until the console has marked a line dropped by Ctrl-C ({@code promptAndLine^C}, written
     * over the line after moving the cursor up), i.e. until the console has handled the Ctrl-C and
     * reads a new line; what was shown up to then counts as seen.
     */
    public void awaitDropped(String promptAndLine) {
        String wanted = "\u001b[A\r" + promptAndLine + "^C";
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        synchronized (raw) {
            while (raw.indexOf(wanted, rawMark) < 0) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    fail("console did not mark \"" + promptAndLine + "\" as dropped; it showed:\n" + screen().substring(mark));
                }
                try {
                    raw.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    fail("interrupted");
                }
            }
            rawMark = raw.indexOf(wanted, rawMark) + wanted.length();
            mark = ESCAPES.matcher(raw.substring(0, rawMark)).replaceAll("").length();
        }
    }

    /**
     * Logs in: waits for the login prompt (on the screen already or still to come), gives
     * {@code user} and {@code password}, then waits for {@code then} (a prompt or the welcome).
     */
    public ConsoleDriver logIn(String user, String password, String then) {
        expect("login: ");
        send(user);
        expect("Password: ");
        send(password);
        expect(then);
        return this;
    }

    /** Types a line and Enter (a serial terminal sends CR). */
    public void send(String line) {
        type(line + "\r");
    }

    public void type(String keys) {
        try {
            toConsole.write(keys.getBytes(StandardCharsets.UTF_8));
            toConsole.flush();
        } catch (IOException e) {
            throw new IllegalStateException("console input closed", e);
        }
    }

    @Override
    public void close() {
        collector.interrupt();
    }
}
