package io.tunnelbox.console;

import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;

/** Single keys from the terminal, Ctrl-C included (as the byte 3, not as a signal). */
final class RawKeys {
    private RawKeys() {
    }

    /** Enters raw mode without signals; returns the attributes to restore. */
    static Attributes enter(Terminal terminal) {
        Attributes saved = terminal.enterRawMode();
        Attributes raw = new Attributes(terminal.getAttributes());
        raw.setLocalFlag(Attributes.LocalFlag.ISIG, false);
        terminal.setAttributes(raw);
        return saved;
    }
}
