package io.tunnelbox.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tunnelbox.packet.Ipv4Address;

/**
 * The file format: JSON that people may annotate with comments (and leave a trailing comma in), and
 * the canonical tree of a {@link Config} that is stored and shown. Defaults are written out too, so
 * the stored file tells the whole truth.
 */
public final class ConfigJson {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_YAML_COMMENTS, JsonReadFeature.ALLOW_TRAILING_COMMA)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ConfigJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Pretty text of a config, ending with a newline. */
    public static String toText(Config config) {
        return toText(toTree(config));
    }

    public static String toText(ObjectNode tree) {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        try {
            return MAPPER.writer(printer).writeValueAsString(tree) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree built in memory always serializes", e);
        }
    }

    public static ObjectNode toTree(Config c) {
        ObjectNode root = NODES.objectNode();
        ObjectNode system = root.putObject("system");
        system.put("hostname", c.system().hostname());
        ArrayNode admins = system.putArray("admins");
        for (AdminAccount a : c.system().admins()) {
            admins.addObject().put("name", a.name()).put("passwordHash", a.passwordHash());
        }
        ObjectNode interfaces = root.putObject("interfaces");
        iface(interfaces.putObject("wan"), c.interfaces().wan());
        iface(interfaces.putObject("lan"), c.interfaces().lan());
        OffloadsConfig offloads = c.interfaces().offloads();
        interfaces.putObject("offloads").put("tso", offloads.tso()).put("gro", offloads.gro()).put("uso", offloads.uso())
                .put("uro", offloads.uro());
        ArrayNode tunnels = root.putArray("tunnels");
        c.tunnels().forEach(t -> tunnel(tunnels.addObject(), t));
        ArrayNode segments = root.putArray("segments");
        c.segments().forEach(s -> segment(segments.addObject(), s));
        ArrayNode routes = root.putArray("routes");
        c.routes().forEach(r -> routes.addObject().put("prefix", r.prefix().toString()).put("tunnel", r.tunnel()));
        root.putObject("web").put("port", c.web().port()).put("tls", c.web().tls()).put("listen", c.web().listen())
                .put("httpPort", c.web().httpPort()).put("metricsToken", c.web().metricsToken());
        ObjectNode console = root.putObject("console");
        if (!c.console().device().isEmpty()) {
            console.put("device", c.console().device());
        }
        console.put("speed", c.console().speed());
        ObjectNode firewall = root.putObject("firewall");
        ArrayNode lanPrefixes = firewall.putArray("lanPrefixes");
        c.firewall().lanPrefixes().forEach(p -> lanPrefixes.add(p.toString()));
        ArrayNode open = firewall.putArray("open");
        for (FirewallConfig.Opening o : c.firewall().open()) {
            ObjectNode n = open.addObject().put("protocol", o.protocol());
            if (o.port() != 0) {
                n.put("port", o.port());
            }
            n.put("from", o.from().toString());
        }
        return root;
    }

    private static void iface(ObjectNode o, InterfaceConfig i) {
        o.put("nic", i.nic());
        if (i.dhcp()) {
            o.put("dhcp", true);
        } else {
            o.put("address", i.address().toString());
            if (i.gateway() != 0) {
                o.put("gateway", Ipv4Address.format(i.gateway()));
            }
        }
        o.put("mtu", i.mtu());
    }

    private static void tunnel(ObjectNode o, TunnelConfig t) {
        o.put("name", t.name());
        if (t.local() != 0) {
            o.put("local", Ipv4Address.format(t.local()));
        }
        o.put("remote", Ipv4Address.format(t.remote()));
        if (t.ikey().equals(t.okey())) {
            t.ikey().ifPresent(k -> o.put("key", k));
        } else {
            t.ikey().ifPresent(k -> o.put("ikey", k));
            t.okey().ifPresent(k -> o.put("okey", k));
        }
        o.put("sequence", t.sequence());
        o.put("checksum", t.checksum());
        if (t.ttl() == TunnelConfig.TTL_INHERIT) {
            o.put("ttl", "inherit");
        } else {
            o.put("ttl", t.ttl());
        }
        o.put("tos", t.tos());
        o.put("df", t.df());
        if (t.mtu() == TunnelConfig.MTU_AUTO) {
            o.put("mtu", "auto");
        } else {
            o.put("mtu", t.mtu());
        }
        if (t.keepalive().enabled()) {
            o.putObject("keepalive").put("interval", t.keepalive().intervalSeconds()).put("retries", t.keepalive().retries());
        }
        switch (t.mssClamp()) {
            case TunnelConfig.MSS_AUTO -> o.put("mssClamp", "auto");
            case TunnelConfig.MSS_OFF -> o.put("mssClamp", "off");
            default -> o.put("mssClamp", t.mssClamp());
        }
        t.encryption().ifPresent(e -> encryption(o, e));
    }

    private static void encryption(ObjectNode parent, EncryptionConfig e) {
        ObjectNode o = parent.putObject("encryption");
        if (e.usesPsk()) {
            o.put("psk", e.psk());
        } else {
            o.put("ca", e.ca());
            if (!e.peerId().isEmpty()) {
                o.put("peerId", e.peerId());
            }
        }
    }

    private static void segment(ObjectNode o, SegmentConfig s) {
        o.put("name", s.name());
        o.put("transport", s.transport().text());
        o.put("id", s.id());
        o.put("vlan", s.vlan());
        ObjectNode flood = o.putObject("flood");
        flood.put("mode", s.flood().mode().text());
        if (s.flood().mode() == Flood.Mode.GROUP) {
            flood.put("group", Ipv4Address.format(s.flood().group()));
        } else {
            ArrayNode peers = flood.putArray("peers");
            s.flood().peers().forEach(p -> peers.add(Ipv4Address.format(p)));
        }
        o.put("ageingSeconds", s.ageingSeconds());
        o.put("macLimit", s.macLimit());
        if (s.transport() == SegmentConfig.Transport.VXLAN) {
            o.put("udpPort", s.udpPort());
        }
        ArrayNode allow = o.putArray("allow");
        s.allow().forEach(p -> allow.add(p.length() == 32 ? Ipv4Address.format(p.address()) : p.toString()));
        o.put("macMove", s.macMove());
        if (s.fragment()) {
            o.put("fragment", true);
        }
        s.encryption().ifPresent(e -> encryption(o, e));
    }
}
