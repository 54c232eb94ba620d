package io.tunnelbox.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.config.Config;
import io.tunnelbox.config.ConfigParser;
import io.tunnelbox.config.ParseResult;
import io.tunnelbox.hal.linux.Ip;
import io.tunnelbox.hal.testing.Requirements;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ruleset a configuration gives, read as text, and checked by nft itself. */
class NftRulesetTest {
    static final Zones ZONES = new Zones("wan0", List.of("lan0", "tb-lan"), List.of("tb-gre"));

    static Config example() throws IOException {
        try (InputStream in = NftRulesetTest.class.getResourceAsStream("/config/example.json")) {
            ParseResult r = ConfigParser.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            assertTrue(r.ok(), r::describe);
            return r.config();
        }
    }

    static String line(String ruleset, String comment) {
        return ruleset.lines().filter(l -> l.contains("comment \"" + comment + "\"")).findFirst()
                .orElseThrow(() -> new AssertionError("no rule \"" + comment + "\" in\n" + ruleset)).strip();
    }

    @Test
    void shouldAcceptTunnelsOnlyFromTheConfiguredPeersAndAllowLists() throws IOException {
        String r = NftRuleset.of(example(), ZONES);
        // GRE: both tunnels' remotes and the GRE segment's peer; VXLAN: the peers and the group's allow-list.
        assertTrue(r.contains("set gre_peers {\n        type ipv4_addr; flags interval; auto-merge\n"
                + "        elements = { 203.0.113.1, 192.0.2.1 }\n"), r);
        assertTrue(r.contains("elements = { 203.0.113.1, 192.0.2.1, 192.0.2.0/24 }"), r);
        assertEquals("ip protocol gre ip saddr @gre_peers counter accept comment \"GRE from peers\"",
                line(r, "GRE from peers"));
        assertEquals("udp dport { 4789 } ip saddr @vxlan_peers counter accept comment \"VXLAN from peers\"",
                line(r, "VXLAN from peers"));
        assertEquals("ip saddr 203.0.113.0/24 icmp type echo-request counter accept comment \"firewall.open[0]\"",
                line(r, "firewall.open[0]"));
        assertEquals("counter drop comment \"wan: not opened\"", line(r, "wan: not opened"));
        assertTrue(r.indexOf("GRE from a stranger") > r.indexOf("firewall.open[0]"), "openings come before the drops");
    }

    @Test
    void shouldKeepManagementToTheLanAndForwardNothingFromTheWan() throws IOException {
        String r = NftRuleset.of(example(), ZONES);
        assertEquals("tcp dport { 443, 22 } counter accept comment \"management (web page, SSH) from the LAN\"",
                line(r, "management (web page, SSH) from the LAN"));
        assertTrue(r.contains("iifname { \"lan0\", \"tb-lan\" } jump lan_in"), r);
        assertEquals("iifname \"wan0\" counter drop comment \"forward: from the WAN\"", line(r, "forward: from the WAN"));
        assertEquals("iifname { \"lan0\", \"tb-lan\" } oifname { \"tb-gre\" } ip saddr @lan4 counter accept comment \"LAN to tunnels\"",
                line(r, "LAN to tunnels"));
        assertTrue(r.contains("set lan4 {\n        type ipv4_addr; flags interval; auto-merge\n"
                + "        elements = { 192.168.1.0/24 }\n"), r);
        assertTrue(r.contains("elements = { fd00:1::/64 }"), r);
        assertTrue(r.indexOf("forward: from the WAN") < r.indexOf("LAN to tunnels"));
        assertTrue(r.contains("type filter hook input priority filter; policy drop;"), r);
        assertTrue(r.contains("type filter hook forward priority filter; policy drop;"), r);
        assertFalse(r.contains("DHCP replies"), "a static WAN needs no DHCP hole");
    }

    @Test
    void shouldOpenDhcpRepliesOnADhcpWanOnly() {
        String r = NftRuleset.of(Config.defaults(), ZONES);
        assertEquals("udp sport 67 udp dport 68 counter accept comment \"DHCP replies\"", line(r, "DHCP replies"));
        assertTrue(r.contains("set gre_peers {\n        type ipv4_addr; flags interval; auto-merge\n    }"),
                "no tunnel, no peer: an empty set matches nothing\n" + r);
    }

    @Test
    void shouldReplaceOnlyItsOwnTableInOneTransaction() throws IOException {
        String r = NftRuleset.of(example(), ZONES);
        List<String> tables = r.lines().filter(l -> l.contains("table")).toList();
        assertEquals(List.of("table inet tunnelbox", "delete table inet tunnelbox", "table inet tunnelbox {"), tables);
        assertFalse(r.contains("flush ruleset"), r);
    }

    @Test
    void shouldRefuseInterfaceNamesThatAreNotNames() {
        assertThrows(IllegalArgumentException.class, () -> new Zones("wan0\" accept #", List.of("lan0"), List.of("tb-gre")));
        assertThrows(IllegalArgumentException.class, () -> new Zones("wan0", List.of("wan0"), List.of("tb-gre")));
    }

    @Test
    void shouldBeAcceptedByNft() throws IOException {
        Requirements.root();
        Requirements.tool("nft");
        String ns = "firewall-check-" + ProcessHandle.current().pid();
        Ip.deleteNamespace(ns);
        Ip.addNamespace(ns);
        try {
            Ip.Result r = Ip.in(ns).execWithInput(NftRuleset.of(example(), ZONES), "nft", "-c", "-f", "-");
            assertEquals(0, r.exitCode(), r.stderr());
            Ip.Result d = Ip.in(ns).execWithInput(NftRuleset.of(Config.defaults(), ZONES), "nft", "-c", "-f", "-");
            assertEquals(0, d.exitCode(), d.stderr());
        } finally {
            Ip.deleteNamespace(ns);
        }
    }
}
