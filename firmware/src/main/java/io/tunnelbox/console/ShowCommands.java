package io.tunnelbox.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tunnelbox.config.ConfigJson;
import io.tunnelbox.config.ConfigRedaction;
import io.tunnelbox.config.ConfigService;
import io.tunnelbox.config.ConfigVersion;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The text of the {@code show} commands, the one renderer of {@link DeviceView}'s snapshots: the
 * console and the control socket ({@code tunnelbox ctl}) both print what this returns. Tables fit an
 * 80-column serial terminal ({@link TextTable}); detail views ({@code show tunnels NAME}) carry the rest.
 */
public final class ShowCommands {
    private final DeviceView device;
    private final ConfigService config;
    private final LogRing log;

    public ShowCommands(DeviceView device, ConfigService config, LogRing log) {
        this.device = device;
        this.config = config;
        this.log = log;
    }

    /**
     * Answers one read-only command line ("show tunnels gre1") as the console would print it: how
     * the control socket ({@code tunnelbox ctl}) shares this renderer. Errors come back as one
     * {@code error: ...} line.
     */
    public List<String> answer(String line) {
        List<String> w = List.of(line.strip().split("\\s+"));
        List<String> args = w.size() > 2 ? w.subList(2, w.size()) : List.of();
        try {
            if (w.size() < 2 || !w.get(0).equals("show")) {
                throw new CommandException("unknown command '" + line.strip() + "'; try: show " + String.join("|", TOPICS));
            }
            return switch (topic(w.get(1))) {
                case "version" -> version();
                case "interfaces" -> args.isEmpty() ? interfaces() : interfaceDetail(args.getFirst());
                case "tunnels" -> args.isEmpty() ? tunnels() : tunnel(args.getFirst());
                case "segments" -> segments();
                case "mac" -> mac();
                case "flows" -> flows();
                case "routes" -> routes();
                case "counters" -> counters();
                case "config" -> config(args);
                case "commits" -> commits();
                case "log" -> log(args.isEmpty() ? 50 : Integer.parseInt(args.getFirst()));
                case "firewall" -> device.firewall();
                case "ipsec" -> ipsec();
                default -> throw new CommandException("unknown command \"show " + w.get(1) + "\""
                        + Suggestions.closest(w.get(1), TOPICS).map(t -> "; did you mean \"show " + t + "\"?")
                                .orElse("; try: show " + String.join("|", TOPICS)));
            };
        } catch (CommandException | NumberFormatException e) {
            return List.of("error: " + e.getMessage());
        }
    }

    /** A topic, or an unambiguous abbreviation of one ("tun"), as the console accepts them. */
    private static String topic(String typed) {
        if (TOPICS.contains(typed)) {
            return typed;
        }
        List<String> matches = TOPICS.stream().filter(t -> t.startsWith(typed)).toList();
        return matches.size() == 1 ? matches.getFirst() : typed;
    }

    private static final List<String> TOPICS = List.of("version", "interfaces", "tunnels", "segments", "mac",
            "flows", "routes", "counters", "config", "commits", "log", "firewall", "ipsec");

    /** {@code show ipsec}: one table row per peer, then each peer's SAs in detail. */
    List<String> ipsec() {
        List<DeviceView.IpsecStatus> peers = device.ipsec();
        if (peers.isEmpty()) {
            return List.of("no encrypted tunnels or segments");
        }
        TextTable t = new TextTable("PEER", "USED BY", "AUTH", "STATE", "IN", "OUT").numeric(4, 5).keep(0, 1);
        for (DeviceView.IpsecStatus p : peers) {
            t.row(p.peer(), String.join(",", p.usedBy()), p.auth(), p.state(), count(p.bytesIn()), count(p.bytesOut()));
        }
        List<String> out = new ArrayList<>(t.lines());
        for (DeviceView.IpsecStatus p : peers) {
            if (!p.state().equals("up") && p.ike().isEmpty()) {
                out.add("Peer " + p.peer() + " is down: " + p.reason());
            }
        }
        for (DeviceView.IpsecStatus p : peers) {
            if (p.ike().isEmpty()) {
                continue; // no IKE SA: the table's reason says all there is
            }
            out.add("");
            out.add("Peer " + p.peer() + " (" + p.peerIdentity() + ") from " + p.local() + ": " + (p.state().equals("up")
                    ? "up " + p.establishedSeconds() + " s, last rekey " + p.lastRekeySeconds() + " s ago"
                    : "IKE up " + p.establishedSeconds() + " s, no ESP SA: " + p.reason()));
            out.add("  IKE  " + p.ike());
            out.add("  ESP  " + (p.esp().isEmpty() ? "-" : p.esp()));
            out.add("  in " + p.packetsIn() + " packets, " + p.bytesIn() + " bytes; out " + p.packetsOut() + " packets, "
                    + p.bytesOut() + " bytes");
        }
        return out;
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
        TextTable t = new TextTable("ROLE", "NIC", "STATE", "ADDRESS", "MTU", "RX-PKTS", "TX-PKTS", "DROPS")
                .numeric(4, 5, 6, 7);
        for (DeviceView.InterfaceStatus i : device.interfaces()) {
            t.row(i.role(), i.nic(), i.up() ? "up" : "down", i.address(), i.mtu(), count(i.rxPackets()),
                    count(i.txPackets()), count(i.drops()));
        }
        return orNone(t, "no interfaces");
    }

