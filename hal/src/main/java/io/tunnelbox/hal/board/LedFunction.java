package io.tunnelbox.hal.board;

import java.util.Locale;

/** What a status LED shows; see the README's "Status LEDs" table. */
public enum LedFunction {
    STATUS, WAN, TUNNELS, ACTIVITY;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
