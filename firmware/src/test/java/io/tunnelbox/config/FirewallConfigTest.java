package io.tunnelbox.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.packet.Ipv4Address;
import io.tunnelbox.packet.Ipv4Prefix;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 19's configuration: segment allow-lists, the MAC move policy and the firewall section. */
class FirewallConfigTest {
    static List<String> messages(String text) {
        return ConfigParser.parse(text).errors().stream().map(ConfigError::toString).toList();
    }

    static Config ok(String text) {
        ParseResult r = ConfigParser.parse(text);
        assertTrue(r.ok(), r::describe);
        return r.config();
    }

    @Test
    void shouldRefuseAGroupSegmentWithoutAnAllowList() {
        assertEquals(List.of("segments[0].allow: missing: a group segment accepts frames only from the remote VTEPs "
                        + "listed here (addresses or prefixes like \"192.0.2.0/24\"; \"0.0.0.0/0\" accepts anyone)"),
                messages("{\"segments\": [{\"name\": \"v\", \"id\": 5, \"flood\": {\"group\": \"239.1.1.1\"}}]}"));
        assertEquals(List.of("segments[0].allow: empty: a group segment would accept no remote VTEP "
                        + "(\"0.0.0.0/0\" accepts anyone)"),
                messages("{\"segments\": [{\"name\": \"v\", \"id\": 5, \"flood\": {\"group\": \"239.1.1.1\"}, \"allow\": []}]}"));
    }

    @Test
    void shouldTakeAddressesAndPrefixesInTheAllowList() {
        Config c = ok("{\"segments\": [{\"name\": \"v\", \"id\": 5, \"flood\": {\"group\": \"239.1.1.1\"},"
                + " \"allow\": [\"192.0.2.7\", \"198.51.100.0/24\", \"0.0.0.0/0\"]}]}");
        assertEquals(List.of(new Ipv4Prefix(Ipv4Address.parseOrZero("192.0.2.7"), 32),
                new Ipv4Prefix(Ipv4Address.parseOrZero("198.51.100.0"), 24), new Ipv4Prefix(0, 0)),
                c.segments().get(0).allow());
        assertEquals("deny", c.segments().get(0).macMove(), "LAN MACs stay on the LAN by default");
        String text = ConfigJson.toText(c);
        assertTrue(text.replaceAll("\\s+", "").contains("\"allow\":[\"192.0.2.7\",\"198.51.100.0/24\",\"0.0.0.0/0\"],\"macMove\":\"deny\""), text);
        assertEquals(c, ok(text));
    }

    @Test
    void shouldNameEachBadAllowEntry() {
        assertEquals(List.of(
                "segments[0].allow[0]: \"192.0.2.300\" is not an IPv4 address or prefix (like \"192.0.2.7\" or \"192.0.2.0/24\")",
                "segments[0].allow[1]: \"198.51.100.1/24\" has host bits set; did you mean \"198.51.100.0/24\"?",
                "segments[0].allow[2]: \"239.0.0.0/8\" is a multicast range; list the VTEPs' own addresses",
                "segments[0].macMove: \"maybe\" is not a MAC move policy (\"deny\": LAN MACs stay on the LAN, or \"allow\")"),
                messages("{\"segments\": [{\"name\": \"v\", \"id\": 5, \"flood\": {\"peers\": [\"192.0.2.1\"]},"
                        + " \"allow\": [\"192.0.2.300\", \"198.51.100.1/24\", \"239.0.0.0/8\"], \"macMove\": \"maybe\"}]}"));
    }

    @Test
    void shouldParseTheFirewallSection() {
        Config c = ok("{\"firewall\": {\"lanPrefixes\": [\"192.168.10.0/24\", \"fd00:1::/64\"], \"open\": ["
                + "{\"protocol\": \"tcp\", \"port\": 443, \"from\": \"203.0.113.0/24\"}, {\"protocol\": \"icmp\"}]}}");
        assertEquals(List.of("192.168.10.0/24", "fd00:1::/64"),
                c.firewall().lanPrefixes().stream().map(Object::toString).toList());
        assertEquals(new FirewallConfig.Opening("tcp", 443, new Ipv4Prefix(Ipv4Address.parseOrZero("203.0.113.0"), 24)),
                c.firewall().open().get(0));
        assertEquals(new FirewallConfig.Opening("icmp", 0, new Ipv4Prefix(0, 0)), c.firewall().open().get(1));
        assertEquals(c, ok(ConfigJson.toText(c)));
        assertEquals(FirewallConfig.DEFAULT, ok("{}").firewall(), "nothing opened by default");
    }

    @Test
    void shouldRefuseBadFirewallEntries() {
        assertEquals(List.of(
                "firewall.lanPrefixes[0]: \"0.0.0.0/0\" is not a LAN-side prefix: length 0 would let any source into the tunnels",
                "firewall.lanPrefixes[1]: \"lan\" is not an IPv4 or IPv6 prefix (like \"192.168.10.0/24\" or \"fd00:1::/64\")",
                "firewall.open[0].port: missing (the port the WAN may reach)",
                "firewall.open[1].protocol: \"gre\" is not \"tcp\", \"udp\" or \"icmp\"",
                "firewall.open[2].port: not used with protocol \"icmp\" (it opens ping)",
                "firewall.open[3].port: 70000 is out of range 1..65535"),
                messages("{\"firewall\": {\"lanPrefixes\": [\"0.0.0.0/0\", \"lan\"], \"open\": [{\"protocol\": \"tcp\"},"
                        + " {\"protocol\": \"gre\"}, {\"protocol\": \"icmp\", \"port\": 1}, {\"protocol\": \"udp\", \"port\": 70000}]}}"));
    }

    @Test
    void shouldRefuseAnIpv6RouteWithoutAnIpv6LanPrefix() {
        String tunnel = "\"tunnels\": [{\"name\": \"t\", \"remote\": \"203.0.113.1\"}],"
                + " \"routes\": [{\"prefix\": \"fd00:2::/64\", \"tunnel\": \"t\"}]";
        assertEquals(List.of("routes[0].prefix: fd00:2::/64: an IPv6 route needs the LAN's IPv6 prefix in "
                + "firewall.lanPrefixes (only packets from a LAN-side prefix may enter a tunnel)"),
                messages("{" + tunnel + "}"));
        ok("{" + tunnel + ", \"firewall\": {\"lanPrefixes\": [\"fd00:1::/64\"]}}");
    }
}