    /** {@code show interfaces NAME} (role or NIC): every field, MAC and byte counters included. */
    List<String> interfaceDetail(String name) throws CommandException {
        for (DeviceView.InterfaceStatus i : device.interfaces()) {
            if (i.role().equals(name) || i.nic().equals(name)) {
                return List.of(
                        "Interface " + i.role() + " (" + i.nic() + ") is " + (i.up() ? "up" : "down"),
                        "  mac " + i.mac() + ", address " + i.address() + ", mtu " + i.mtu(),
                        "  rx " + i.rxPackets() + " packets, " + i.rxBytes() + " bytes",
                        "  tx " + i.txPackets() + " packets, " + i.txBytes() + " bytes",
                        "  drops " + i.drops());
            }
        }
        throw new CommandException("no interface \"" + name + "\"; show interfaces lists them");
    }

    /** Every configured tunnel, its state with reason and age in one column (MTU and the rest: detail view). */
    List<String> tunnels() {
        TextTable t = new TextTable("NAME", "REMOTE", "STATE", "TX", "RX", "DROPS")
                .numeric(3, 4, 5).keep(1, 2);
        for (DeviceView.TunnelStatus s : device.tunnels()) {
            boolean running = s.detail() != null || !"not-running".equals(s.state());
            t.row(s.name(), s.remote(), state(s), running ? count(s.txPackets()) : "-",
                    running ? count(s.rxPackets()) : "-", running ? count(s.drops()) : "-");
        }
        List<String> out = new ArrayList<>(device.notices());
        out.addAll(orNone(t, "no tunnels configured"));
        return out;
    }

    /** A count for a table column: exact up to 9 999 999, then "12.3M", "4.56G" (detail views are exact). */
    static String count(long n) {
        if (n < 10_000_000L) {
            return Long.toString(n);
        }
        if (n < 10_000_000_000L) {
            return String.format(java.util.Locale.ROOT, "%.1fM", n / 1e6);
        }
        return String.format(java.util.Locale.ROOT, "%.2fG", n / 1e9);
    }

    /** "down 3m12s (keepalive-timeout)", "up 2d04h (no keepalive)", "not-running (why)". */
    static String state(DeviceView.TunnelStatus s) {
        if (s.detail() == null && "not-running".equals(s.state())) {
            return "not-running"; // the engine's reason can be long: the detail view prints it
        }
        StringBuilder b = new StringBuilder(s.state());
        if (s.sinceEpochMillis() != 0) {
            b.append(' ').append(age(s.ageSeconds()));
        }
        String why = s.keepalive() || !"up".equals(s.state()) ? s.reason() : "no keepalive";
        if (!why.isEmpty()) {
            b.append(" (").append(why).append(')');
        }
        return b.toString();
    }

    /** An age in the two largest units: "45s", "3m12s", "5h07m", "2d04h". */
    static String age(long seconds) {
        long s = Math.max(0, seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m" + String.format("%02ds", s % 60);
        }
        if (s < 86400) {
            return s / 3600 + "h" + String.format("%02dm", s / 60 % 60);
        }
        return s / 86400 + "d" + String.format("%02dh", s / 3600 % 24);
    }

    /** {@code show tunnels NAME}: settings in force, state history and every counter. */
    List<String> tunnel(String name) throws CommandException {
        for (DeviceView.TunnelStatus s : device.tunnels()) {
            if (s.name().equals(name)) {
                return tunnelDetail(s);
            }
        }
        throw new CommandException("no tunnel \"" + name + "\"; show tunnels lists them");
    }

