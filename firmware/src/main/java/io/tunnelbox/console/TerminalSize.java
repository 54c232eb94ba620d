package io.tunnelbox.console;

import java.io.IOException;
import java.util.Optional;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;
import org.jline.utils.NonBlockingReader;

/**
 * The screen height of the terminal at the other end of a serial line, asked the way
 * {@code resize} does: move the cursor far down-right, ask where it ended up (ESC [ 6 n), and
 * read the answer (ESC [ rows ; cols R). A terminal that does not answer within half a second
 * keeps the default. A local terminal knows its size already.
 */
final class TerminalSize {
    static final long ANSWER_MILLIS = 500;
    static final String QUESTION = "\u001b7\u001b[999;999H\u001b[6n\u001b8";

    private TerminalSize() {
    }

    /** The rows, if the terminal said, and what the admin typed meanwhile (to be given back to the reader). */
    record Answer(Optional<Integer> rows, String typedAhead) {
    }

    private static final java.util.regex.Pattern CPR = java.util.regex.Pattern.compile("\u001b\\[([0-9]+);([0-9]+)R");

    static Answer ask(Terminal terminal) {
        if (!(terminal instanceof ExternalTerminal)) {
            int rows = terminal.getHeight();
            return new Answer(rows > 0 ? Optional.of(rows) : Optional.empty(), "");
        }
        Attributes saved = RawKeys.enter(terminal);
        StringBuilder in = new StringBuilder();
        try {
            terminal.writer().print(QUESTION);
            terminal.writer().flush();
            NonBlockingReader r = terminal.reader();
            long end = System.nanoTime() + ANSWER_MILLIS * 1_000_000;
            while (System.nanoTime() < end) {
                int c = r.read(Math.max(1, (end - System.nanoTime()) / 1_000_000));
                if (c == NonBlockingReader.EOF) {
                    break;
                }
                if (c < 0) {
                    continue;
                }
                in.append((char) c);
                java.util.regex.Matcher m = CPR.matcher(in);
                if (m.find()) {
                    String rest = in.substring(0, m.start()) + in.substring(m.end());
                    return new Answer(parse(m.group()), rest);
                }
            }
            return new Answer(Optional.empty(), in.toString());
        } catch (IOException e) {
            return new Answer(Optional.empty(), in.toString());
        } finally {
            terminal.setAttributes(saved);
        }
    }

    /** "ESC [ 30 ; 80 R" gives 30; anything else nothing. */
    static Optional<Integer> parse(String answer) {
        int esc = answer.lastIndexOf("\u001b[");
        if (esc < 0 || !answer.endsWith("R")) {
            return Optional.empty();
        }
        String[] parts = answer.substring(esc + 2, answer.length() - 1).split(";");
        try {
            int rows = Integer.parseInt(parts[0]);
            return rows >= 5 && rows <= 500 ? Optional.of(rows) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
