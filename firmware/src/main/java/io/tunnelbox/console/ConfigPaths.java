package io.tunnelbox.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunnelbox.config.ConfigRedaction;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Console paths into the configuration's JSON tree, in the style of {@code set tunnels gre1 remote
 * 203.0.113.1}: an object is entered by key, an array of objects by the name of an element (its
 * {@code name} field; routes by {@code prefix}), and an array of plain values ({@code peers}) takes
 * values to add or remove. {@code set} creates what is missing on the way, so naming a new tunnel
 * creates it. Validation is the configuration service's job at commit; this class only edits.
 */
final class ConfigPaths {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Arrays whose elements are objects told apart by a field other than "name". */
    private static final Map<String, String> KEY_FIELDS = Map.of("routes", "prefix");
    /** Arrays that may be absent from a tree yet: created as arrays, not objects, by {@code set}. */
    private static final Set<String> OBJECT_ARRAYS = Set.of("tunnels", "segments", "routes", "admins");
    private static final Set<String> VALUE_ARRAYS = Set.of("peers", "allow", "lanPrefixes");
    /** Fields the console offers on Tab for an element that has none of them yet. */
    private static final Map<String, List<String>> FIELD_HINTS = Map.of(
            "tunnels", List.of("local", "remote", "key", "ikey", "okey", "sequence", "checksum", "ttl", "tos", "df",
                    "mtu", "keepalive", "mssClamp"),
            "segments", List.of("transport", "id", "vlan", "flood", "ageingSeconds", "macLimit", "udpPort",
                    "fragment"),
            "routes", List.of("tunnel"),
            "admins", List.of("passwordHash"),
            "keepalive", List.of("interval", "retries"),
            "flood", List.of("mode", "peers", "group"));
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,18}");
    /** Shown instead of secrets: the console never prints a password hash. */
    static final String HIDDEN = ConfigRedaction.HIDDEN;

    private ConfigPaths() {
    }

    static String keyField(String arrayName) {
        return KEY_FIELDS.getOrDefault(arrayName, "name");
    }

    static boolean isSecret(String field) {
        return ConfigRedaction.isSecret(field);
    }

    /** Sets {@code path} to {@code value} (or adds it, for an array of plain values). */
    static void set(ObjectNode root, List<String> path, Words.Word value) throws CommandException {
        if (path.isEmpty()) {
            throw new CommandException("set what? usage: set <path...> <value>");
        }
        JsonNode node = root;
        String name = "";
        for (int i = 0; i < path.size(); i++) {
            String step = path.get(i);
            boolean last = i == path.size() - 1;
            String here = String.join(" ", path.subList(0, i));
            if (node instanceof ObjectNode obj) {
                JsonNode child = obj.get(step);
                if (last) {
                    if (child != null && child.isArray() && VALUE_ARRAYS.contains(step)) {
                        addValue((ArrayNode) child, value);
                    } else if (OBJECT_ARRAYS.contains(step)) {
                        String all = String.join(" ", path) + " " + value.text();
                        throw new CommandException("\"" + all + "\" needs a setting and a value, e.g. set " + all + " "
                                + firstHint(step) + " <value>");
                    } else if (child != null && child.isContainerNode()) {
                        throw missingValue(path, value);
                    } else if (VALUE_ARRAYS.contains(step)) {
                        addValue(obj.putArray(step), value);
                    } else {
                        obj.set(step, scalar(value));
                    }
                    return;
                }
                if (child == null || child.isNull()) {
                    child = OBJECT_ARRAYS.contains(step) || VALUE_ARRAYS.contains(step) ? obj.putArray(step) : obj.putObject(step);
                } else if (!child.isContainerNode()) {
                    throw new CommandException("\"" + (here.isEmpty() ? step : here + " " + step) + "\" is a value ("
                            + child.asText() + "), it has no \"" + path.get(i + 1) + "\"");
                }
                node = child;
                name = step;
            } else if (node instanceof ArrayNode arr) {
                if (VALUE_ARRAYS.contains(name)) {
                    throw new CommandException("\"" + here + "\" is a list of values: use set " + here + " <value>");
                }
                String keyField = keyField(name);
                ObjectNode element = find(arr, keyField, step);
                if (element == null) {
                    if (last) {
                        throw new CommandException("\"" + here + " " + step + "\" needs a setting and a value, e.g. set "
                                + here + " " + step + " " + firstHint(name) + " <value>");
                    }
                    element = arr.addObject();
                    element.put(keyField, step);
                } else if (last) {
                    throw missingValue(path, value);
                }
                node = element;
                name = step;
            }
        }
    }

    /** {@code set system hostname} without a value reads as path [system], value "hostname". */
    private static CommandException missingValue(List<String> path, Words.Word value) {
        return new CommandException("missing value after \"" + String.join(" ", path) + " " + value.text()
                + "\" (usage: set <path...> <value>)");
    }

    private static String firstHint(String arrayName) {
        List<String> hints = FIELD_HINTS.get(arrayName);
        return hints == null ? "<setting>" : hints.get(Math.min(1, hints.size() - 1));
    }

    private static void addValue(ArrayNode arr, Words.Word value) {
        JsonNode v = scalar(value);
        for (JsonNode e : arr) {
            if (e.equals(v)) {
                return;
            }
        }
        arr.add(v);
    }

    /**
     * The JSON value for a typed word: a number for digits, a boolean for true/false, a string
     * otherwise; a quoted word is always a string. Fields such as {@code mtu} take either
     * ({@code 1400} or {@code "auto"}), so the word decides, not the value it replaces.
     */
    static JsonNode scalar(Words.Word value) {
        String text = value.text();
        if (value.quoted()) {
            return NODES.textNode(text);
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (INTEGER.matcher(text).matches()) {
            long n = Long.parseLong(text);
            return n == (int) n ? NODES.numberNode((int) n) : NODES.numberNode(n);
        }
        if (lower.equals("true") || lower.equals("false")) {
            return NODES.booleanNode(lower.equals("true"));
        }
        return NODES.textNode(text);
    }

    /** Removes what {@code path} names: a setting, an element of a named list, or a value of a list. */
    static void delete(ObjectNode root, List<String> path) throws CommandException {
        if (path.isEmpty()) {
            throw new CommandException("delete what? usage: delete <path...>");
        }
        JsonNode node = root;
        String name = "";
        for (int i = 0; i < path.size(); i++) {
            String step = path.get(i);
            boolean last = i == path.size() - 1;
            String here = String.join(" ", path.subList(0, i + 1));
            if (node instanceof ObjectNode obj) {
                JsonNode child = obj.get(step);
                if (child == null) {
                    throw new CommandException("nothing to delete: \"" + here + "\" is not set");
                }
                if (last) {
                    obj.remove(step);
                    return;
                }
                node = child;
                name = step;
            } else if (node instanceof ArrayNode arr) {
                int index = VALUE_ARRAYS.contains(name) ? indexOfValue(arr, step) : indexOfKey(arr, keyField(name), step);
                if (index < 0) {
                    throw new CommandException("nothing to delete: \"" + here + "\" is not set");
                }
                if (last) {
                    arr.remove(index);
                    return;
                }
                node = arr.get(index);
                name = step;
            } else {
                throw new CommandException("\"" + String.join(" ", path.subList(0, i)) + "\" is a value, it has no \"" + step + "\"");
            }
        }
    }

    /** The subtree at {@code path}, or an error naming the first step that does not exist. */
    static JsonNode get(ObjectNode root, List<String> path) throws CommandException {
        JsonNode node = root;
        String name = "";
        for (int i = 0; i < path.size(); i++) {
            String step = path.get(i);
            String here = String.join(" ", path.subList(0, i + 1));
            JsonNode next = null;
            if (node instanceof ObjectNode obj) {
                next = obj.get(step);
            } else if (node instanceof ArrayNode arr) {
                int index = VALUE_ARRAYS.contains(name) ? indexOfValue(arr, step) : indexOfKey(arr, keyField(name), step);
                next = index < 0 ? null : arr.get(index);
            }
            if (next == null) {
                throw new CommandException("\"" + here + "\" is not set");
            }
            node = next;
            name = step;
        }
        return node;
    }

    /** Words that may follow {@code path} in the tree (keys, element names, list values, hints). */
    static List<String> next(ObjectNode root, List<String> path) {
        JsonNode node = root;
        String name = "";
        for (String step : path) {
            JsonNode next = null;
            if (node instanceof ObjectNode obj) {
                next = obj.get(step);
            } else if (node instanceof ArrayNode arr && !VALUE_ARRAYS.contains(name)) {
                int index = indexOfKey(arr, keyField(name), step);
                next = index < 0 ? null : arr.get(index);
            }
            if (next == null) {
                // A new element being named: offer the settings its siblings would take.
                return node instanceof ArrayNode ? FIELD_HINTS.getOrDefault(name, List.of()) : List.of();
            }
            node = next;
            name = step;
        }
        Set<String> out = new LinkedHashSet<>();
        if (node instanceof ObjectNode obj) {
            obj.fieldNames().forEachRemaining(out::add);
            out.addAll(FIELD_HINTS.getOrDefault(name, List.of()));
            if (!path.isEmpty() && path.size() >= 2 && OBJECT_ARRAYS.contains(path.get(path.size() - 2))) {
                out.addAll(FIELD_HINTS.getOrDefault(path.get(path.size() - 2), List.of()));
                out.remove(keyField(path.get(path.size() - 2)));
            }
        } else if (node instanceof ArrayNode arr) {
            for (JsonNode e : arr) {
                if (VALUE_ARRAYS.contains(name)) {
                    out.add(e.asText());
                } else if (e.has(keyField(name))) {
                    out.add(e.get(keyField(name)).asText());
                }
            }
        }
        return new ArrayList<>(out);
    }

    private static ObjectNode find(ArrayNode arr, String keyField, String key) {
        int i = indexOfKey(arr, keyField, key);
        return i < 0 ? null : (ObjectNode) arr.get(i);
    }

    private static int indexOfKey(ArrayNode arr, String keyField, String key) {
        for (int i = 0; i < arr.size(); i++) {
            JsonNode e = arr.get(i);
            if (e.isObject() && e.has(keyField) && e.get(keyField).asText().equals(key)) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOfValue(ArrayNode arr, String value) {
        for (int i = 0; i < arr.size(); i++) {
            if (arr.get(i).asText().equals(value)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The tree as {@code set} lines, one per value, in tree order: what {@code compare} diffs and
     * what an admin could type back in. Secrets are hidden.
     */
    static List<String> setLines(JsonNode root) {
        List<String> out = new ArrayList<>();
        flatten(root, "", "", out);
        return out;
    }

    private static void flatten(JsonNode node, String prefix, String name, List<String> out) {
        if (node instanceof ObjectNode obj) {
            if (obj.isEmpty() && !prefix.isEmpty()) {
                out.add("set " + prefix.strip());
            }
            for (Map.Entry<String, JsonNode> f : obj.properties()) {
                flatten(f.getValue(), prefix + f.getKey() + " ", f.getKey(), out);
            }
        } else if (node instanceof ArrayNode arr) {
            String keyField = keyField(name);
            for (JsonNode e : arr) {
                if (e.isObject() && e.has(keyField)) {
                    String elementPrefix = prefix + quoteIfNeeded(e.get(keyField).asText()) + " ";
                    ObjectNode rest = ((ObjectNode) e).deepCopy();
                    rest.remove(keyField);
                    if (rest.isEmpty()) {
                        out.add("set " + elementPrefix.strip());
                    }
                    flatten(rest, elementPrefix, "", out);
                } else if (e.isContainerNode()) {
                    flatten(e, prefix, name, out);
                } else {
                    out.add("set " + prefix + quoteIfNeeded(e.asText()));
                }
            }
        } else {
            String value = isSecret(name) && !node.asText().isEmpty() ? HIDDEN : node.isTextual() ? quoteIfNeeded(node.asText()) : node.asText();
            if (node.isTextual() && INTEGER.matcher(node.asText()).matches()) {
                value = "\"" + node.asText() + "\"";
            }
            out.add("set " + prefix + value);
        }
    }

    private static String quoteIfNeeded(String s) {
        if (!s.isEmpty() && s.chars().noneMatch(c -> Character.isWhitespace(c) || c == '"' || c == '\\')) {
            return s;
        }
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * The {@link io.tunnelbox.config.FieldTable} pattern of console words: the name of a list
     * entry becomes {@code *} ({@code tunnels gre1 ttl} is {@code tunnels.*.ttl}).
     */
    static String pattern(List<String> words) {
        String p = "";
        for (String w : words) {
            boolean list = io.tunnelbox.config.FieldTable.find(p).map(f -> f.type().startsWith("list")).orElse(false);
            p = p.isEmpty() ? w : p + "." + (list ? "*" : w);
        }
        return p;
    }

    /**
     * A configuration error's path ({@code tunnels[2].remtoe}) in set syntax ({@code tunnels gre1
     * remtoe}): list indexes become the entry's name (or the value, for a list of values), read
     * from {@code tree}, the configuration the error is about.
     */
    static String setSyntax(JsonNode tree, String errorPath) {
        if (errorPath.isEmpty()) {
            return "";
        }
        List<String> words = new ArrayList<>();
        JsonNode node = tree;
        String name = "";
        java.util.regex.Matcher m = Pattern.compile("([^.\\[\\]]+)|\\[([0-9]+)\\]").matcher(errorPath);
        while (m.find()) {
            if (m.group(1) != null) {
                words.add(m.group(1));
                name = m.group(1);
                node = node == null ? null : node.get(name);
            } else {
                int i = Integer.parseInt(m.group(2));
                JsonNode e = node == null ? null : node.get(i);
                String key = keyField(name);
                if (e != null && e.isObject() && e.has(key)) {
                    words.add(quoteIfNeeded(e.get(key).asText()));
                } else if (e != null && e.isValueNode()) {
                    words.add(quoteIfNeeded(e.asText()));
                } else {
                    words.add("#" + (i + 1)); // an entry without a name: its position
                }
                node = e;
            }
        }
        return String.join(" ", words);
    }

    /** A copy of the tree with secrets replaced, for showing. */
    static JsonNode hideSecrets(JsonNode tree) {
        JsonNode copy = tree.deepCopy();
        hide(copy);
        return copy;
    }

    private static void hide(JsonNode node) {
        if (node instanceof ObjectNode obj) {
            List<String> secrets = new ArrayList<>();
            obj.fieldNames().forEachRemaining(f -> {
                // An empty secret (no metrics token set) hides nothing, as in ConfigRedaction.
                if (isSecret(f) && !obj.get(f).asText().isEmpty()) {
                    secrets.add(f);
                }
            });
            secrets.forEach(f -> obj.put(f, HIDDEN));
            obj.elements().forEachRemaining(ConfigPaths::hide);
        } else if (node instanceof ArrayNode arr) {
            arr.elements().forEachRemaining(ConfigPaths::hide);
        }
    }
}
