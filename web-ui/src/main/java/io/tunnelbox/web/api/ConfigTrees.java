package io.tunnelbox.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tunnelbox.config.ConfigRedaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Configuration trees as the page sees them: secrets come back from the browser as
 * {@link ConfigRedaction#HIDDEN} and are put back from the running configuration before anything
 * is validated; and the difference between two trees, one {@code path = value} line per change.
 */
final class ConfigTrees {
    private ConfigTrees() {
    }

    /**
     * The candidate to validate or commit: the browser's tree with the running admins (accounts
     * change through the password routes, never through a configuration upload) and the running
     * metrics token where it still reads as hidden.
     */
    static ObjectNode withSecrets(JsonNode candidate, ObjectNode running) {
        ObjectNode c = candidate.deepCopy();
        ObjectNode system = c.has("system") && c.get("system").isObject() ? (ObjectNode) c.get("system") : c.putObject("system");
        system.set("admins", running.path("system").path("admins").deepCopy());
        JsonNode web = c.get("web");
        if (web instanceof ObjectNode w && ConfigRedaction.HIDDEN.equals(w.path("metricsToken").asText(null))) {
            w.set("metricsToken", running.path("web").path("metricsToken").deepCopy());
        }
        return c;
    }

    /** One change: "-" (only in before) or "+" (only in after), at a path like {@code tunnels[to-b].remote}. */
    record Change(String op, String path, String value) {
    }

    static List<Change> diff(JsonNode before, JsonNode after) {
        TreeSet<String> a = new TreeSet<>(lines(before));
        TreeSet<String> b = new TreeSet<>(lines(after));
        List<Change> out = new ArrayList<>();
        TreeSet<String> all = new TreeSet<>(a);
        all.addAll(b);
        for (String l : all) {
            boolean inA = a.contains(l);
            boolean inB = b.contains(l);
            if (inA != inB) {
                int eq = l.indexOf(" = ");
                out.add(new Change(inA ? "-" : "+", l.substring(0, eq), l.substring(eq + 3)));
            }
        }
        return out;
    }

    static List<String> lines(JsonNode root) {
        List<String> out = new ArrayList<>();
        flatten(root, "", out);
        return out;
    }

    private static void flatten(JsonNode n, String path, List<String> out) {
        if (n instanceof ObjectNode o) {
            if (o.isEmpty()) {
                out.add(path + " = {}");
            }
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                flatten(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out);
            }
        } else if (n instanceof ArrayNode arr) {
            if (arr.isEmpty()) {
                out.add(path + " = []");
            }
            for (int i = 0; i < arr.size(); i++) {
                JsonNode e = arr.get(i);
                String key = e.hasNonNull("name") ? e.get("name").asText() : e.hasNonNull("prefix") ? e.get("prefix").asText() : null;
                if (key != null) {
                    flatten(e, path + "[" + key + "]", out);
                } else if (e.isContainerNode()) {
                    flatten(e, path + "[" + i + "]", out);
                } else {
                    out.add(path + "[] = " + e);
                }
            }
        } else {
            out.add(path + " = " + n);
        }
    }
}
