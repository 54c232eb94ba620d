package io.tunnelbox.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.tunnelbox.packet.Ipv4Address;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the fields of one JSON object for {@link ConfigParser}: every accessor records an error with
 * its path and returns a default instead of throwing, so one pass finds every problem; keys never
 * asked for are reported as unknown by {@link #finish()}.
 */
final class Fields {
    private final JsonNode node;
    private final String path;
    private final List<ConfigError> errors;
    private final Set<String> known = new LinkedHashSet<>();

    Fields(JsonNode node, String path, List<ConfigError> errors) {
        this.path = path;
        this.errors = errors;
        if (node != null && !node.isMissingNode() && !node.isObject()) {
            errors.add(new ConfigError(path, "expected an object {...}, found " + describe(node)));
            this.node = MissingNode.getInstance();
        } else {
            this.node = node == null ? MissingNode.getInstance() : node;
        }
    }

    String path() {
        return path;
    }

    List<ConfigError> errors() {
        return errors;
    }

    String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean present() {
        return node.isObject();
    }

    /** True when the key is given and not null; marks it as known. */
    boolean has(String key) {
        known.add(key);
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    JsonNode raw(String key) {
        known.add(key);
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : v;
    }

    void error(String key, String message) {
        errors.add(new ConfigError(key == null ? path : path(key), message));
    }

    String text(String key, String def) {
        JsonNode v = raw(key);
        if (v == null) {
            return def;
        }
        if (!v.isTextual()) {
            error(key, "expected a string, found " + describe(v));
            return def;
        }
        return v.textValue();
    }

    boolean bool(String key, boolean def) {
        JsonNode v = raw(key);
        if (v == null) {
            return def;
        }
        if (!v.isBoolean()) {
            error(key, "expected true or false, found " + describe(v));
            return def;
        }
        return v.booleanValue();
    }

    long number(String key, long min, long max, long def) {
        JsonNode v = raw(key);
        if (v == null) {
            return def;
        }
        return number(v, key, min, max, def);
    }

    int integer(String key, int min, int max, int def) {
        return (int) number(key, min, max, def);
    }

    long number(JsonNode v, String key, long min, long max, long def) {
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            error(key, "expected a whole number, found " + describe(v));
            return def;
        }
        long n = v.longValue();
        if (n < min || n > max) {
            error(key, n + " is out of range " + min + ".." + max);
            return def;
        }
        return n;
    }

    /** An IPv4 address; 0 when absent or wrong (the error is recorded). */
    int ipv4(String key) {
        JsonNode v = raw(key);
        return v == null ? 0 : ipv4(v, path(key));
    }

    int ipv4(JsonNode v, String at) {
        if (!v.isTextual() || !Ipv4Address.isValid(v.textValue())) {
            errors.add(new ConfigError(at, describe(v) + " is not an IPv4 address"));
            return 0;
        }
        return Ipv4Address.parseOrZero(v.textValue());
    }

    Fields object(String key) {
        return new Fields(raw(key), path(key), errors);
    }

    /** The elements of an array (empty when absent or not an array; the latter is an error). */
    List<JsonNode> array(String key) {
        JsonNode v = raw(key);
        List<JsonNode> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (!v.isArray()) {
            error(key, "expected a list [...], found " + describe(v));
            return out;
        }
        v.forEach(out::add);
        return out;
    }

    /** Reports every key that no accessor asked for, with the closest known key as a hint. */
    void finish() {
        if (!node.isObject()) {
            return;
        }
        for (String name : (Iterable<String>) node::fieldNames) {
            if (!known.contains(name)) {
                String hint = closest(name);
                errors.add(new ConfigError(path(name), "unknown key"
                        + (hint == null ? " (known: " + String.join(", ", known) + ")" : " (did you mean \"" + hint + "\"?)")));
            }
        }
    }

    private String closest(String name) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(name.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return bestDistance <= Math.max(2, name.length() / 3) ? best : null;
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** A value as the user wrote it: strings quoted, objects and lists abbreviated. */
    static String describe(JsonNode v) {
        if (v.isObject()) {
            return "an object";
        }
        if (v.isArray()) {
            return "a list";
        }
        String s = v.toString();
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
