package io.tunnelbox.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tunnelbox.config.CommitResult;
import io.tunnelbox.config.Config;
import io.tunnelbox.config.ConfigJson;
import io.tunnelbox.config.ConfigRedaction;
import io.tunnelbox.config.ConfigService;
import io.tunnelbox.config.ConfigStore;
import io.tunnelbox.config.PasswordHash;
import io.tunnelbox.hal.port.PacketPort.Layer;
import io.tunnelbox.hal.port.memory.MemoryPort;
import io.tunnelbox.hal.port.memory.MemoryWan;
import io.tunnelbox.hal.time.Clock;
import io.tunnelbox.l2switch.SegmentSpec;
import io.tunnelbox.l2switch.SwitchDatapath;
import io.tunnelbox.l2switch.Transport;
import io.tunnelbox.packet.IpPrefix;
import io.tunnelbox.packet.Ipv4Address;
import io.tunnelbox.packet.Ipv4Prefix;
import io.tunnelbox.packet.Ipv6Prefix;
import io.tunnelbox.router.DfMode;
import io.tunnelbox.router.GreTunnelSpec;
import io.tunnelbox.router.RouterDatapath;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.time.Duration;
import io.tunnelbox.console.DeviceView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every field of the configuration model, changed from the base value, goes through a commit on a
 * running box and must arrive: in the datapath's spec (or the part of the box that owns it), in
 * {@code show config}, or be refused with a reason. The list of fields comes from the model's
 * records, so a field added to the model without a step here fails the test.
 */
class ConfigWalkTest {
    static final String PASSWORD = "correct horse battery";
    static final String HASH = PasswordHash.hash(PASSWORD.toCharArray(), 1000);
    static final String OTHER_HASH = PasswordHash.hash("another long one".toCharArray(), 1000);

    static final String BASE = """
            { "system": { "hostname": "walk", "admins": [ { "name": "admin", "passwordHash": "%s" } ] },
              "interfaces": { "wan": { "nic": "wan", "address": "198.51.100.1/24", "gateway": "198.51.100.254" },
                              "lan": { "nic": "lan", "address": "192.168.1.254/24" } },
              "tunnels": [ { "name": "gre1", "remote": "203.0.113.1" },
                           { "name": "gre2", "remote": "203.0.113.2", "key": 2 } ],
              "segments": [ { "name": "office", "id": 5000, "flood": { "peers": [ "203.0.113.7" ] } } ],
              "routes": [ { "prefix": "192.168.2.0/24", "tunnel": "gre1" } ] }
            """.formatted(HASH);

    /** Fields the datapaths do not own, with where they go instead. */
    static final Map<String, String> ELSEWHERE = Map.ofEntries(
            Map.entry("interfaces.wan.nic", "the board file's NIC roles pick the devices at start (BoxRuntime)"),
            Map.entry("interfaces.lan.nic", "the board file's NIC roles pick the devices at start (BoxRuntime)"),
            Map.entry("interfaces.wan.dhcp", "LinuxDataplane.configureWan asks the OS's DHCP client (Linux only)"),
            Map.entry("interfaces.wan.gateway", "LinuxDataplane.configureWan sets the default route (Linux only)"),
            Map.entry("interfaces.lan.mtu", "the LAN device's own MTU (Linux only)"),
            Map.entry("interfaces.offloads.tso", "LinuxDataplane opens the TUN/TAP with it (OffloadsChoiceTest; Linux only)"),
            Map.entry("interfaces.offloads.gro", "LinuxDataplane opens the TUN/TAP with it (OffloadsChoiceTest; Linux only)"),
            Map.entry("interfaces.offloads.uso", "LinuxDataplane opens the VXLAN port with it (OffloadsChoiceTest; Linux only)"),
            Map.entry("interfaces.offloads.uro", "LinuxDataplane opens the VXLAN port with it (OffloadsChoiceTest; Linux only)"),
            Map.entry("web.port", "the web UI front end (web-ui module)"),
            Map.entry("web.tls", "the web UI front end (web-ui module)"),
            Map.entry("console.device", "the console line, chosen when the box starts (Consoles.choose)"),
            Map.entry("console.speed", "the console line, chosen when the box starts (Consoles.choose)"),
            Map.entry("web.listen", "the web UI front end (web-ui module): the address it binds"),
            Map.entry("web.httpPort", "the web UI front end (web-ui module): its redirect port"),
            Map.entry("web.metricsToken", "the web UI front end (web-ui module): /metrics; shown redacted"));

