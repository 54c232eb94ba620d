package io.tunnelbox.web.auth;

import io.tunnelbox.config.ConfigVersion;

/**
 * A user name as a client sent it, made safe for one log line: control characters escaped (a name
 * with a newline would forge a second log line) and cut to a length no real account name reaches.
 */
public final class LoggedName {
    static final int MAX = 64;

    private LoggedName() {
    }

    public static String of(String name) {
        if (name == null || name.isEmpty()) {
            return "(no name)";
        }
        String cut = name.length() > MAX ? name.substring(0, MAX) + "..." : name;
        return ConfigVersion.escapeControls(cut);
    }
}
