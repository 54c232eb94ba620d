package io.tunnelbox.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad configuration must come back as errors, never as an exception: the example, mutated at random
 * places into random values, always parses to a result; an accepted one round-trips exactly.
 */
class ConfigParserFuzzTest {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final String[] STRINGS = {"", "auto", "off", "inherit", "vxlan", "gre", "peers", "group", "300.1.1.1",
            "192.0.2.7", "239.9.9.9", "10.0.0.0/8", "fd00::/8", "fd00::1/64", "::/0", "1.2.3.4/33", "x".repeat(300),
            "/dev/ttyUSB0", "to-b", "\u00e9\u00e8", "0.0.0.0", "255.255.255.255", "1.2.3", "01.2.3.4"};
    static final long[] NUMBERS = {0, 1, -1, 64, 255, 256, 576, 1500, 4789, 65535, 65536, 4094, 4095, 16777215,
            16777216, 4294967295L, 4294967296L, Long.MAX_VALUE, Long.MIN_VALUE};

    @Test
    void shouldNeverThrowOnMutatedConfigurations() throws IOException {
        Random random = new Random(Long.getLong("fuzz.seed", 20261125));
        ObjectNode example = ConfigJson.toTree(ConfigParser.parse(ConfigParserTest.example()).config());
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < Integer.getInteger("fuzz.rounds", 3000); i++) {
            ObjectNode tree = example.deepCopy();
            int mutations = 1 + random.nextInt(3);
            for (int m = 0; m < mutations; m++) {
                mutate(tree, random);
            }
            ParseResult r = ConfigParser.parse(tree);
            if (r.ok()) {
                accepted++;
                ParseResult again = ConfigParser.parse(ConfigJson.toText(r.config()));
                assertTrue(again.ok(), () -> "canonical text of an accepted config refused: " + again.describe() + "\n" + tree);
                assertEquals(r.config(), again.config(), () -> "round trip changed " + tree);
            } else {
                refused++;
                for (ConfigError e : r.errors()) {
                    assertFalse(e.message().isBlank(), () -> "empty message at " + e.path());
                }
            }
        }
        assertTrue(accepted > 100 && refused > 1000, "both outcomes exercised: " + accepted + " accepted, " + refused + " refused");
    }

    @Test
    void shouldNeverThrowOnTruncatedText() throws IOException {
        String text = ConfigParserTest.example().strip();
        for (int cut = 0; cut < text.length(); cut += 7) {
            ParseResult r = ConfigParser.parse(text.substring(0, cut));
            assertFalse(r.ok(), "a cut file is refused at " + cut);
        }
    }

    /** Replaces, removes or adds one value somewhere in the tree. */
    static void mutate(ObjectNode root, Random random) {
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        JsonNode target = containers.get(random.nextInt(containers.size()));
        if (target instanceof ObjectNode o) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            int action = random.nextInt(10);
            if (names.isEmpty() || action == 0) {
                o.set(random.nextBoolean() ? "extra" : names.isEmpty() ? "x" : names.get(0) + "s", value(random));
            } else if (action == 1) {
                o.remove(names.get(random.nextInt(names.size())));
            } else {
                o.set(names.get(random.nextInt(names.size())), value(random));
            }
        } else if (target instanceof ArrayNode a) {
            if (a.isEmpty() || random.nextInt(4) == 0) {
                a.add(a.isEmpty() ? value(random) : a.get(random.nextInt(a.size())).deepCopy());
            } else if (random.nextBoolean()) {
                a.remove(random.nextInt(a.size()));
            } else {
                a.set(random.nextInt(a.size()), value(random));
            }
        }
    }

    static void collect(JsonNode node, List<JsonNode> out) {
        if (node.isContainerNode()) {
            out.add(node);
            node.forEach(child -> collect(child, out));
        }
    }

    static JsonNode value(Random random) {
        return switch (random.nextInt(7)) {
            case 0, 1 -> NODES.textNode(STRINGS[random.nextInt(STRINGS.length)]);
            case 2, 3 -> NODES.numberNode(NUMBERS[random.nextInt(NUMBERS.length)]);
            case 4 -> NODES.booleanNode(random.nextBoolean());
            case 5 -> random.nextBoolean() ? NODES.nullNode() : NODES.numberNode(1.5);
            default -> random.nextBoolean() ? NODES.objectNode() : NODES.arrayNode().add(NODES.textNode("192.0.2.9"));
        };
    }
}
