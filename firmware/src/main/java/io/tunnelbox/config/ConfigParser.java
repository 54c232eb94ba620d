package io.tunnelbox.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tunnelbox.config.Flood.Mode;
import io.tunnelbox.config.SegmentConfig.Transport;
import io.tunnelbox.packet.IpPrefix;
import io.tunnelbox.packet.Ipv4Address;
import io.tunnelbox.packet.Ipv4Prefix;
import io.tunnelbox.packet.Ipv6Prefix;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns configuration text or a Jackson tree into a {@link Config}: fills defaults, checks every
 * field, then runs the {@link ConfigValidator}'s cross-checks, and reports all problems at once.
 * Never throws on bad input.
 */
public final class ConfigParser {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,14}");
    static final Pattern HOST_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    static final Pattern ADMIN_NAME = Pattern.compile("[a-z_][a-z0-9_.-]{0,31}");
    static final Set<Integer> SPEEDS = Set.of(1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400,
            460800, 921600, 1000000, 1500000);
    static final int MIN_MTU = 576;
    static final int MAX_MTU = 9000;
    static final long MAX_KEY = 0xffff_ffffL;
    static final long MAX_VNI = 0xff_ffffL;

    private ConfigParser() {
    }

    /** Parses file text (JSON with comments); syntax errors come back with line and column. */
    public static ParseResult parse(String text) {
        JsonNode tree;
        try {
            tree = ConfigJson.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return new ParseResult(null, List.of(syntaxError(e)));
        }
        if (tree == null || tree.isMissingNode()) {
            return new ParseResult(null, List.of(new ConfigError("", "the file is empty")));
        }
        return parse(tree);
    }

    static ConfigError syntaxError(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
        return new ConfigError("", where + "syntax error: " + e.getOriginalMessage());
    }

    /** Parses and validates a tree (from a file, the console's edits or the web UI). */
    public static ParseResult parse(JsonNode tree) {
        return parse(tree, true);
    }

    /**
     * The errors of each field on its own (keyword, type, range), without the cross-checks between
     * fields: what the console checks on a set line, leaving the rest to commit.
     */
    public static List<ConfigError> fieldErrors(JsonNode tree) {
        return parse(tree, false).errors();
    }

    private static ParseResult parse(JsonNode tree, boolean crossChecks) {
        List<ConfigError> errors = new ArrayList<>();
        if (tree == null || !tree.isObject()) {
            errors.add(new ConfigError("", "the configuration must be a JSON object {...}"));
            return new ParseResult(null, errors);
        }
        Fields root = new Fields(tree, "", errors);
        SystemConfig system = system(root.object("system"));
        InterfacesConfig interfaces = interfaces(root.object("interfaces"));
        List<TunnelConfig> tunnels = list(root, "tunnels", errors, ConfigParser::tunnel);
        List<SegmentConfig> segments = list(root, "segments", errors, ConfigParser::segment);
        List<RouteConfig> routes = list(root, "routes", errors, ConfigParser::route);
        WebConfig web = web(root.object("web"));
        ConsoleConfig console = console(root.object("console"));
        FirewallConfig firewall = firewall(root.object("firewall"));
        root.finish();
        Config config = new Config(system, interfaces, tunnels, segments, routes, web, console, firewall);

        // Cross-checks run even over a config with field errors, so all problems show at once; a
        // cross-check about a field already reported is noise and is left out.
        List<ConfigError> fieldErrors = List.copyOf(errors);
        for (ConfigError e : crossChecks ? ConfigValidator.validate(config) : List.<ConfigError>of()) {
            boolean covered = fieldErrors.stream().anyMatch(f -> !f.path().isEmpty()
                    && (e.path().equals(f.path()) || e.path().startsWith(f.path() + ".")
                    || e.path().startsWith(f.path() + "[")));
            if (!covered) {
                errors.add(e);
            }
        }
        errors.sort(IN_FILE_ORDER);
        return errors.isEmpty() ? new ParseResult(config, List.of()) : new ParseResult(null, errors);
    }

    private static final List<String> SECTIONS = List.of("", "system", "interfaces", "tunnels", "segments", "routes", "web", "console", "firewall");

    /** Sections in the order of the file, items by index; the sort is stable within one item. */
    static final java.util.Comparator<ConfigError> IN_FILE_ORDER = java.util.Comparator
            .comparingInt((ConfigError e) -> {
                String section = e.path().split("[.\\[]", 2)[0];
                int i = SECTIONS.indexOf(section);
                return i < 0 ? SECTIONS.size() : i;
            })
            .thenComparingInt(e -> {
                var m = java.util.regex.Pattern.compile("^[a-z]+\\[([0-9]+)\\]").matcher(e.path());
                return m.find() ? Integer.parseInt(m.group(1)) : -1;
            });

    private interface ItemParser<T> {
        T parse(Fields f);
    }

    private static <T> List<T> list(Fields root, String key, List<ConfigError> errors, ItemParser<T> parser) {
        List<T> out = new ArrayList<>();
        List<JsonNode> items = root.array(key);
        for (int i = 0; i < items.size(); i++) {
            String at = root.path(key) + "[" + i + "]";
            if (!items.get(i).isObject()) {
                errors.add(new ConfigError(at, "expected an object {...}, found " + Fields.describe(items.get(i))));
                continue;
            }
            Fields f = new Fields(items.get(i), at, errors);
            out.add(parser.parse(f));
            f.finish();
        }
        return out;
    }

    private static SystemConfig system(Fields f) {
        String hostname = f.text("hostname", SystemConfig.DEFAULT.hostname());
        if (!validHostname(hostname)) {
            f.error("hostname", quote(hostname) + " is not a valid host name (letters, digits, '-', dots between labels)");
        }
        List<AdminAccount> admins = new ArrayList<>();
        List<JsonNode> items = f.array("admins");
        for (int i = 0; i < items.size(); i++) {
            Fields a = new Fields(items.get(i), f.path("admins") + "[" + i + "]", f.errors());
            String name = a.text("name", "");
            if (!a.has("name")) {
                a.error("name", "missing");
            } else if (!ADMIN_NAME.matcher(name).matches()) {
                a.error("name", quote(name) + " is not a valid account name (lower case letters, digits, '_', '-', '.')");
            }
            String hash = a.text("passwordHash", "");
            if (!a.has("passwordHash")) {
                a.error("passwordHash", "missing (set a password from the console or the web UI)");
            } else if (!PasswordHash.isWellFormed(hash)) {
                a.error("passwordHash", "is not a password hash of the form " + PasswordHash.FORMAT_HINT);
            }
            a.finish();
            admins.add(new AdminAccount(name, hash));
        }
        f.finish();
        return new SystemConfig(hostname, admins);
    }

    static boolean validHostname(String name) {
        if (name.isEmpty() || name.length() > 253) {
            return false;
        }
        for (String label : name.split("\\.", -1)) {
            if (!HOST_LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    private static InterfacesConfig interfaces(Fields f) {
        InterfaceConfig wan = iface(f.object("wan"), InterfacesConfig.DEFAULT.wan());
        InterfaceConfig lan = iface(f.object("lan"), InterfacesConfig.DEFAULT.lan());
        OffloadsConfig offloads = offloads(f.object("offloads"));
        f.finish();
        return new InterfacesConfig(wan, lan, offloads);
    }

    private static OffloadsConfig offloads(Fields f) {
        OffloadsConfig d = OffloadsConfig.DEFAULT;
        if (!f.present()) {
            return d;
        }
        OffloadsConfig o = new OffloadsConfig(f.bool("tso", d.tso()), f.bool("gro", d.gro()), f.bool("uso", d.uso()),
                f.bool("uro", d.uro()));
        f.finish();
        return o;
    }

    private static InterfaceConfig iface(Fields f, InterfaceConfig def) {
        if (!f.present()) {
            return def;
        }
        String nic = f.text("nic", def.nic());
        if (nic.isEmpty()) {
            f.error("nic", "must name a NIC (its role or device name)");
        }
        int mtu = f.integer("mtu", MIN_MTU, MAX_MTU, def.mtu());
        boolean hasAddress = f.has("address");
        boolean dhcp = f.bool("dhcp", !hasAddress && def.dhcp());
        Ipv4Prefix address = null;
        int gateway = 0;
        if (dhcp) {
            if (hasAddress) {
                f.error("address", "not allowed with \"dhcp\": true (the address comes from DHCP)");
            }
            if (f.has("gateway")) {
                f.error("gateway", "not allowed with \"dhcp\": true (the gateway comes from DHCP)");
            }
        } else if (!hasAddress) {
            if (def.dhcp()) {
                f.error("address", "missing: give \"address\": \"a.b.c.d/len\" or \"dhcp\": true");
            } else {
                address = def.address();
            }
        } else {
            address = hostAddress(f, "address");
            gateway = f.has("gateway") ? f.ipv4("gateway") : 0;
        }
        f.finish();
        return new InterfaceConfig(nic, dhcp, address, gateway, mtu);
    }

    /** "a.b.c.d/len" naming a host of its subnet (not its network or broadcast address). */
    private static Ipv4Prefix hostAddress(Fields f, String key) {
        JsonNode v = f.raw(key);
        Ipv4Prefix p = ipv4Prefix(v);
        if (p == null) {
            f.error(key, Fields.describe(v) + " is not an IPv4 address with prefix length (like \"192.168.1.1/24\")");
            return null;
        }
        if (p.length() <= 30) {
            int host = p.address() & ~p.mask();
            if (host == 0) {
                f.error(key, quote(v.textValue()) + " is the network address of its subnet, not a host address");
            } else if (host == ~p.mask()) {
                f.error(key, quote(v.textValue()) + " is the broadcast address of its subnet, not a host address");
            }
        }
        return p;
    }

    static Ipv4Prefix ipv4Prefix(JsonNode v) {
        if (v == null || !v.isTextual()) {
            return null;
        }
        String[] parts = v.textValue().split("/", -1);
        if (parts.length != 2 || !Ipv4Address.isValid(parts[0]) || !parts[1].matches("[0-9]{1,2}")) {
            return null;
        }
        int len = Integer.parseInt(parts[1]);
        return len > 32 ? null : new Ipv4Prefix(Ipv4Address.parseOrZero(parts[0]), len);
    }

    static IpPrefix ipPrefix(JsonNode v) {
        Ipv4Prefix p4 = ipv4Prefix(v);
        if (p4 != null || v == null || !v.isTextual()) {
            return p4;
        }
        String[] parts = v.textValue().split("/", -1);
        if (parts.length != 2 || !parts[1].matches("[0-9]{1,3}")) {
            return null;
        }
        long[] a = Ipv6Prefix.parseAddress(parts[0]);
        int len = Integer.parseInt(parts[1]);
        return a == null || len > 128 ? null : new Ipv6Prefix(a[0], a[1], len);
    }

    private static String name(Fields f) {
        if (!f.has("name")) {
            f.error("name", "missing");
            return "";
        }
        String name = f.text("name", "");
        if (!name.isEmpty() && !NAME.matcher(name).matches()) {
            f.error("name", quote(name) + " is not a valid name (1-15 letters, digits, '-', '_', '.', starting with a letter or digit)");
        }
        return name;
    }

    private static TunnelConfig tunnel(Fields f) {
        String name = name(f);
        int local = f.has("local") ? f.ipv4("local") : 0;
        int remote = 0;
        String remoteName = null;
        if (!f.has("remote")) {
            f.error("remote", "missing (the other end's WAN address)");
        } else {
            JsonNode v = f.raw("remote");
            if (isHostName(v)) {
                remoteName = v.textValue();
            } else {
                remote = remoteAddress(v, f.path("remote"), f.errors());
            }
        }
        OptionalLong ikey = OptionalLong.empty();
        OptionalLong okey = OptionalLong.empty();
        if (f.has("key")) {
            ikey = OptionalLong.of(f.number("key", 0, MAX_KEY, 0));
            okey = ikey;
            if (f.has("ikey") || f.has("okey")) {
                f.error("key", "give either \"key\" or \"ikey\"/\"okey\", not both");
            }
        } else {
            if (f.has("ikey")) {
                ikey = OptionalLong.of(f.number("ikey", 0, MAX_KEY, 0));
            }
            if (f.has("okey")) {
                okey = OptionalLong.of(f.number("okey", 0, MAX_KEY, 0));
            }
        }
        boolean sequence = f.bool("sequence", false);
        boolean checksum = f.bool("checksum", false);
        int ttl = 64;
        JsonNode ttlNode = f.raw("ttl");
        if (ttlNode != null) {
            if (ttlNode.isTextual() && ttlNode.textValue().equals("inherit")) {
                ttl = TunnelConfig.TTL_INHERIT;
            } else if (ttlNode.isIntegralNumber()) {
                ttl = (int) f.number("ttl", 1, 255, 64);
            } else {
                f.error("ttl", "expected 1..255 or \"inherit\", found " + Fields.describe(ttlNode));
            }
        }
        int tos = f.integer("tos", 0, 255, 0);
        boolean df = f.bool("df", true);
        int mtu = TunnelConfig.MTU_AUTO;
        JsonNode mtuNode = f.raw("mtu");
        if (mtuNode != null && !(mtuNode.isTextual() && mtuNode.textValue().equals("auto"))) {
            if (mtuNode.isIntegralNumber()) {
                mtu = f.integer("mtu", MIN_MTU, MAX_MTU, TunnelConfig.MTU_AUTO);
            } else {
                f.error("mtu", "expected " + MIN_MTU + ".." + MAX_MTU + " or \"auto\", found " + Fields.describe(mtuNode));
            }
        }
        Keepalive keepalive = Keepalive.OFF;
        JsonNode ka = f.raw("keepalive");
        if (ka != null && ka.isBoolean()) {
            keepalive = ka.booleanValue() ? new Keepalive(10, 3) : Keepalive.OFF;
        } else if (ka != null) {
            Fields k = f.object("keepalive");
            keepalive = new Keepalive(k.integer("interval", 1, 3600, 10), k.integer("retries", 1, 255, 3));
            k.finish();
        }
        int mss = TunnelConfig.MSS_AUTO;
        JsonNode mssNode = f.raw("mssClamp");
        if (mssNode != null) {
            if (mssNode.isTextual() && mssNode.textValue().equals("auto")) {
                mss = TunnelConfig.MSS_AUTO;
            } else if ((mssNode.isTextual() && mssNode.textValue().equals("off")) || (mssNode.isBoolean() && !mssNode.booleanValue())) {
                mss = TunnelConfig.MSS_OFF;
            } else if (mssNode.isIntegralNumber()) {
                mss = (int) f.number("mssClamp", 536, MAX_MTU - 40, TunnelConfig.MSS_AUTO);
            } else {
                f.error("mssClamp", "expected a number 536..8960, \"auto\" or \"off\", found " + Fields.describe(mssNode));
            }
        }
        java.util.Optional<EncryptionConfig> encryption = encryption(f);
        return new TunnelConfig(name, local, remote, ikey, okey, sequence, checksum, ttl, tos, df, mtu, keepalive, mss,
                encryption, remoteName);
    }

    private static SegmentConfig segment(Fields f) {
        String name = name(f);
        Transport transport = Transport.VXLAN;
        String t = f.text("transport", "vxlan");
        switch (t) {
            case "vxlan" -> transport = Transport.VXLAN;
            case "gre" -> transport = Transport.GRE;
            default -> f.error("transport", quote(t) + " is not a transport (\"vxlan\" or \"gre\")");
        }
        long id = 0;
        if (!f.has("id")) {
            f.error("id", "missing (the VXLAN VNI or GRE key of this segment)");
        } else if (transport == Transport.VXLAN) {
            id = f.number("id", 1, MAX_VNI, 0);
        } else {
            id = f.number("id", 0, MAX_KEY, 0);
        }
        int vlan = f.integer("vlan", 0, 4094, SegmentConfig.UNTAGGED);
        Flood flood = flood(f.object("flood"));
        int ageing = f.integer("ageingSeconds", 10, 1_000_000, SegmentConfig.DEFAULT_AGEING_SECONDS);
        int macLimit = f.integer("macLimit", 1, 1_000_000, SegmentConfig.DEFAULT_MAC_LIMIT);
        int udpPort = f.integer("udpPort", 1, 65535, SegmentConfig.VXLAN_PORT);
        if (transport == Transport.GRE && f.has("udpPort")) {
            f.error("udpPort", "applies to transport \"vxlan\" only");
        }
        List<Ipv4Prefix> allow = new ArrayList<>();
        List<JsonNode> items = f.array("allow");
        for (int i = 0; i < items.size(); i++) {
            Ipv4Prefix p = vtepPrefix(items.get(i), f.path("allow") + "[" + i + "]", f.errors());
            if (p != null) {
                allow.add(p);
            }
        }
        // (Not said of a group segment whose flood is wrong already: that error comes first.)
        boolean groupOk = flood.mode() == Mode.GROUP && flood.group() != 0 && transport == Transport.VXLAN;
        if (groupOk && !f.has("allow")) {
            f.error("allow", "missing: a group segment accepts frames only from the remote VTEPs listed here "
                    + "(addresses or prefixes like \"192.0.2.0/24\"; \"0.0.0.0/0\" accepts anyone)");
        } else if (groupOk && items.isEmpty()) {
            f.error("allow", "empty: a group segment would accept no remote VTEP (\"0.0.0.0/0\" accepts anyone)");
        }
        String macMove = f.text("macMove", SegmentConfig.MAC_MOVE_DENY);
        if (!macMove.equals(SegmentConfig.MAC_MOVE_DENY) && !macMove.equals(SegmentConfig.MAC_MOVE_ALLOW)) {
            f.error("macMove", quote(macMove) + " is not a MAC move policy (\"deny\": LAN MACs stay on the LAN, "
                    + "or \"allow\")");
            macMove = SegmentConfig.MAC_MOVE_DENY;
        }
        boolean fragment = f.bool("fragment", false);
        java.util.Optional<EncryptionConfig> encryption = encryption(f);
        if (encryption.isPresent() && flood.mode() == Mode.GROUP) {
            f.error("encryption", "needs flood mode \"peers\": IKE protects traffic to each listed peer, "
                    + "a multicast group has none");
        }
        return new SegmentConfig(name, transport, id, vlan, flood, ageing, macLimit, udpPort, allow, macMove,
                fragment, encryption);
    }

    /** Printable ASCII without spaces: a key an admin can type on the console and strongSwan reads as is. */
    static final Pattern PSK = Pattern.compile("[\\x21-\\x7e]*");

    /**
     * {@code "encryption": {"psk": "..."}} or {@code {"ca": "-----BEGIN CERTIFICATE-----...", "peerId": "..."}}.
     * Errors never repeat the key: they reach logs and the web page.
     */
    private static java.util.Optional<EncryptionConfig> encryption(Fields parent) {
        JsonNode node = parent.raw("encryption");
        if (node == null || (node.isBoolean() && !node.booleanValue())) {
            return java.util.Optional.empty();
        }
        if (!node.isObject()) {
            parent.error("encryption", "expected {\"psk\": \"<key>\"} or {\"ca\": \"<PEM>\"}, found "
                    + (node.isTextual() ? "a string" : Fields.describe(node)));
            return java.util.Optional.empty();
        }
        Fields f = parent.object("encryption");
        String psk = f.text("psk", "");
        String ca = f.text("ca", "");
        String peerId = f.text("peerId", "");
        if (f.has("psk") && f.has("ca")) {
            f.error("psk", "give either \"psk\" (a pre-shared key) or \"ca\" (certificates), not both");
        } else if (!f.has("psk") && !f.has("ca")) {
            f.error("psk", "missing: give \"psk\" (a pre-shared key of at least " + EncryptionConfig.MIN_PSK
                    + " characters) or \"ca\" (the PEM certificate of the CA that signed the peer's certificate)");
        }
        if (f.has("psk") && (psk.length() < EncryptionConfig.MIN_PSK || psk.length() > EncryptionConfig.MAX_PSK)) {
            f.error("psk", "must be " + EncryptionConfig.MIN_PSK + " to " + EncryptionConfig.MAX_PSK
                    + " characters long (this one has " + psk.length() + ")");
        } else if (f.has("psk") && !PSK.matcher(psk).matches()) {
            f.error("psk", "may hold printable ASCII characters only (no spaces or control characters)");
        }
        if (f.has("ca") && !ca.strip().startsWith("-----BEGIN CERTIFICATE-----")) {
            f.error("ca", "is not a PEM certificate (\"-----BEGIN CERTIFICATE-----...\")");
        }
        if (f.has("peerId") && !f.has("ca")) {
            f.error("peerId", "applies to certificates only (with \"ca\"); a pre-shared key's peer is its address");
        } else if (!peerId.isEmpty() && (peerId.length() > 255 || !peerId.chars().allMatch(c -> c >= 0x20 && c < 0x7f)
                || peerId.contains("\""))) {
            f.error("peerId", "must be printable ASCII without quotes, at most 255 characters");
        }
        f.finish();
        return java.util.Optional.of(new EncryptionConfig(psk, ca, peerId));
    }

    /** A remote VTEP or a network of them: "192.0.2.7" (as /32) or "192.0.2.0/24" (no host bits). */
    private static Ipv4Prefix vtepPrefix(JsonNode v, String at, List<ConfigError> errors) {
        Ipv4Prefix p = v != null && v.isTextual() && !v.textValue().contains("/") && Ipv4Address.isValid(v.textValue())
                ? new Ipv4Prefix(Ipv4Address.parseOrZero(v.textValue()), 32) : ipv4Prefix(v);
        if (p == null) {
            errors.add(new ConfigError(at, Fields.describe(v)
                    + " is not an IPv4 address or prefix (like \"192.0.2.7\" or \"192.0.2.0/24\")"));
            return null;
        }
        if (!p.isNetwork()) {
            errors.add(new ConfigError(at, Fields.describe(v) + " has host bits set; did you mean \""
                    + p.network() + "\"?"));
            return null;
        }
        if (p.length() > 0 && Ipv4Address.isMulticast(p.address())) {
            errors.add(new ConfigError(at, Fields.describe(v) + " is a multicast range; list the VTEPs' own addresses"));
            return null;
        }
        return p;
    }

    private static Flood flood(Fields f) {
        if (!f.present()) {
            return Flood.peers(List.of());
        }
        Mode mode = f.has("group") && !f.has("peers") ? Mode.GROUP : Mode.PEERS;
        if (f.has("mode")) {
            String m = f.text("mode", "peers");
            switch (m) {
                case "peers" -> mode = Mode.PEERS;
                case "group" -> mode = Mode.GROUP;
                default -> f.error("mode", quote(m) + " is not a flood mode (\"peers\" or \"group\")");
            }
        }
        List<Integer> peers = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<JsonNode> items = f.array("peers");
        for (int i = 0; i < items.size(); i++) {
            String at = f.path("peers") + "[" + i + "]";
            JsonNode v = items.get(i);
            if (isHostName(v)) {
                if (names.contains(v.textValue())) {
                    f.errors().add(new ConfigError(at, quote(v.textValue()) + " is listed twice"));
                }
                names.add(v.textValue());
            } else {
                peers.add(remoteAddress(v, at, f.errors()));
            }
        }
        int group = 0;
        if (f.has("group")) {
            group = f.ipv4("group");
            if (group != 0 && !Ipv4Address.isMulticast(group)) {
                f.error("group", quote(Ipv4Address.format(group)) + " is not a multicast address (224.0.0.0/4)");
            }
        }
        if (mode == Mode.GROUP && !f.has("group")) {
            f.error("group", "missing: flood mode \"group\" needs a multicast group");
        }
        if (mode == Mode.GROUP && !(peers.isEmpty() && names.isEmpty())) {
            f.error("peers", "not used in flood mode \"group\"; remove them or use mode \"peers\"");
        }
        if (mode == Mode.PEERS && f.has("group")) {
            f.error("group", "not used in flood mode \"peers\"");
        }
        f.finish();
        return new Flood(mode, peers, mode == Mode.GROUP ? group : 0, names);
    }

    /** A peer given by name rather than address: a string that is a host name and not a dotted quad. */
    private static boolean isHostName(JsonNode v) {
        return v != null && v.isTextual() && !Ipv4Address.isValid(v.textValue()) && HostName.isValid(v.textValue());
    }

    /** A peer's unicast IPv4 address, or 0 after recording why the text is neither an address nor a name. */
    private static int remoteAddress(JsonNode v, String at, List<ConfigError> errors) {
        if (!v.isTextual() || !Ipv4Address.isValid(v.textValue())) {
            // Digits and dots only: a mistyped address, not a name.
            boolean numeric = v.isTextual() && v.textValue().chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
            errors.add(new ConfigError(at, Fields.describe(v) + (numeric || !v.isTextual() ? " is not an IPv4 address"
                    : " is neither an IPv4 address nor a host name (RFC 1123: letters, digits, '-' and dots)")));
            return 0;
        }
        int address = Ipv4Address.parseOrZero(v.textValue());
        if (!Ipv4Address.isUnicast(address)) {
            errors.add(new ConfigError(at, quote(Ipv4Address.format(address)) + " is not a unicast address"));
        }
        return address;
    }

    private static RouteConfig route(Fields f) {
        IpPrefix prefix = new Ipv4Prefix(0, 0);
        if (!f.has("prefix")) {
            f.error("prefix", "missing");
        } else {
            JsonNode v = f.raw("prefix");
            IpPrefix p = ipPrefix(v);
            if (p == null) {
                f.error("prefix", Fields.describe(v) + " is not an IPv4 or IPv6 prefix (like \"192.168.2.0/24\")");
            } else if (!p.isNetwork()) {
                f.error("prefix", Fields.describe(v) + " has host bits set; did you mean \"" + p.network() + "\"?");
                prefix = p.network();
            } else {
                prefix = p;
            }
        }
        String tunnel = f.text("tunnel", "");
        if (!f.has("tunnel")) {
            f.error("tunnel", "missing (the name of the tunnel this prefix goes into)");
        }
        return new RouteConfig(prefix, tunnel);
    }

    private static WebConfig web(Fields f) {
        int port = f.integer("port", 1, 65535, WebConfig.DEFAULT.port());
        boolean tls = f.bool("tls", WebConfig.DEFAULT.tls());
        String listen = f.text("listen", WebConfig.DEFAULT.listen());
        if (!listen.equals(WebConfig.LISTEN_LAN) && !listen.equals(WebConfig.LISTEN_ALL) && !Ipv4Address.isValid(listen)) {
            f.error("listen", quote(listen) + " is not \"lan\", \"all\" or an IPv4 address");
            listen = WebConfig.DEFAULT.listen();
        }
        int httpPort = f.integer("httpPort", 0, 65535, WebConfig.DEFAULT.httpPort());
        if (httpPort != 0 && httpPort == port) {
            f.error("httpPort", httpPort + " is the page's port already; choose another, or 0 for no redirect");
        }
        String token = f.text("metricsToken", WebConfig.DEFAULT.metricsToken());
        if (!token.isEmpty() && !token.matches("[A-Za-z0-9._~+/=-]{16,200}")) {
            f.error("metricsToken", "must be 16 to 200 letters, digits or ._~+/=- (or \"\" for no /metrics)");
        }
        WebConfig w = new WebConfig(port, tls, listen, httpPort, token);
        f.finish();
        return w;
    }

    private static FirewallConfig firewall(Fields f) {
        List<IpPrefix> lanPrefixes = new ArrayList<>();
        List<JsonNode> items = f.array("lanPrefixes");
        for (int i = 0; i < items.size(); i++) {
            String at = f.path("lanPrefixes") + "[" + i + "]";
            IpPrefix p = ipPrefix(items.get(i));
            if (p == null) {
                f.errors().add(new ConfigError(at, Fields.describe(items.get(i))
                        + " is not an IPv4 or IPv6 prefix (like \"192.168.10.0/24\" or \"fd00:1::/64\")"));
            } else if (!p.isNetwork()) {
                f.errors().add(new ConfigError(at, Fields.describe(items.get(i)) + " has host bits set; did you mean \""
                        + p.network() + "\"?"));
            } else if (p.length() == 0) {
                f.errors().add(new ConfigError(at, Fields.describe(items.get(i))
                        + " is not a LAN-side prefix: length 0 would let any source into the tunnels"));
            } else {
                lanPrefixes.add(p);
            }
        }
        List<FirewallConfig.Opening> open = new ArrayList<>();
        List<JsonNode> openings = f.array("open");
        for (int i = 0; i < openings.size(); i++) {
            String at = f.path("open") + "[" + i + "]";
            if (!openings.get(i).isObject()) {
                f.errors().add(new ConfigError(at, "expected an object like {\"protocol\": \"tcp\", \"port\": 443, "
                        + "\"from\": \"203.0.113.0/24\"}, found " + Fields.describe(openings.get(i))));
                continue;
            }
            Fields o = new Fields(openings.get(i), at, f.errors());
            String protocol = o.text("protocol", "");
            int port = 0;
            switch (protocol) {
                case "tcp", "udp" -> {
                    if (!o.has("port")) {
                        o.error("port", "missing (the port the WAN may reach)");
                    } else {
                        port = o.integer("port", 1, 65535, 0);
                    }
                }
                case "icmp" -> {
                    if (o.has("port")) {
                        o.error("port", "not used with protocol \"icmp\" (it opens ping)");
                    }
                }
                default -> o.error("protocol", (o.has("protocol") ? quote(protocol) + " is not" : "missing:")
                        + " \"tcp\", \"udp\" or \"icmp\"");
            }
            Ipv4Prefix from = new Ipv4Prefix(0, 0);
            if (o.has("from")) {
                Ipv4Prefix p = vtepPrefix(o.raw("from"), o.path("from"), f.errors());
                from = p == null ? from : p;
            }
            o.finish();
            open.add(new FirewallConfig.Opening(protocol, port, from));
        }
        f.finish();
        return new FirewallConfig(lanPrefixes, open);
    }

    private static ConsoleConfig console(Fields f) {
        String device = f.text("device", ConsoleConfig.DEFAULT.device());
        if (!device.isEmpty() && !isDevicePath(device)) {
            f.error("device", quote(device) + " is not a device path (like \"/dev/ttyS0\"); leave it out for the board's console");
        }
        int speed = f.integer("speed", 50, 4_000_000, ConsoleConfig.DEFAULT.speed());
        if (!SPEEDS.contains(speed)) {
            f.error("speed", speed + " is not a standard line speed (like 9600 or 115200)");
            speed = ConsoleConfig.DEFAULT.speed();
        }
        f.finish();
        return new ConsoleConfig(device, speed);
    }

    /**
     * A path under /dev by what it really names: no "..", no NUL, and if it exists its real path
     * (symbolic links resolved, as /dev/serial/by-id links are) is under /dev too.
     */
    static boolean isDevicePath(String device) {
        java.nio.file.Path dev = java.nio.file.Path.of("/dev");
        java.nio.file.Path p;
        try {
            p = java.nio.file.Path.of(device);
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
        if (!p.isAbsolute() || !p.normalize().equals(p) || !p.startsWith(dev) || p.equals(dev)) {
            return false;
        }
        try {
            java.nio.file.Path real = p.toRealPath();
            return real.startsWith(dev) && !real.equals(dev);
        } catch (java.io.IOException e) {
            return true; // not plugged in yet (a USB serial adapter): the name alone is under /dev
        }
    }

    static String quote(String s) {
        return "\"" + s + "\"";
    }
}
