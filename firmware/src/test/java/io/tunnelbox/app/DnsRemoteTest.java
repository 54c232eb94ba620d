package io.tunnelbox.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.config.CommitResult;
import io.tunnelbox.config.Config;
import io.tunnelbox.config.ConfigJson;
import io.tunnelbox.config.ConfigService;
import io.tunnelbox.config.ConfigStore;
import io.tunnelbox.firewall.Firewall;
import io.tunnelbox.firewall.NftRuleset;
import io.tunnelbox.firewall.Zones;
import io.tunnelbox.hal.time.Clock;
import io.tunnelbox.hal.time.ManualClock;
import io.tunnelbox.l2switch.SegmentSpec;
import io.tunnelbox.names.NameResolver;
import io.tunnelbox.names.RemoteNames;
import io.tunnelbox.packet.Ipv4Address;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A GRE tunnel and a head-end segment whose peers are DNS names (peers behind dynamic addresses):
 * the configuration is accepted before any answer, the tunnel waits ("waiting for DNS"), starts on
 * the first answer, is re-sourced when the name moves, and keeps its address when the DNS server
 * is away; the switch's peers (its allow-list) and the firewall's peer sets follow the name.
 */
class DnsRemoteTest {
    static final String RB_NAME = "rb.tunnelbox.test", SITE_NAME = "site2.tunnelbox.test";
    static final int RB = Ipv4Address.parse("203.0.113.1"), RB_MOVED = Ipv4Address.parse("203.0.113.9");
    static final int SITE = Ipv4Address.parse("192.0.2.2"), SITE_MOVED = Ipv4Address.parse("192.0.2.22");
    static final Zones ZONES = new Zones("wan0", List.of("lan0"), List.of("tb-gre"));

    static final String CONFIG = """
            { "system": { "hostname": "RA" },
              "interfaces": { "wan": { "nic": "wan", "address": "198.51.100.1/24" },
                              "lan": { "nic": "lan", "address": "192.168.1.254/24" } },
              "tunnels": [ { "name": "gre1", "remote": "%s", "key": 7 } ],
              "routes": [ { "prefix": "192.168.2.0/24", "tunnel": "gre1" } ],
              "segments": [ { "name": "office", "transport": "vxlan", "id": 5000, "vlan": 10,
                              "flood": { "peers": [ "192.0.2.3", "%s" ] } } ] }
            """.formatted(RB_NAME, SITE_NAME);

    /** A DNS the test answers for: a name missing from the table is unknown. */
    final Map<String, Integer> dns = new ConcurrentHashMap<>();
    final NameResolver resolver = host -> {
        Integer a = dns.get(host);
        if (a == null) {
            throw new UnknownHostException("unknown host " + host);
        }
        return List.of(a);
    };
    final ManualClock dnsClock = new ManualClock();
    final RemoteNames names = new RemoteNames(resolver, dnsClock, Duration.ofSeconds(60));

    /** Keeps what the box last asked the firewall for. */
    static final class RecordingFirewall implements Firewall {
        volatile Config last;

        @Override
        public void apply(Config next) {
            last = next;
        }

