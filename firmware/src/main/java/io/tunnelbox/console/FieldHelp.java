package io.tunnelbox.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tunnelbox.config.FieldTable;
import io.tunnelbox.config.FieldTable.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ?} and Tab on configuration paths, from the {@link FieldTable}: the settings that may come
 * next with their one-line help, and for a setting its type, range, default and current value;
 * Tab offers a setting's words ({@code true}/{@code false}, {@code vxlan}/{@code gre}, {@code auto}).
 */
final class FieldHelp {
    private FieldHelp() {
    }

    /** Words that may follow {@code soFar} in {@code tree}: settings, entry names, a setting's values. */
    static List<CommandTree.Choice> choices(ObjectNode tree, List<String> soFar) {
        Optional<Field> field = FieldTable.find(ConfigPaths.pattern(soFar));
        Map<String, String> out = new LinkedHashMap<>();
        if (field.isPresent() && field.get().isLeaf()) {
            field.get().words().forEach(w -> out.put(w, ""));
            if (field.get().path().endsWith("peers")) {
                ConfigPaths.next(tree, soFar).forEach(w -> out.put(w, "a peer already set"));
            }
            // keepalive takes true/false or its own settings
            FieldTable.children(field.get().path()).forEach(c -> out.put(c.name(), c.help()));
            return toChoices(out);
        }
        String pattern = ConfigPaths.pattern(soFar);
        List<Field> children = FieldTable.children(pattern);
        for (String w : ConfigPaths.next(tree, soFar)) {
            String help = children.stream().filter(c -> c.name().equals(w)).map(Field::help).findFirst().orElse("");
            out.put(w, help);
        }
        children.forEach(c -> out.putIfAbsent(c.name(), c.help()));
        if (field.isPresent() && field.get().type().startsWith("list")) {
            out.replaceAll((k, v) -> v.isEmpty() ? "existing entry" : v);
        }
        return toChoices(out);
    }

    private static List<CommandTree.Choice> toChoices(Map<String, String> words) {
        List<CommandTree.Choice> out = new ArrayList<>();
        words.forEach((w, h) -> out.add(new CommandTree.Choice(w, h)));
        return out;
    }

    /**
     * What the next word is when {@code soFar} names a setting ({@code <ttl>  outer time to live
     * (1..255 or inherit), default 64, now 64}) or a list ({@code <name>}); null otherwise.
     */
    static CommandTree.Choice describe(ObjectNode tree, List<String> soFar) {
        Optional<Field> field = FieldTable.find(ConfigPaths.pattern(soFar));
        if (field.isEmpty()) {
            return null;
        }
        Field f = field.get();
        if (f.type().startsWith("list")) {
            String what = f.name().equals("routes") ? "<prefix>" : "<name>";
            return new CommandTree.Choice(what, f.help() + "; a new one is created");
        }
        if (!f.isLeaf()) {
            return null;
        }
        StringBuilder help = new StringBuilder(f.help()).append(" (").append(f.type()).append(")");
        if (!f.dflt().isEmpty() && !f.dflt().equals("required")) {
            help.append(", default ").append(f.dflt());
        } else if (f.dflt().equals("required")) {
            help.append(", required");
        }
        current(tree, soFar).ifPresent(v -> help.append(", now ").append(v));
        return new CommandTree.Choice("<" + f.name() + ">", help.toString());
    }

    private static Optional<String> current(ObjectNode tree, List<String> path) {
        try {
            JsonNode v = ConfigPaths.get(tree, path);
            if (ConfigPaths.isSecret(path.getLast())) {
                return Optional.of(ConfigPaths.HIDDEN);
            }
            if (v.isValueNode()) {
                return Optional.of(v.asText());
            }
            if (v.isArray()) {
                List<String> items = new ArrayList<>();
                v.forEach(e -> items.add(e.asText()));
                return Optional.of(items.isEmpty() ? "none" : String.join(", ", items));
            }
            return Optional.empty();
        } catch (CommandException notSet) {
            return Optional.empty();
        }
    }

    /** A text setting keeps digits as text ({@code set system hostname 2024} is a name, not a number). */
    static boolean takesText(List<String> path) {
        return FieldTable.find(ConfigPaths.pattern(path))
                .map(f -> f.isLeaf() && f.words().isEmpty() && !f.hasRange())
                .orElse(false);
    }
}
