package io.tunnelbox.update;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pointer to the active slot and the trial of a new one, in a file the launcher (a shell
 * script, before any Java runs) and the box both read and write:
 *
 * <pre>
 * active=a        the slot that is known good
 * trial=b         a slot on trial after an update (empty: none)
 * tries=3         starts the trial slot still gets; the launcher counts down, at 0 it rolls back
 * result=...      one line about the last update, for "show version" and the report
 * </pre>
 */
public record BootState(String active, String trial, int tries, String result) {
    public static final String FILE = "boot.state";

    public BootState {
        checkSlot(active, "active");
        checkSlot(trial, "trial");
        if (!trial.isEmpty() && trial.equals(active)) {
            throw new IllegalArgumentException("trial slot " + trial + " is the active one");
        }
        if (tries < 0) {
            throw new IllegalArgumentException("tries " + tries + " is negative");
        }
        result = result.replaceAll("[\\r\\n=]", " ").strip();
    }

    public static BootState empty() {
        return new BootState("", "", 0, "");
    }

    public boolean onTrial() {
        return !trial.isEmpty();
    }

    /** The slot the launcher starts: the trial while it has tries left, else the active one. */
    public String booted() {
        return onTrial() ? trial : active;
    }

    public static String other(String slot) {
        return "a".equals(slot) ? "b" : "a";
    }

    public String text() {
        return "# TunnelBox firmware slots (written by the box and tunnelbox-flash; read by tunnelbox-launch)\n"
                + "active=" + active + "\ntrial=" + trial + "\ntries=" + tries + "\nresult=" + result + "\n";
    }

    public static BootState parse(String text) throws IOException {
        Map<String, String> v = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int eq = l.indexOf('=');
            if (eq < 0) {
                throw new IOException(FILE + ": line '" + l + "' is not key=value");
            }
            v.put(l.substring(0, eq), l.substring(eq + 1));
        }
        try {
            return new BootState(v.getOrDefault("active", ""), v.getOrDefault("trial", ""),
                    Integer.parseInt(v.getOrDefault("tries", "0")), v.getOrDefault("result", ""));
        } catch (IllegalArgumentException e) {
            throw new IOException(FILE + ": " + e.getMessage());
        }
    }

    private static void checkSlot(String slot, String what) {
        if (!slot.isEmpty() && !slot.equals("a") && !slot.equals("b")) {
            throw new IllegalArgumentException(what + " slot '" + slot + "' is not a or b");
        }
    }
}
