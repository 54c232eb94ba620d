package io.tunnelbox.ipsec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code swanctl --list-sas --raw}: VICI messages printed as nested sections,
 * {@code name {key=value key=[a b] child {...}}}, one message per line. Gives a tree of
 * {@code Map<String, Object>} (values: String, List of String, or Map). Unknown text is skipped,
 * never thrown on: the box shows "no SA" rather than failing on a format it does not know.
 */
final class SaListing {
    private final String text;
    private int at;

    private SaListing(String text) {
        this.text = text;
    }

    /** The IKE SAs by connection name, from every {@code list-sa event} in {@code raw}. */
    static Map<String, Map<String, Object>> ikeSas(String raw) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (String line : raw.lines().toList()) {
            String l = line.strip();
            if (!l.startsWith("list-sa event")) {
                continue;
            }
            SaListing p = new SaListing(l.substring("list-sa event".length()));
            Map<String, Object> event = p.section();
            event.forEach((name, v) -> {
                if (v instanceof Map<?, ?> m) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> sa = (Map<String, Object>) m;
                    // A connection may briefly have two IKE SAs (both ends started one): keep the established one.
                    Map<String, Object> old = out.get(name);
                    if (old == null || !"ESTABLISHED".equals(old.get("state"))) {
                        out.put(name, sa);
                    }
                }
            });
        }
        return out;
    }

    /** Parses "{ ... }" at the cursor (after blanks); returns what it held. */
    private Map<String, Object> section() {
        Map<String, Object> m = new LinkedHashMap<>();
        skip();
        if (at >= text.length() || text.charAt(at) != '{') {
            return m;
        }
        at++;
        while (true) {
            skip();
            if (at >= text.length()) {
                return m;
            }
            char c = text.charAt(at);
            if (c == '}') {
                at++;
                return m;
            }
            String key = word();
            if (key.isEmpty()) {
                at++; // a stray character
                continue;
            }
            skip();
            if (at < text.length() && text.charAt(at) == '=') {
                at++;
                if (at < text.length() && text.charAt(at) == '[') {
                    int end = text.indexOf(']', at);
                    end = end < 0 ? text.length() : end;
                    String inner = text.substring(at + 1, end).strip();
                    m.put(key, inner.isEmpty() ? List.of() : new ArrayList<>(List.of(inner.split("\\s+"))));
                    at = Math.min(text.length(), end + 1);
                } else {
                    int start = at;
                    while (at < text.length() && !Character.isWhitespace(text.charAt(at)) && text.charAt(at) != '}') {
                        at++;
                    }
                    m.put(key, text.substring(start, at));
                }
            } else {
                m.put(key, section());
            }
        }
    }

    private String word() {
        int start = at;
        while (at < text.length()) {
            char c = text.charAt(at);
            if (Character.isWhitespace(c) || c == '=' || c == '{' || c == '}') {
                break;
            }
            at++;
        }
        return text.substring(start, at);
    }

    private void skip() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }
}