    @TempDir
    Path dir;
    DatapathApplier applier;
    /** The configuration the firewall was last told to enforce. */
    final java.util.concurrent.atomic.AtomicReference<Config> filtered = new java.util.concurrent.atomic.AtomicReference<>();
    final io.tunnelbox.firewall.Firewall firewall = new io.tunnelbox.firewall.Firewall() {
        @Override
        public void apply(Config next) {
            filtered.set(next);
        }

        @Override
        public String show() {
            return "recording";
        }

        @Override
        public void close() {
        }
    };
    ConfigService service;
    EngineDeviceView view;
    ShowCommands ctl;
    Config base;

    /** In-memory devices for both roles; the WAN follows the configuration as Linux's would. */
    static final class WalkDevices implements Devices {
        final MemoryPort routerLan = new MemoryPort("tun", Layer.IP, 1500);
        final MemoryPort switchLan = new MemoryPort("tap", Layer.ETHERNET, 1500);
        final MemoryPort wan;

        WalkDevices(MemoryPort wan) {
            this.wan = wan;
        }

        @Override
        public int configureWan(Config next) {
            // Factory defaults (a DHCP WAN) have no address yet: 0, as the real devices answer.
            var address = next.interfaces().wan().address();
            return address == null ? 0 : address.address();
        }

        @Override
        public int wanMtu(Config next) {
            return next.interfaces().wan().mtu();
        }

        @Override
        public RouterPorts openRouter(Config next, int wanAddress, int wanMtu) {
            return new RouterPorts(routerLan, wan);
        }

        @Override
        public SwitchPorts openSwitch(Config next, int wanAddress, int wanMtu) {
            return new SwitchPorts(switchLan, wan, wan);
        }

        @Override
        public void routeAdded(String prefix) {
        }

        @Override
        public void routeRemoved(String prefix) {
        }

        @Override
        public void groupJoined(int group) {
        }

        @Override
        public void groupLeft(int group) {
        }

        @Override
        public void close() {
        }
    }

    @BeforeEach
    void start() throws Exception {
        MemoryWan underlay = new MemoryWan();
        applier = new DatapathApplier(new WalkDevices(underlay.attach("wan", Ipv4Address.parse("198.51.100.1"), 1500)),
                Clock.SYSTEM, firewall);
        service = new ConfigService(new ConfigStore(dir, 200, Clock.SYSTEM), applier, Clock.SYSTEM);
        view = new EngineDeviceView(service, applier, Clock.SYSTEM, "sim", "wan", "lan", dir.resolve("no-sysfs"));
        ctl = new ShowCommands(service, view);
        assertTrue(commit(tree()).ok());
        base = service.running();
    }

    @AfterEach
    void stop() {
        applier.close();
    }

    static ObjectNode tree() throws Exception {
        return (ObjectNode) ConfigJson.mapper().readTree(BASE);
    }

    CommitResult commit(JsonNode tree) {
        return service.commit(tree, "walk", "");
    }

    static ObjectNode t0(ObjectNode root) {
        return (ObjectNode) root.path("tunnels").get(0);
    }

    static ObjectNode s0(ObjectNode root) {
        return (ObjectNode) root.path("segments").get(0);
    }

    GreTunnelSpec spec(String tunnel) {
        return applier.router().tunnel(tunnel).orElseThrow(() -> new AssertionError("no tunnel " + tunnel)).spec();
    }

    SegmentSpec segment() throws Exception {
        SwitchDatapath sw = applier.switchDatapath();
        List<SegmentSpec> all = sw.onDatapathThread(sw::segments).get(2, TimeUnit.SECONDS);
        assertEquals(1, all.size(), all.toString());
        return all.getFirst();
    }

    interface Check {
        void verify(CommitResult result) throws Exception;
    }

    record Step(Consumer<ObjectNode> edit, Check check) {
    }

