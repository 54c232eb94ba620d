package io.tunnelbox.console;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.utils.NonBlockingReader;

/**
 * Shows long output a screen at a time with a {@code --More--} prompt, as network gear does:
 * Space for the next screen, Enter for one more line, q (or Ctrl-C) to stop. The screen height is
 * the terminal's (asked of the terminal at login on a serial line), or {@code set terminal length}.
 */
final class Pager {
    static final String MORE = "--More-- (Space: next page, Enter: next line, q: quit)";

    private final Terminal terminal;
    private final PrintWriter out;
    /** Lines per screen; 0 turns the pager off. */
    private volatile int length;

    Pager(Terminal terminal, PrintWriter out, int length) {
        this.terminal = terminal;
        this.out = out;
        this.length = length;
    }

    int length() {
        return length;
    }

    void length(int lines) {
        this.length = lines;
    }

    /** Prints {@code lines}, stopping at each screenful while {@code page} is set. */
    void show(List<String> lines, boolean page) {
        int perScreen = length - 1; // the --More-- line takes the last row
        if (!page || length <= 0 || lines.size() <= perScreen) {
            lines.forEach(out::println);
            out.flush();
            return;
        }
        int shown = 0;
        int budget = perScreen;
        while (shown < lines.size()) {
            while (budget > 0 && shown < lines.size()) {
                out.println(lines.get(shown++));
                budget--;
            }
            if (shown >= lines.size()) {
                break;
            }
            out.print(MORE);
            out.flush();
            int key = readKey();
            out.print("\r" + " ".repeat(MORE.length()) + "\r");
            if (key == ' ') {
                budget = perScreen;
            } else if (key == '\r' || key == '\n') {
                budget = 1;
            } else {
                break; // q, Ctrl-C, the line gone, anything else
            }
        }
        out.flush();
    }

    private int readKey() {
        Attributes saved = RawKeys.enter(terminal);
        try {
            NonBlockingReader r = terminal.reader();
            int c = r.read();
            return c < 0 ? 'q' : c;
        } catch (IOException e) {
            return 'q';
        } finally {
            terminal.setAttributes(saved);
        }
    }
}
