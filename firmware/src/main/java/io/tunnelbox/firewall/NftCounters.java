package io.tunnelbox.firewall;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a rule's counter from {@code nft list table} text, by the rule's comment. */
public final class NftCounters {
    private static final Pattern COUNTER = Pattern.compile("counter packets (\\d+) bytes (\\d+)");

    private NftCounters() {
    }

    /** {packets, bytes} of the first rule commented {@code comment} that has a counter, or null. */
    public static long[] of(String listing, String comment) {
        String tag = "comment \"" + comment + "\"";
        for (String line : listing.split("\n")) {
            if (line.contains(tag)) {
                Matcher m = COUNTER.matcher(line);
                if (m.find()) {
                    return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
                }
            }
        }
        return null;
    }
}