    Map<String, Step> steps() {
        RouterDatapath[] r = new RouterDatapath[1];
        Map<String, Step> s = new LinkedHashMap<>();
        s.put("system.hostname", new Step(t -> ((ObjectNode) t.path("system")).put("hostname", "walk2"),
                c -> assertEquals("walk2", view.version().hostname())));
        s.put("system.admins.name", new Step(t -> ((ObjectNode) t.path("system").path("admins").get(0)).put("name", "ops"),
                c -> assertTrue(service.checkPassword("ops", PASSWORD.toCharArray()))));
        s.put("system.admins.passwordHash", new Step(
                t -> ((ObjectNode) t.path("system").path("admins").get(0)).put("passwordHash", OTHER_HASH),
                c -> assertTrue(service.checkPassword("admin", "another long one".toCharArray()))));
        s.put("interfaces.wan.address", new Step(
                t -> ((ObjectNode) t.path("interfaces").path("wan")).put("address", "198.51.100.9/24"),
                c -> assertEquals(Ipv4Address.parse("198.51.100.9"), spec("gre1").local(),
                        "a tunnel without local follows the WAN address")));
        s.put("interfaces.wan.mtu", new Step(t -> ((ObjectNode) t.path("interfaces").path("wan")).put("mtu", 1400),
                c -> assertEquals(1400 - 24, applier.router().tunnel("gre1").orElseThrow().mtu())));
        s.put("interfaces.lan.address", new Step(
                t -> ((ObjectNode) t.path("interfaces").path("lan")).put("address", "192.168.1.1/24"),
                c -> assertEquals(Ipv4Address.parse("192.168.1.1"), applier.router().lanAddress(),
                        "the source of the router's ICMP errors")));
        s.put("interfaces.lan.dhcp", new Step(t -> {
            ObjectNode lan = (ObjectNode) t.path("interfaces").path("lan");
            lan.remove("address");
            lan.put("dhcp", true);
        }, c -> {
            assertFalse(c.ok());
            assertTrue(c.toString().contains("interfaces.lan.dhcp: the LAN needs a static address"), c.toString());
        }));
        s.put("interfaces.lan.gateway", new Step(
                t -> ((ObjectNode) t.path("interfaces").path("lan")).put("gateway", "192.168.1.1"), c -> {
            assertFalse(c.ok());
            assertTrue(c.toString().contains("interfaces.lan.gateway: the LAN has no gateway"), c.toString());
        }));
        s.put("tunnels.name", new Step(t -> ((ObjectNode) t.path("tunnels").get(1)).put("name", "gre3"), c -> {
            assertTrue(applier.router().tunnel("gre3").isPresent());
            assertFalse(applier.router().tunnel("gre2").isPresent());
        }));
        s.put("tunnels.local", new Step(t -> t0(t).put("local", "198.51.100.1"),
                c -> assertEquals(Ipv4Address.parse("198.51.100.1"), spec("gre1").local())));
        s.put("tunnels.remote", new Step(t -> t0(t).put("remote", "203.0.113.9"),
                c -> assertEquals(Ipv4Address.parse("203.0.113.9"), spec("gre1").remote())));
        s.put("tunnels.remoteName", new Step(t -> t0(t).put("remote", "rb.walk.test"), c -> {
            // Nobody resolves names in this walk: the tunnel waits for DNS, the name is kept.
            assertTrue(c.ok(), c.toString());
            assertEquals("rb.walk.test", service.running().tunnel("gre1").orElseThrow().remoteName());
            assertTrue(applier.router().tunnel("gre1").isEmpty());
            assertEquals("waiting for DNS", view.tunnels().getFirst().reason());
            assertTrue(service.runningTree().toString().contains("\"rb.walk.test\""), "stored as written");
        }));
        s.put("segments.flood.names", new Step(t -> ((ArrayNode) s0(t).path("flood").path("peers")).add("site.walk.test"), c -> {
            assertEquals(List.of("site.walk.test"), service.running().segments().getFirst().flood().names());
            assertEquals(List.of(Ipv4Address.parse("203.0.113.7")), segment().peers(), "no address yet, no peer");
        }));
        s.put("tunnels.ikey", new Step(t -> t0(t).put("ikey", 10).put("okey", 20), c -> {
            assertEquals(10, spec("gre1").inputKey().getAsInt());
            assertEquals(20, spec("gre1").outputKey().getAsInt());
        }));
        s.put("tunnels.okey", s.get("tunnels.ikey"));
        s.put("tunnels.sequence", new Step(t -> t0(t).put("sequence", true), c -> assertTrue(spec("gre1").sequence())));
        s.put("tunnels.checksum", new Step(t -> t0(t).put("checksum", true), c -> assertTrue(spec("gre1").checksum())));
        s.put("tunnels.ttl", new Step(t -> t0(t).put("ttl", 30), c -> assertEquals(30, spec("gre1").ttl())));
        s.put("tunnels.tos", new Step(t -> t0(t).put("tos", 16), c -> assertEquals(16, spec("gre1").tos())));
        s.put("tunnels.df", new Step(t -> t0(t).put("df", false), c -> assertEquals(DfMode.CLEAR, spec("gre1").df())));
        s.put("tunnels.mtu", new Step(t -> t0(t).put("mtu", 1400), c -> assertEquals(1400, spec("gre1").mtu())));
        s.put("tunnels.keepalive.intervalSeconds", new Step(t -> t0(t).putObject("keepalive").put("interval", 5),
                c -> assertEquals(Duration.ofSeconds(5), spec("gre1").keepaliveInterval())));
        s.put("tunnels.keepalive.retries", new Step(t -> t0(t).putObject("keepalive").put("interval", 10).put("retries", 5),
                c -> assertEquals(5, spec("gre1").keepaliveRetries())));
        s.put("tunnels.mssClamp", new Step(t -> t0(t).put("mssClamp", 1300),
                c -> assertEquals(1300, spec("gre1").mssClamp())));
        s.put("segments.name", new Step(t -> s0(t).put("name", "office2"),
                c -> assertEquals("office2", view.segments().getFirst().name())));
        s.put("segments.transport", new Step(t -> s0(t).put("transport", "gre"),
                c -> assertEquals(Transport.GRE, segment().transport())));
        s.put("segments.id", new Step(t -> s0(t).put("id", 6000), c -> assertEquals(6000, segment().id())));
        s.put("segments.vlan", new Step(t -> s0(t).put("vlan", 30), c -> {
            assertEquals(30, segment().vlan());
            assertFalse(segment().untagged());
        }));
        s.put("segments.flood.mode", new Step(t -> {
            s0(t).putObject("flood").put("mode", "group").put("group", "239.1.1.1");
            s0(t).putArray("allow").add("0.0.0.0/0"); // a group segment names whom it accepts
        },
                c -> assertEquals(Ipv4Address.parse("239.1.1.1"), segment().group())));
        s.put("segments.flood.group", s.get("segments.flood.mode"));
        s.put("segments.flood.peers", new Step(t -> ((ArrayNode) s0(t).path("flood").path("peers")).add("203.0.113.8"),
                c -> assertEquals(List.of(Ipv4Address.parse("203.0.113.7"), Ipv4Address.parse("203.0.113.8")),
                        segment().peers())));
        s.put("segments.ageingSeconds", new Step(t -> s0(t).put("ageingSeconds", 60),
                c -> assertEquals(Duration.ofSeconds(60), segment().ageing())));
        s.put("segments.macLimit", new Step(t -> s0(t).put("macLimit", 100), c -> assertEquals(100, segment().macLimit())));
        s.put("segments.udpPort", new Step(t -> s0(t).put("udpPort", 4790), c -> {
            assertFalse(c.ok(), "the running switch cannot move its socket: refused");
            assertTrue(c.toString().contains("udpPort 4790"), c.toString());
            assertEquals(4789, applier.switchDatapath().vxlanUdpPort());
        }));
        s.put("segments.fragment", new Step(t -> s0(t).put("fragment", true), c -> assertTrue(segment().fragmentOuter())));
        s.put("tunnels.encryption", new Step(t -> t0(t).putObject("encryption").put("psk", "walk-the-tunnel-key-0123"), c -> {
            // ESP's 34 bytes come off the tunnel MTU (1500 - 34 - 20 - 4), and IPsec protects gre1's peer.
            assertEquals(1442, spec("gre1").mtu());
            assertEquals(List.of("gre1"), applier.ipsec().peers().getFirst().users());
            assertEquals("203.0.113.1", applier.ipsec().peers().getFirst().peer());
            DeviceView.TunnelStatus gre1 = view.tunnels().getFirst();
            assertEquals("down", gre1.state(), "no IPsec on an in-memory box: the tunnel says why");
            assertEquals(io.tunnelbox.ipsec.PeerState.NOT_ON_THIS_BOX, gre1.reason());
        }));
        s.put("segments.encryption", new Step(t -> s0(t).putObject("encryption").put("psk", "walk-the-segment-key-012"), c -> {
            assertEquals(List.of("office"), applier.ipsec().peers().getFirst().users());
            assertEquals("203.0.113.7", applier.ipsec().peers().getFirst().peer());
            assertEquals(io.tunnelbox.ipsec.PeerState.NOT_ON_THIS_BOX + " (203.0.113.7)", view.segments().getFirst().ipsec());
        }));
        s.put("segments.allow", new Step(t -> s0(t).putArray("allow").add("198.51.100.0/24"),
                c -> assertEquals(List.of(Ipv4Prefix.parse("198.51.100.0/24")), segment().allow())));
        s.put("segments.macMove", new Step(t -> s0(t).put("macMove", "allow"),
                c -> assertEquals(io.tunnelbox.l2switch.MacMove.ALLOW, segment().macMove())));
        s.put("firewall.lanPrefixes", new Step(t -> t.putObject("firewall").putArray("lanPrefixes").add("10.9.0.0/16"),
                c -> assertEquals(service.running().firewall(), filtered.get().firewall(), "the firewall enforces it")));
        s.put("firewall.open.protocol", new Step(t -> t.putObject("firewall").putArray("open").addObject()
                .put("protocol", "tcp").put("port", 22).put("from", "203.0.113.0/24"),
                c -> assertEquals(service.running().firewall(), filtered.get().firewall(), "the firewall enforces it")));
        s.put("firewall.open.port", s.get("firewall.open.protocol"));
        s.put("firewall.open.from", s.get("firewall.open.protocol"));
        s.put("routes.prefix", new Step(t -> ((ObjectNode) t.path("routes").get(0)).put("prefix", "10.1.0.0/16"),
                c -> assertEquals("10.1.0.0/16", applier.router().routeTable().getFirst().prefix())));
        s.put("routes.tunnel", new Step(t -> ((ObjectNode) t.path("routes").get(0)).put("tunnel", "gre2"),
                c -> assertEquals("gre2", applier.router().routeTable().getFirst().tunnel())));
        return s;
    }

