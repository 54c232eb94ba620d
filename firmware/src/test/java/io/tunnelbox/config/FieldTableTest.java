package io.tunnelbox.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The field table is what the console's help and the README say; the parser is what decides. These
 * tests keep the three the same: the README holds the table verbatim, and every range in the table
 * is the parser's range (both ends accepted, one past each refused).
 */
class FieldTableTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void shouldBeTheReadmesFieldReferenceWordForWord() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        assertTrue(readme.contains(FieldTable.markdown()),
                "README.md's field reference differs from FieldTable.markdown(); paste this in:\n" + FieldTable.markdown());
    }

    @Test
    void shouldHaveTheParsersRangeForEveryNumericField() {
        List<String> wrong = new ArrayList<>();
        for (FieldTable.Field f : FieldTable.all()) {
            if (!f.hasRange()) {
                continue;
            }
            for (long ok : new long[] {f.min(), f.max()}) {
                List<ConfigError> errors = errorsAt(f, ok);
                if (!errors.isEmpty()) {
                    wrong.add(f.path() + " = " + ok + " refused: " + errors);
                }
            }
            for (long bad : new long[] {f.min() - 1, f.max() + 1}) {
                if (errorsAt(f, bad).isEmpty()) {
                    wrong.add(f.path() + " = " + bad + " accepted, the table says " + f.type());
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void shouldOfferEveryKeyTheParserKnows() {
        // An unknown key is an error naming the known ones: each of the table's leaves must be known.
        List<String> unknown = new ArrayList<>();
        for (FieldTable.Field f : FieldTable.all()) {
            if (!f.isLeaf() || f.path().contains("admins")) {
                continue;
            }
            JsonNode value = f.words().isEmpty() ? NODES.textNode("x") : NODES.textNode(f.words().getFirst());
            ObjectNode tree = treeWith(f.path(), value);
            String at = errorPath(f.path());
            for (ConfigError e : ConfigParser.fieldErrors(tree)) {
                if (e.path().equals(at) && e.message().startsWith("unknown key")) {
                    unknown.add(f.path());
                }
            }
        }
        assertEquals(List.of(), unknown);
    }

    private static List<ConfigError> errorsAt(FieldTable.Field f, long value) {
        ObjectNode tree = treeWith(f.path(), NODES.numberNode(value));
        String at = errorPath(f.path());
        return ConfigParser.fieldErrors(tree).stream().filter(e -> e.path().equals(at)).toList();
    }

    /** tunnels.*.ttl -> tunnels[0].ttl, the parser's way of naming it. */
    private static String errorPath(String pattern) {
        return pattern.replace(".*", "[0]");
    }

    /** A configuration holding {@code value} at the pattern path, with what its entry needs around it. */
    private static ObjectNode treeWith(String pattern, JsonNode value) {
        ObjectNode root = NODES.objectNode();
        String[] parts = pattern.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            if (parts[i + 1].equals("*")) {
                ArrayNode list = node.putArray(parts[i]);
                ObjectNode entry = list.addObject();
                switch (parts[i]) {
                    case "tunnels" -> entry.put("name", "t1").put("remote", "192.0.2.1");
                    case "segments" -> entry.put("name", "s1").put("id", 5000)
                            .put("transport", parts[i + 2].equals("id") ? "gre" : "vxlan");
                    case "routes" -> entry.put("prefix", "10.9.0.0/16").put("tunnel", "t1");
                    default -> entry.put("name", "x");
                }
                node = entry;
                i++;
            } else {
                node = node.has(parts[i]) ? (ObjectNode) node.get(parts[i]) : node.putObject(parts[i]);
            }
        }
        String last = parts[parts.length - 1];
        if (parts[0].equals("interfaces") && !last.equals("address") && !last.equals("dhcp")) {
            node.put("address", "192.168.7.1/24"); // a gateway is read only with a static address
        }
        node.set(last, value);
        return root;
    }
}