    private static List<String> tunnelDetail(DeviceView.TunnelStatus s) {
        List<String> out = new ArrayList<>();
        out.add("Tunnel " + s.name() + " is " + state(s));
        if (s.detail() == null && "not-running".equals(s.state()) && !s.reason().isEmpty()) {
            out.add("  " + s.reason());
        }
        if (s.sinceEpochMillis() != 0) {
            out.add("  last change " + Instant.ofEpochMilli(s.sinceEpochMillis()).truncatedTo(ChronoUnit.SECONDS));
        }
        out.add("  GRE " + s.local() + " -> " + s.remote());
        DeviceView.TunnelDetail d = s.detail();
        if (d == null) {
            return out;
        }
        out.add("  key in " + d.inputKey() + ", out " + d.outputKey() + "; sequence " + onOff(d.sequence())
                + ", checksum " + onOff(d.checksum()));
        out.add("  ttl " + d.ttl() + ", tos " + d.tos() + ", df " + d.df() + ", mss clamp " + d.mssClamp());
        out.add("  mtu " + s.mtu() + (s.mtu() < d.baseMtu() ? " (path MTU; configured " + d.baseMtu() + ")" : ""));
        if (d.keepaliveIntervalMillis() > 0) {
            out.add("  keepalive every " + millis(d.keepaliveIntervalMillis()) + ", down after "
                    + d.keepaliveRetries() + " unanswered; " + d.keepalivesUnanswered() + " unanswered now");
            out.add("  keepalives sent " + d.keepalivesSent() + ", replies " + d.keepaliveReplies()
                    + ", peer's reflected " + d.keepalivesReflected());
        } else {
            out.add("  keepalive off: up while configured");
        }
        out.add("  rx " + s.rxPackets() + " packets, " + s.rxBytes() + " bytes, " + d.rxDrops() + " drops");
        out.add("  tx " + s.txPackets() + " packets, " + s.txBytes() + " bytes, " + d.txDrops() + " drops");
        out.add("  too-big " + d.tooBig() + ", fragmented " + d.fragmented() + ", mss clamped " + d.mssClamped()
                + ", path MTU reports " + d.pathMtuReports());
        if (d.dropReasons().isEmpty()) {
            out.add("  no drops");
        } else {
            out.add("  drops by reason:");
            for (DeviceView.Counter c : d.dropReasons()) {
                out.add("    " + c.name() + " " + c.value());
            }
        }
        return out;
    }

    private static String onOff(boolean b) {
        return b ? "on" : "off";
    }

    private static String millis(long ms) {
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    List<String> segments() {
        TextTable t = new TextTable("NAME", "TYPE", "ID", "VLAN", "FLOOD", "MACS", "TX", "RX", "TOO-BIG")
                .numeric(2, 5, 6, 7, 8);
        for (DeviceView.SegmentStatus s : device.segments()) {
            t.row(s.name(), s.transport(), s.id(), vlan(s.vlan()), flood(s.flood()), s.macs(), count(s.txPackets()),
                    count(s.rxPackets()), count(s.tooBig()));
        }
        List<String> out = new ArrayList<>(orNone(t, "no segments"));
        for (DeviceView.SegmentStatus s : device.segments()) {
            if (!s.ipsec().isEmpty() && !s.ipsec().equals("up")) {
                out.add("Segment " + s.name() + " is down: " + s.ipsec());
            }
        }
        return out;
    }

    /** "peers a,b,c" shortened to "3 peers" for the table; a group stays as it is. */
    private static String flood(String flood) {
        if (flood.startsWith("peers ")) {
            String list = flood.substring(6);
            int n = list.isBlank() ? 0 : list.split(",").length;
            return n == 1 ? "peer " + list : n + " peers";
        }
        return flood;
    }

    static String vlan(int vlan) {
        return vlan == 0 ? "untagged" : String.valueOf(vlan);
    }

    List<String> mac() {
        TextTable t = new TextTable("SEGMENT", "VLAN", "MAC", "WHERE", "AGE").numeric(4);
        for (DeviceView.MacEntry e : device.macTable()) {
            t.row(e.segment(), vlan(e.vlan()), e.mac(), e.where(), e.isStatic() ? "static" : age(e.ageSeconds()));
        }
        return orNone(t, "no MAC addresses learned");
    }

    List<String> flows() {
        List<String> f = device.flows();
        return f.isEmpty() ? List.of("no flows") : f;
    }

    List<String> routes() {
        TextTable t = new TextTable("PREFIX", "VIA", "STATE", "PACKETS").numeric(3);
        for (DeviceView.RouteEntry r : device.routes()) {
            t.row(r.prefix(), r.via(), r.active() ? "active" : "inactive (" + r.note() + ")", count(r.packets()));
        }
        return orNone(t, "no routes");
    }

    List<String> counters() {
        Map<String, Long> c = new TreeMap<>(device.counters());
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
        return tree(ConfigJson.toTree(ConfigRedaction.redact(config.running())), path);
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