    @Test
    void shouldCarryEveryFieldFromCommitToTheDatapathAndShow() throws Exception {
        Map<String, Step> steps = steps();
        Set<String> fields = new TreeSet<>();
        leaves(Config.class, "", fields);
        Set<String> uncovered = new TreeSet<>(fields);
        uncovered.removeAll(steps.keySet());
        uncovered.removeAll(ELSEWHERE.keySet());
        assertEquals(Set.of(), uncovered, "configuration fields without a step in this walk");
        assertEquals(Set.of(), difference(steps.keySet(), fields), "steps for fields the model does not have");

        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, Step> e : steps.entrySet()) {
            String field = e.getKey();
            assertTrue(commit(tree()).ok(), "back to the base before " + field);
            ObjectNode changed = tree();
            e.getValue().edit().accept(changed);
            CommitResult result = commit(changed);
            try {
                if (result.ok()) {
                    assertNotEquals(values(base, field), values(service.running(), field),
                            field + ": the edit must change the field");
                    JsonNode shown = ConfigJson.mapper().readTree(ctl.answer("show config"));
                    JsonNode running = ConfigJson.mapper().readTree(
                            ConfigJson.toText(ConfigRedaction.redact(service.running())));
                    assertTrue(running.equals(shown), field + ": show config shows the running configuration");
                }
                e.getValue().check().verify(result);
            } catch (AssertionError | Exception ex) {
                failures.add(field + ": " + ex.getMessage() + " (commit: " + result + ")");
            }
        }
        assertEquals(List.of(), failures);
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }

    private static boolean isLeaf(Class<?> type) {
        return !type.isRecord() || IpPrefix.class.isAssignableFrom(type) || type == Ipv4Prefix.class
                || type == Ipv6Prefix.class;
    }

    /** Every leaf field of the model as a dotted path; lists of records count as their element. */
    static void leaves(Class<?> type, String prefix, Set<String> out) {
        for (RecordComponent c : type.getRecordComponents()) {
            String path = prefix.isEmpty() ? c.getName() : prefix + "." + c.getName();
            Class<?> t = c.getType();
            if (t == List.class) {
                Type arg = ((ParameterizedType) c.getGenericType()).getActualTypeArguments()[0];
                if (arg instanceof Class<?> element && !isLeaf(element)) {
                    leaves(element, path, out);
                    continue;
                }
            } else if (!isLeaf(t)) {
                leaves(t, path, out);
                continue;
            }
            out.add(path);
        }
    }

    /** The values at {@code path} in {@code value}, lists flattened (to tell a change). */
    static List<Object> values(Object value, String path) throws Exception {
        List<Object> at = new ArrayList<>(List.of(value));
        for (String name : path.split("\\.")) {
            List<Object> next = new ArrayList<>();
            for (Object o : at) {
                if (o == null) {
                    next.add(null);
                    continue;
                }
                Object v = o.getClass().getMethod(name).invoke(o);
                if (v instanceof List<?> l) {
                    next.addAll(l);
                } else {
                    next.add(v);
                }
            }
            at = next;
        }
        return at;
    }
}
