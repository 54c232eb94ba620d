package io.tunnelbox.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tunnelbox.packet.Ipv4Address;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigParserTest {
    static String example() throws IOException {
        try (InputStream in = ConfigParserTest.class.getResourceAsStream("/config/example.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A file with one of each kind of mistake (fields, unknown keys, every cross-check). */
    static String everyError() throws IOException {
        try (InputStream in = ConfigParserTest.class.getResourceAsStream("/config/every-error.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** What {@link #everyError()} must produce: each line is the start of one error. */
    static final List<String> EVERY_ERROR = List.of(
            "system.hostname: \"bad host\" is not a valid host name",
            "system.admins[0].passwordHash: is not a password hash",
            "system.admins[1].name: \"root\" is already system.admins[0]",
            "system.admins[1].passwordHash: is not a password hash",
            "interfaces.wan.mtu: 20000 is out of range 576..9000",
            "interfaces.lan.speed: unknown key",
            "interfaces.lan.nic: \"eth0\" is the WAN's NIC too",
            "interfaces.wan.gateway: 192.0.2.99 is not in the interface's subnet 198.51.100.0/24",
            "tunnels[0].local: 192.0.2.55 is not on the WAN (the WAN's address is 198.51.100.1)",
            "tunnels[0].mtu: 1500 is out of range: the WAN's MTU 1500 carries at most 1472",
            "tunnels[1].name: \"to-b\" is already tunnels[0]",
            "tunnels[1].remote: \"300.1.1.1\" is not an IPv4 address",
            "tunnels[1].ttl: 0 is out of range 1..255",
            "tunnels[2].tos: expected a whole number, found \"low\"",
            "tunnels[2].ikey: same remote 203.0.113.1 and key 1 as tunnels[0]",
            "segments[1].id: VNI 5000 is already segments[0]",
            "segments[1].vlan: more than one untagged segment (vlan 0)",
            "segments[1].flood.group: missing: flood mode \"group\" needs a multicast group",
            "segments[2].flood.mode: flood mode \"group\" needs transport \"vxlan\"",
            "segments[3].transport: \"ip\" is not a transport",
            "segments[3].id: 99999999 is out of range 1..16777215",
            "segments[3].vlan: 4095 is out of range 0..4094",
            "routes[0].prefix: \"192.168.2.1/24\" has host bits set; did you mean \"192.168.2.0/24\"?",
            "routes[1].tunnel: no tunnel named \"nowhere\"",
            "web.port: 0 is out of range 1..65535",
            "console.speed: 12345 is not a standard line speed",
            "colour: unknown key");

    static List<String> messages(ParseResult r) {
        return r.errors().stream().map(ConfigError::toString).toList();
    }

    @Test
    void shouldAcceptTheShippedExample() throws IOException {
        ParseResult r = ConfigParser.parse(example());
        assertTrue(r.ok(), r::describe);
        Config c = r.config();
        assertEquals("branch-a", c.system().hostname());
        TunnelConfig toB = c.tunnel("to-b").orElseThrow();
        assertEquals(Ipv4Address.parseOrZero("203.0.113.1"), toB.remote());
        assertEquals(OptionalLong.of(42), toB.ikey());
        assertEquals(1468, toB.effectiveMtu(c.interfaces().wan().mtu()), "1500 - 20 IPv4 - 12 GRE with key and sequence");
        assertEquals(1428, toB.effectiveMss(1500));
        assertTrue(toB.keepalive().enabled());
        TunnelConfig toC = c.tunnel("to-c").orElseThrow();
        assertEquals(64, toC.ttl());
        assertEquals(0, toC.local(), "local follows the WAN by default");
        assertEquals(3, c.segments().size());
        assertEquals(Flood.Mode.GROUP, c.segment("voice").orElseThrow().flood().mode());
        assertEquals(Flood.Mode.PEERS, c.segment("lab").orElseThrow().flood().mode());
        assertEquals(300, c.segment("lab").orElseThrow().ageingSeconds());
        assertEquals("fd00:2::/64", c.routes().get(2).prefix().toString());
        assertTrue(PasswordHash.verify("change-me".toCharArray(), c.system().admins().get(0).passwordHash()));
    }

    @Test
    void shouldRoundTripThroughTheCanonicalTree() throws IOException {
        Config c = ConfigParser.parse(example()).config();
        String text = ConfigJson.toText(c);
        ParseResult again = ConfigParser.parse(text);
        assertTrue(again.ok(), again::describe);
        assertEquals(c, again.config());
        assertEquals(text, ConfigJson.toText(again.config()));
    }

    @Test
    void shouldFillDefaultsForAnEmptyObject() {
        ParseResult r = ConfigParser.parse("{}");
        assertTrue(r.ok(), r::describe);
        assertEquals(Config.defaults(), r.config());
    }

    @Test
    void shouldReadOffloadsAndKeepTheOthersOn() {
        ParseResult r = ConfigParser.parse("{\"interfaces\": {\"offloads\": {\"uso\": false, \"uro\": false}}}");
        assertTrue(r.ok(), r::describe);
        assertEquals(new OffloadsConfig(true, true, false, false), r.config().interfaces().offloads());
        assertEquals("tso,gro", r.config().interfaces().offloads().words());
        assertEquals(r.config(), ConfigParser.parse(ConfigJson.toText(r.config())).config(), "written and read back");
        assertTrue(ConfigDiff.between(Config.defaults(), r.config()).interfacesChanged(), "an offload change is a change");
        assertEquals("none", new OffloadsConfig(false, false, false, false).words());
    }

    @Test
    void shouldRefuseAnUnknownOffloadAndANonBoolean() {
        ParseResult r = ConfigParser.parse("{\"interfaces\": {\"offloads\": {\"tso\": \"yes\", \"lro\": true}}}");
        assertEquals(List.of("interfaces.offloads.tso: expected true or false, found \"yes\"",
                "interfaces.offloads.lro: unknown key"), messages(r).stream().map(m -> m.replaceAll(" \\(did you mean.*", "")).toList());
    }

    @Test
    void shouldReportSyntaxErrorWithLineAndColumn() {
        ParseResult r = ConfigParser.parse("{\n  \"system\": {\n    \"hostname\": \"x\",,\n  }\n}");
        assertFalse(r.ok());
        assertNull(r.config());
        assertEquals(1, r.errors().size());
        assertTrue(r.errors().get(0).message().startsWith("line 3, column 21: syntax error"), r.describe());
    }

    @Test
    void shouldRefuseDuplicateKeysAsSyntaxError() {
        ParseResult r = ConfigParser.parse("{\"web\": {\"port\": 80, \"port\": 81}}");
        assertFalse(r.ok());
        assertTrue(r.describe().contains("line 1"), r.describe());
        assertTrue(r.describe().contains("port"), r.describe());
    }

    @Test
    void shouldSuggestTheKnownKeyForATypo() {
        ParseResult r = ConfigParser.parse("{\"tunnels\": [{\"name\": \"t\", \"remtoe\": \"203.0.113.1\"}]}");
        assertTrue(messages(r).contains("tunnels[0].remtoe: unknown key (did you mean \"remote\"?)"), r.describe());
        assertTrue(messages(r).contains("tunnels[0].remote: missing (the other end's WAN address)"), r.describe());
    }

    @Test
    void shouldNameThePathAndTheValueOfABadAddress() {
        ParseResult r = ConfigParser.parse("{\"tunnels\": [{\"name\": \"a\", \"remote\": \"203.0.113.1\"},"
                + "{\"name\": \"b\", \"remote\": \"300.1.1.1\", \"key\": 1}]}");
        assertEquals(List.of("tunnels[1].remote: \"300.1.1.1\" is not an IPv4 address"), messages(r));
    }

    @Test
    void shouldListEveryKindOfErrorAtOnce() throws IOException {
        String bad = everyError();
        ParseResult r = ConfigParser.parse(bad);
        assertFalse(r.ok());
        List<String> m = messages(r);
        String all = r.describe();
        List<String> expected = EVERY_ERROR;
        for (String e : expected) {
            assertTrue(m.stream().anyMatch(s -> s.startsWith(e)), () -> "missing \"" + e + "\" in:\n" + all);
        }
        assertEquals(expected.size(), m.size(), () -> "unexpected extra errors in:\n" + all);
        List<String> sections = List.of("system", "interfaces", "tunnels", "segments", "routes", "web", "console", "colour");
        List<Integer> order = m.stream().map(s -> sections.indexOf(s.split("[.\\[:]", 2)[0])).toList();
        assertEquals(order.stream().sorted().toList(), order, "errors come in the file's section order");
    }

    @Test
    void shouldRefuseLocalAddressWhenTheWanUsesDhcp() {
        ParseResult r = ConfigParser.parse("{\"tunnels\": [{\"name\": \"t\", \"local\": \"198.51.100.1\", \"remote\": \"203.0.113.1\"}]}");
        assertEquals(1, r.errors().size(), r::describe);
        assertTrue(r.describe().startsWith("tunnels[0].local: 198.51.100.1 is not on the WAN: the WAN uses DHCP"), r.describe());
    }

    @Test
    void shouldKeepTheCanonicalTreeEditable() throws IOException {
        Config c = ConfigParser.parse(example()).config();
        ObjectNode tree = ConfigJson.toTree(c);
        ((ObjectNode) tree.withArray("tunnels").get(1)).put("remote", "192.0.2.44");
        ParseResult r = ConfigParser.parse(tree);
        assertTrue(r.ok(), r::describe);
        assertEquals(Ipv4Address.parseOrZero("192.0.2.44"), r.config().tunnel("to-c").orElseThrow().remote());
    }

    @Test
    void shouldShowTheShippedExampleInTheReadme() throws IOException {
        String root = System.getenv().getOrDefault("TUNNELBOX_ROOT", "..");
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of(root, "README.md"));
        int section = readme.indexOf("\n## Configuration\n");
        assertTrue(section >= 0, "README has a Configuration section");
        int start = readme.indexOf("```jsonc\n", section) + "```jsonc\n".length();
        int end = readme.indexOf("\n```", start);
        assertEquals(example().strip(), readme.substring(start, end).strip(), "README example = config/example.json");
    }

    @Test
    void shouldTakeKeepaliveAsABoolean() {
        ParseResult on = ConfigParser.parse("{\"tunnels\": [{\"name\": \"t\", \"remote\": \"203.0.113.1\", \"keepalive\": true}]}");
        assertEquals(new Keepalive(10, 3), on.config().tunnels().get(0).keepalive());
        ParseResult off = ConfigParser.parse("{\"tunnels\": [{\"name\": \"t\", \"remote\": \"203.0.113.1\", \"keepalive\": false}]}");
        assertFalse(off.config().tunnels().get(0).keepalive().enabled());
    }

    @Test
    void shouldNameTheWordAlternativesOfANumberField() {
        ParseResult r = ConfigParser.parse("{\"tunnels\": [{\"name\": \"t\", \"remote\": \"203.0.113.1\", \"mtu\": \"big\","
                + " \"ttl\": \"max\", \"mssClamp\": true}]}");
        assertEquals(List.of("tunnels[0].ttl: expected 1..255 or \"inherit\", found \"max\"",
                "tunnels[0].mtu: expected 576..9000 or \"auto\", found \"big\"",
                "tunnels[0].mssClamp: expected a number 536..8960, \"auto\" or \"off\", found true"), messages(r));
    }

    @Test
    void shouldCheckTheConsoleDeviceByWhatItReallyNames() {
        for (String bad : List.of("/dev/../etc/shadow", "/dev/./../root/x", "/dev/", "/dev", "dev/ttyS0", "/devices/x")) {
            ParseResult r = ConfigParser.parse("{\"console\": {\"device\": \"" + bad + "\"}}");
            assertFalse(r.ok(), bad + " must be refused");
            assertTrue(messages(r).get(0).startsWith("console.device: "), messages(r).toString());
        }
        for (String good : List.of("/dev/ttyS0", "/dev/ttyUSB0", "/dev/serial/by-id/usb-FTDI-if00-port0", "/dev/null")) {
            assertTrue(ConfigParser.parse("{\"console\": {\"device\": \"" + good + "\"}}").ok(), good);
        }
    }
}
