package io.tunnelbox.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tunnelbox.config.ConfigJson;
import io.tunnelbox.config.ConfigService;
import io.tunnelbox.config.ConfigVersion;
import io.tunnelbox.config.TunnelConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The text of the {@code show} commands: tables sized for an 80-column serial terminal. */
final class ShowCommands {
    private final DeviceView device;
    private final ConfigService config;
    private final LogRing log;

    ShowCommands(DeviceView device, ConfigService config, LogRing log) {
        this.device = device;
        this.config = config;
        this.log = log;
    }

    List<String> version() {
        DeviceView.VersionInfo v = device.version();
        return List.of(
                "TunnelBox " + v.firmware(),
                "board      " + v.board(),
                "hostname   " + v.hostname(),
                "uptime     " + uptime(v.uptime()),
                "config     version " + config.runningVersion());
    }

    static String uptime(Duration d) {
        long s = d.toSeconds();
        return String.format("%dd %02dh %02dm %02ds", s / 86400, s / 3600 % 24, s / 60 % 60, s % 60);
    }

    List<String> interfaces() {
        TextTable t = new TextTable("ROLE", "NIC", "STATE", "MAC", "ADDRESS", "MTU", "RX-PKTS", "TX-PKTS", "DROPS")
                .numeric(5, 6, 7, 8);
        for (DeviceView.InterfaceStatus i : device.interfaces()) {
            t.row(i.role(), i.nic(), i.up() ? "up" : "down", i.mac(), i.address(), i.mtu(), i.rxPackets(), i.txPackets(), i.drops());
        }
        return orNone(t, "no interfaces");
    }

    /** Running tunnels, plus configured ones the engine does not run (yet), so none is invisible. */
    List<String> tunnels() {
        TextTable t = new TextTable("NAME", "LOCAL", "REMOTE", "STATE", "MTU", "TX-PKTS", "RX-PKTS", "DROPS")
                .numeric(4, 5, 6, 7);
        Set<String> shown = new HashSet<>();
        for (DeviceView.TunnelStatus s : device.tunnels()) {
            t.row(s.name(), s.local(), s.remote(), s.state(), s.mtu(), s.txPackets(), s.rxPackets(), s.drops());
            shown.add(s.name());
        }
        for (TunnelConfig c : config.running().tunnels()) {
            if (!shown.contains(c.name())) {
                JsonNode tree = tunnelTree(c.name());
                t.row(c.name(), tree.path("local").asText("wan"), tree.path("remote").asText("?"), "not-running",
                        tree.path("mtu").asText("auto"), "-", "-", "-");
            }
        }
        return orNone(t, "no tunnels configured");
    }

    private JsonNode tunnelTree(String name) {
        for (JsonNode n : config.runningTree().path("tunnels")) {
            if (n.path("name").asText().equals(name)) {
                return n;
            }
        }
        return config.runningTree().objectNode();
    }

    List<String> segments() {
        TextTable t = new TextTable("NAME", "TRANSPORT", "ID", "VLAN", "FLOOD", "MACS", "TX-PKTS", "RX-PKTS")
                .numeric(2, 3, 5, 6, 7);
        for (DeviceView.SegmentStatus s : device.segments()) {
            t.row(s.name(), s.transport(), s.id(), s.vlan() == 0 ? "untagged" : String.valueOf(s.vlan()), s.flood(), s.macs(),
                    s.txPackets(), s.rxPackets());
        }
        return orNone(t, "no segments");
    }

    List<String> mac() {
        TextTable t = new TextTable("SEGMENT", "VLAN", "MAC", "WHERE", "AGE").numeric(1, 4);
        for (DeviceView.MacEntry e : device.macTable()) {
            t.row(e.segment(), e.vlan(), e.mac(), e.where(), e.ageSeconds() + "s");
        }
        return orNone(t, "no MAC addresses learned");
    }

    List<String> flows() {
        List<String> f = device.flows();
        return f.isEmpty() ? List.of("no flows") : f;
    }

    List<String> routes() {
        TextTable t = new TextTable("PREFIX", "VIA", "PACKETS").numeric(2);
        for (DeviceView.RouteEntry r : device.routes()) {
            t.row(r.prefix(), r.via(), r.packets());
        }
        return orNone(t, "no routes");
    }

    List<String> counters() {
        Map<String, Long> c = device.counters();
        TextTable t = new TextTable("COUNTER", "VALUE").numeric(1);
        c.forEach((k, v) -> t.row(k, v));
        return orNone(t, "no counters");
    }

    List<String> log(int lines) {
        List<String> l = log.last(lines);
        return l.isEmpty() ? List.of("log is empty") : l;
    }

    /** The running configuration in its file format, secrets hidden; or the part at {@code path}. */
    List<String> config(List<String> path) throws CommandException {
        return tree(config.runningTree(), path);
    }

    static List<String> tree(ObjectNode root, List<String> path) throws CommandException {
        JsonNode node = ConfigPaths.hideSecrets(ConfigPaths.get(root, path));
        String text = node instanceof ObjectNode o ? ConfigJson.toText(o) : node.toPrettyString();
        return text.strip().lines().toList();
    }

    List<String> commits() {
        TextTable t = new TextTable("VERSION", "TIME", "AUTHOR", "COMMENT").numeric(0);
        List<ConfigVersion> h = config.history();
        for (ConfigVersion v : h) {
            t.row(v.number(), v.time().toString().replace('T', ' '), v.author(), v.comment());
        }
        List<String> out = new ArrayList<>(orNone(t, "no versions stored"));
        config.confirmDeadline().ifPresent(d -> out.add("commit confirmed: rolls back at " + d + " unless confirmed"));
        return out;
    }

    private static List<String> orNone(TextTable t, String none) {
        return t.isEmpty() ? List.of(none) : t.lines();
    }
}
