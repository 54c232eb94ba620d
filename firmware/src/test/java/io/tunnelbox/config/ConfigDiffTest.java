package io.tunnelbox.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tunnelbox.packet.Ipv4Address;
import java.io.IOException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigDiffTest {
    static Config parse(ObjectNode tree) {
        ParseResult r = ConfigParser.parse(tree);
        assertTrue(r.ok(), r::describe);
        return r.config();
    }

    @Test
    void shouldListOnlyTheItemsThatChanged() throws IOException {
        Config before = ConfigParser.parse(ConfigParserTest.example()).config();
        ObjectNode tree = ConfigJson.toTree(before);
        ((ObjectNode) tree.withArray("tunnels").get(1)).put("remote", "192.0.2.44");            // to-c changed
        tree.withArray("tunnels").addObject().put("name", "to-d").put("remote", "192.0.2.55");  // to-d added
        tree.withArray("segments").remove(2);                                                  // lab removed
        tree.withArray("routes").addObject().put("prefix", "10.9.0.0/16").put("tunnel", "to-d");
        Config after = parse(tree);

        ConfigDiff d = ConfigDiff.between(before, after);
        assertEquals("to-d", d.tunnels().added().get(0).name());
        assertTrue(d.tunnels().removed().isEmpty());
        assertEquals(1, d.tunnels().changed().size(), "to-b is untouched");
        assertEquals("to-c", d.tunnels().changed().get(0).before().name());
        assertEquals(Ipv4Address.parseOrZero("192.0.2.44"), d.tunnels().changed().get(0).after().remote());
        assertEquals("lab", d.segments().removed().get(0).name());
        assertEquals(1, d.routes().added().size());
        assertFalse(d.systemChanged() || d.interfacesChanged() || d.webChanged() || d.consoleChanged());
        assertEquals("tunnels +to-d ~to-c; segments -lab; routes +10.9.0.0/16", d.summary());
    }

    @Test
    void shouldSeeAChangeOfTheFirewallAlone() throws IOException {
        Config before = ConfigParser.parse(ConfigParserTest.example()).config();
        ObjectNode tree = ConfigJson.toTree(before);
        tree.withObject("firewall").withArray("lanPrefixes").add("10.9.0.0/16");
        ConfigDiff d = ConfigDiff.between(before, parse(tree));
        assertTrue(d.firewallChanged());
        assertFalse(d.isEmpty(), "a commit that only changes the firewall is not \"no changes\"");
        assertEquals("firewall", d.summary());
    }

    @Test
    void shouldSeeARouteMovedToAnotherTunnelAsChanged() throws IOException {
        Config before = ConfigParser.parse(ConfigParserTest.example()).config();
        ObjectNode tree = ConfigJson.toTree(before);
        ((ObjectNode) tree.withArray("routes").get(0)).put("tunnel", "to-c");
        ConfigDiff d = ConfigDiff.between(before, parse(tree));
        assertEquals("routes ~192.168.2.0/24", d.summary());
        assertTrue(ConfigDiff.between(before, before).isEmpty());
        assertEquals("no changes", ConfigDiff.between(before, before).summary());
    }
}
