package io.tunnelbox.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigPathsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode tree = parse("""
            {"system": {"hostname": "branch-1", "admins": [{"name": "admin", "passwordHash": "pbkdf2-sha256$1000$abc$def"}]},
             "tunnels": [{"name": "gre0", "remote": "198.51.100.1", "key": 7, "mtu": "auto"}],
             "segments": [{"name": "office", "flood": {"mode": "peers", "peers": ["198.51.100.2"]}}],
             "routes": [{"prefix": "192.168.2.0/24", "tunnel": "gre0"}]}
            """);

    private static ObjectNode parse(String s) {
        return (ObjectNode) parseAny(s);
    }

    private static JsonNode parseAny(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private void set(String line) throws CommandException {
        List<Words.Word> w = Words.split(line);
        ConfigPaths.set(tree, Words.texts(w.subList(0, w.size() - 1)), w.getLast());
    }

    private void delete(String line) throws CommandException {
        ConfigPaths.delete(tree, Words.texts(Words.split(line)));
    }

    private JsonNode at(String path) throws CommandException {
        return ConfigPaths.get(tree, Words.texts(Words.split(path)));
    }

    @Test
    void shouldCreateANamedTunnelWhenSettingItsFirstValue() throws Exception {
        set("tunnels gre1 remote 203.0.113.1");
        set("tunnels gre1 key 5000");
        assertEquals(parse("{\"name\":\"gre1\",\"remote\":\"203.0.113.1\",\"key\":5000}"), at("tunnels gre1"));
        assertEquals(2, tree.get("tunnels").size());
    }

    @Test
    void shouldChangeAnExistingValueInPlace() throws Exception {
        set("tunnels gre0 mtu 1400");
        set("system hostname branch-2");
        assertEquals(1400, at("tunnels gre0 mtu").asInt());
        assertTrue(at("tunnels gre0 mtu").isNumber());
        assertEquals("branch-2", at("system hostname").asText());
    }

    @Test
    void shouldTypeValuesByTheirWordsAndKeepQuotedWordsAsStrings() throws Exception {
        set("tunnels gre0 sequence true");
        set("tunnels gre0 ttl inherit");
        set("system hostname \"1234\"");
        assertTrue(at("tunnels gre0 sequence").isBoolean());
        assertEquals("inherit", at("tunnels gre0 ttl").asText());
        assertTrue(at("system hostname").isTextual());
    }

    @Test
    void shouldCreateMissingGroupsAndListsOnTheWay() throws Exception {
        ObjectNode empty = JSON.createObjectNode();
        ConfigPaths.set(empty, List.of("tunnels", "gre1", "keepalive", "interval"), new Words.Word("10", false));
        assertEquals(parse("{\"tunnels\":[{\"name\":\"gre1\",\"keepalive\":{\"interval\":10}}]}"), empty);
    }

    @Test
    void shouldAddressRoutesByPrefix() throws Exception {
        set("routes 10.9.0.0/16 tunnel gre0");
        assertEquals("gre0", at("routes 10.9.0.0/16 tunnel").asText());
        delete("routes 192.168.2.0/24");
        assertEquals(1, tree.get("routes").size());
    }

    @Test
    void shouldAddAndRemovePeersInAList() throws Exception {
        set("segments office flood peers 198.51.100.3");
        set("segments office flood peers 198.51.100.3");
        assertEquals(parseAny("[\"198.51.100.2\",\"198.51.100.3\"]"), at("segments office flood peers"));
        delete("segments office flood peers 198.51.100.2");
        assertEquals(parseAny("[\"198.51.100.3\"]"), at("segments office flood peers"));
    }

    @Test
    void shouldDeleteAWholeTunnelOrOneSetting() throws Exception {
        delete("tunnels gre0 key");
        assertEquals(parse("{\"name\":\"gre0\",\"remote\":\"198.51.100.1\",\"mtu\":\"auto\"}"), at("tunnels gre0"));
        delete("tunnels gre0");
        assertEquals(0, tree.get("tunnels").size());
    }

    @Test
    void shouldExplainBadPathsInOneLine() {
        assertEquals("nothing to delete: \"tunnels gre9\" is not set",
                assertThrows(CommandException.class, () -> delete("tunnels gre9")).getMessage());
        assertEquals("missing value after \"system x\" (usage: set <path...> <value>)",
                assertThrows(CommandException.class, () -> set("system x")).getMessage());
        assertEquals("\"system hostname\" is a value (branch-1), it has no \"x\"",
                assertThrows(CommandException.class, () -> set("system hostname x y")).getMessage());
        assertEquals("\"tunnels gre5\" needs a setting and a value, e.g. set tunnels gre5 remote <value>",
                assertThrows(CommandException.class, () -> set("tunnels gre5")).getMessage());
        assertEquals("missing value after \"tunnels gre0 remote\" (usage: set <path...> <value>)",
                assertThrows(CommandException.class, () -> set("tunnels gre0 remote")).getMessage());
        assertEquals("\"tunnels gre9\" is not set",
                assertThrows(CommandException.class, () -> at("tunnels gre9 remote")).getMessage());
    }

    @Test
    void shouldOfferKeysNamesAndHintsForCompletion() {
        assertEquals(List.of("system", "tunnels", "segments", "routes"), ConfigPaths.next(tree, List.of()));
        assertEquals(List.of("gre0"), ConfigPaths.next(tree, List.of("tunnels")));
        List<String> forGre0 = ConfigPaths.next(tree, List.of("tunnels", "gre0"));
        assertTrue(forGre0.containsAll(List.of("remote", "key", "mtu", "keepalive", "sequence")), forGre0.toString());
        assertTrue(!forGre0.contains("name"), forGre0.toString());
        assertTrue(ConfigPaths.next(tree, List.of("tunnels", "gre-new")).contains("remote"));
    }

    @Test
    void shouldFlattenToSetLinesWithSecretsHidden() {
        List<String> lines = ConfigPaths.setLines(tree);
        assertEquals(List.of(
                "set system hostname branch-1",
                "set system admins admin passwordHash <hidden>",
                "set tunnels gre0 remote 198.51.100.1",
                "set tunnels gre0 key 7",
                "set tunnels gre0 mtu auto",
                "set segments office flood mode peers",
                "set segments office flood peers 198.51.100.2",
                "set routes 192.168.2.0/24 tunnel gre0"), lines);
        assertEquals(ConfigPaths.HIDDEN, ConfigPaths.hideSecrets(tree).at("/system/admins/0/passwordHash").asText());
        assertTrue(tree.at("/system/admins/0/passwordHash").asText().startsWith("pbkdf2"), "the original is untouched");
    }

    @Test
    void shouldPrintErrorPathsInSetSyntax() {
        assertEquals("tunnels gre0 remtoe", ConfigPaths.setSyntax(tree, "tunnels[0].remtoe"));
        assertEquals("segments office flood peers 198.51.100.2", ConfigPaths.setSyntax(tree, "segments[0].flood.peers[0]"));
        assertEquals("routes 192.168.2.0/24 tunnel", ConfigPaths.setSyntax(tree, "routes[0].tunnel"));
        assertEquals("system hostname", ConfigPaths.setSyntax(tree, "system.hostname"));
        assertEquals("tunnels #4 name", ConfigPaths.setSyntax(tree, "tunnels[3].name"), "an entry that is not there: its position");
        assertEquals("", ConfigPaths.setSyntax(tree, ""));
    }

    @Test
    void shouldNameFieldTablePatternsFromConsoleWords() {
        assertEquals("tunnels.*.keepalive.interval", ConfigPaths.pattern(List.of("tunnels", "gre0", "keepalive", "interval")));
        assertEquals("system.admins.*.passwordHash", ConfigPaths.pattern(List.of("system", "admins", "ops", "passwordHash")));
        assertEquals("interfaces.wan.mtu", ConfigPaths.pattern(List.of("interfaces", "wan", "mtu")));
        assertEquals("routes.*.tunnel", ConfigPaths.pattern(List.of("routes", "10.0.0.0/8", "tunnel")));
    }

    @Test
    void shouldDescribeASettingWithRangeDefaultAndCurrentValue() {
        CommandTree.Choice ttl = FieldHelp.describe(tree, List.of("tunnels", "gre0", "ttl"));
        assertEquals("<ttl>", ttl.word());
        assertEquals("outer time to live (1..255 or inherit), default 64", ttl.help(), "no ttl set: no current value");
        CommandTree.Choice key = FieldHelp.describe(tree, List.of("tunnels", "gre0", "key"));
        assertEquals("GRE key, both directions (0..4294967295), default none, now 7", key.help());
        assertEquals(List.of("vxlan", "gre"), FieldHelp.choices(tree, List.of("segments", "office", "transport")).stream()
                .map(CommandTree.Choice::word).toList());
        assertTrue(FieldHelp.choices(tree, List.of("tunnels", "gre0")).stream().anyMatch(c -> c.word().equals("mssClamp")
                && c.help().startsWith("TCP MSS ceiling")));
    }
}