        @Override
        public String show() {
            return NftRuleset.of(last, ZONES);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void shouldWaitForDnsThenFollowTheNameWhereverItMoves(@TempDir Path dir) throws Exception {
        RecordingFirewall firewall = new RecordingFirewall();
        DatapathApplier applier = new DatapathApplier(new SimDevices(Clock.SYSTEM), Clock.SYSTEM, firewall, names);
        try {
            ConfigService box = new ConfigService(new ConfigStore(dir.resolve("ra"), 20, Clock.SYSTEM), applier, Clock.SYSTEM);
            CommitResult r = box.commit(ConfigJson.mapper().readTree(CONFIG), "admin", "peers by name");
            assertTrue(r.ok(), "accepted before any DNS answer: " + r);
            assertEquals(RB_NAME, box.running().tunnels().getFirst().remoteName(), "the configuration keeps the name");
            ShowCommands show = new ShowCommands(box, applier);
            String tunnels = show.answer("show tunnels gre1");
            assertTrue(tunnels.contains("Tunnel gre1 is down (waiting for DNS)"), tunnels);
            assertFalse(firewall.show().contains("203.0.113."), "no address, no peer in the firewall");
            assertEquals(List.of(Ipv4Address.parse("192.0.2.3")), segment(applier).peers());

            names.refresh(); // the DNS server does not know the name yet
            applier.followNames(box.running());
            tunnels = show.answer("show tunnels gre1");
            assertTrue(tunnels.contains("remote " + RB_NAME + ": no address (unknown host " + RB_NAME + ")"), tunnels);

            dns.put(RB_NAME, RB);
            dns.put(SITE_NAME, SITE);
            dnsClock.advance(Duration.ofSeconds(2));
            names.refresh();
            applier.followNames(box.running());
            assertEquals(RB, applier.router().tunnel("gre1").orElseThrow().spec().remote(), "the tunnel starts on the answer");
            assertEquals(List.of("192.168.2.0/24 via gre1"), applier.router().routes(),
                    "the route committed while the tunnel waited is the router's once it starts");
            assertEquals(List.of(Ipv4Address.parse("192.0.2.3"), SITE), segment(applier).peers(), "the switch's peers");
            assertTrue(firewall.show().contains("203.0.113.1"), firewall.show());
            assertTrue(firewall.show().contains("192.0.2.2"), firewall.show());
            assertFalse(show.answer("show tunnels gre1").contains("waiting for DNS"));

            dns.put(RB_NAME, RB_MOVED); // the peer's modem got a new address
            dns.put(SITE_NAME, SITE_MOVED);
            dnsClock.advance(Duration.ofSeconds(60));
            names.refresh();
            applier.followNames(box.running());
            assertEquals(RB_MOVED, applier.router().tunnel("gre1").orElseThrow().spec().remote(), "re-sourced");
            assertEquals(List.of(Ipv4Address.parse("192.0.2.3"), SITE_MOVED), segment(applier).peers());
            assertTrue(firewall.show().contains("203.0.113.9"), firewall.show());
            assertFalse(firewall.show().contains("203.0.113.1,") || firewall.show().contains("203.0.113.1 "),
                    "the old address is no longer a peer: " + firewall.show());
            assertFalse(firewall.show().contains("192.0.2.2,"), firewall.show());

            dns.clear(); // the DNS server is away: the tunnel stays where it is
            dnsClock.advance(Duration.ofSeconds(60));
            names.refresh();
            applier.followNames(box.running());
            assertEquals(RB_MOVED, applier.router().tunnel("gre1").orElseThrow().spec().remote());
            assertFalse(show.answer("show tunnels gre1").contains("no address"));
        } finally {
            applier.close();
        }
    }

    @Test
    void shouldNotTakeItsOwnWanAddressOrALanAddressFromDnsAsAPeer(@TempDir Path dir) throws Exception {
        RecordingFirewall firewall = new RecordingFirewall();
        DatapathApplier applier = new DatapathApplier(new SimDevices(Clock.SYSTEM), Clock.SYSTEM, firewall, names);
        try {
            ConfigService box = new ConfigService(new ConfigStore(dir.resolve("ra"), 20, Clock.SYSTEM), applier, Clock.SYSTEM);
            assertTrue(box.commit(ConfigJson.mapper().readTree(CONFIG), "admin", "peers by name").ok());
            ShowCommands show = new ShowCommands(box, applier);
            dns.put(RB_NAME, Ipv4Address.parse("198.51.100.1")); // a hostile answer: the box itself
            dns.put(SITE_NAME, Ipv4Address.parse("192.168.1.7")); // and a host on its LAN
            names.refresh();
            applier.followNames(box.running());
            String tunnels = show.answer("show tunnels gre1");
            assertTrue(tunnels.contains("remote " + RB_NAME + " resolves to 198.51.100.1, this box's own WAN address: not a peer"), tunnels);
            assertTrue(applier.router() == null || applier.router().tunnel("gre1").isEmpty(), "the tunnel does not run to the box itself");
            assertEquals(List.of(Ipv4Address.parse("192.0.2.3")), segment(applier).peers(), "no flood to a LAN address");
            assertFalse(firewall.show().contains("192.168.1.7"), firewall.show());

            dns.put(RB_NAME, RB); // the answer is right again
            dns.put(SITE_NAME, SITE);
            dnsClock.advance(Duration.ofSeconds(60));
            names.refresh();
            applier.followNames(box.running());
            assertEquals(RB, applier.router().tunnel("gre1").orElseThrow().spec().remote());
            assertEquals(List.of(Ipv4Address.parse("192.0.2.3"), SITE), segment(applier).peers());
            assertFalse(show.answer("show tunnels gre1").contains("not a peer"));
        } finally {
            applier.close();
        }
    }

    @Test
    void shouldRefuseATextThatIsNeitherAnAddressNorAHostName() throws Exception {
        var parsed = io.tunnelbox.config.ConfigParser.parse(CONFIG.replace(RB_NAME, "rb_office!").replace(SITE_NAME, "10.1.2"));
        assertFalse(parsed.ok());
        assertTrue(parsed.describe().contains("tunnels[0].remote: \"rb_office!\" is neither an IPv4 address nor a host name"),
                parsed.describe());
        assertTrue(parsed.describe().contains("segments[0].flood.peers[1]: \"10.1.2\" is not an IPv4 address"), parsed.describe());
    }

    private static SegmentSpec segment(DatapathApplier applier) throws Exception {
        var sw = applier.switchDatapath();
        return sw.onDatapathThread(() -> sw.segments().getFirst()).get(5, TimeUnit.SECONDS);
    }
}
