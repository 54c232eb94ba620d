package io.tunnelbox.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every setting of the configuration with its type, range, default and one-line help: the console's
 * {@code ?} help and Tab completion read it, and the README's field reference is generated from it
 * ({@link #markdown()}; a test keeps the two identical). {@link ConfigParser} is the validator; a
 * test checks that it accepts each range's ends and refuses one past them.
 *
 * <p>Paths use the console's words with {@code *} for the name of a list entry:
 * {@code tunnels.*.ttl} is {@code set tunnels gre1 ttl 64}.
 */
public final class FieldTable {
    /** Sentinel for fields without a numeric range. */
    public static final long NO_RANGE = Long.MIN_VALUE;

    /**
     * One setting.
     *
     * @param path   console words with {@code *} for an entry's name
     * @param type   what it takes, as shown to an admin ("1..255 or inherit")
     * @param dflt   its default, as shown ("64"; "" for required or none)
     * @param help   one line on what it does
     * @param words  the words Tab offers (booleans, enumerations, keywords such as {@code auto})
     * @param min    lower end of its numeric range, or {@link #NO_RANGE}
     * @param max    upper end of its numeric range
     */
    public record Field(String path, String type, String dflt, String help, List<String> words, long min, long max) {
        public Field {
            words = List.copyOf(words);
        }

        /** The last word of the path: the keyword typed on the set line. */
        public String name() {
            return path.substring(path.lastIndexOf('.') + 1);
        }

        public boolean hasRange() {
            return min != NO_RANGE;
        }

        /** Containers (lists and objects) hold settings; leaves take a value on the set line. */
        public boolean isLeaf() {
            return !type.equals(LIST) && !type.equals(OBJECT);
        }
    }

    static final String LIST = "list of named entries";
    static final String OBJECT = "object";
    private static final List<String> BOOL = List.of("true", "false");

    private static final List<Field> ALL = build();

    private FieldTable() {
    }

    private static List<Field> build() {
        List<Field> f = new ArrayList<>();
        f.add(container("system", OBJECT, "host name and administrators"));
        f.add(text("system.hostname", "host name (letters, digits, '-', dots)", "tunnelbox", "the box's name, in the prompt and logs"));
        f.add(container("system.admins", LIST, "administrators; set one with: password <admin>"));
        f.add(text("system.admins.*.passwordHash", "PBKDF2 hash (hidden)", "", "set with: password <admin>; never a password"));
        f.add(container("interfaces", OBJECT, "the WAN and LAN ports and their offloads"));
        for (String side : List.of("wan", "lan")) {
            f.add(container("interfaces." + side, OBJECT, "the " + side.toUpperCase(java.util.Locale.ROOT) + " port"));
            f.add(text("interfaces." + side + ".nic", "NIC role or device name", side, "which NIC of the board"));
            f.add(bool("interfaces." + side + ".dhcp", side.equals("wan") ? "true" : "false", "address by DHCP (then no address, no gateway)"));
            f.add(text("interfaces." + side + ".address", "a.b.c.d/len (a host address)", side.equals("wan") ? "" : "192.168.1.1/24", "static address"));
            f.add(text("interfaces." + side + ".gateway", "IPv4 address in the subnet", "", "default gateway"));
            f.add(range("interfaces." + side + ".mtu", 576, 9000, "1500", "the port's MTU"));
        }
        f.add(container("interfaces.offloads", OBJECT, "data-path offloads, read when the box starts (--offloads overrides)"));
        f.add(bool("interfaces.offloads.tso", "true", "take TCP super-frames from the LAN's TUN/TAP device"));
        f.add(bool("interfaces.offloads.gro", "true", "write coalesced TCP and UDP super-frames to the LAN's TUN/TAP device"));
        f.add(bool("interfaces.offloads.uso", "true", "send runs of VXLAN datagrams with UDP_SEGMENT"));
        f.add(bool("interfaces.offloads.uro", "true", "receive runs of VXLAN datagrams with UDP_GRO"));
        f.add(container("tunnels", LIST, "GRE site-to-site tunnels, by name"));
        f.add(text("tunnels.*.local", "IPv4 address", "the WAN's", "outer source; leave it out with a DHCP WAN"));
        f.add(text("tunnels.*.remote", "unicast IPv4 address or DNS name", "required",
                "the other end's WAN address; a name is resolved again every minute"));
        f.add(range("tunnels.*.key", 0, 0xffff_ffffL, "none", "GRE key, both directions"));
        f.add(range("tunnels.*.ikey", 0, 0xffff_ffffL, "none", "GRE key expected on received packets"));
        f.add(range("tunnels.*.okey", 0, 0xffff_ffffL, "none", "GRE key put on sent packets"));
        f.add(bool("tunnels.*.sequence", "false", "RFC 2890 sequence numbers"));
        f.add(bool("tunnels.*.checksum", "false", "RFC 2784 checksum"));
        f.add(new Field("tunnels.*.ttl", "1..255 or inherit", "64", "outer time to live", List.of("inherit"), 1, 255));
        f.add(range("tunnels.*.tos", 0, 255, "0", "outer type of service"));
        f.add(bool("tunnels.*.df", "true", "don't-fragment bit on outer packets"));
        f.add(new Field("tunnels.*.mtu", "576..9000 or auto", "auto", "tunnel MTU; auto: WAN MTU - 20 - GRE header",
                List.of("auto"), 576, 9000));
        f.add(new Field("tunnels.*.keepalive", "true, false or interval/retries", "false",
                "GRE keepalives (true: every 10 s, down after 3 missed)", BOOL, NO_RANGE, 0));
        f.add(range("tunnels.*.keepalive.interval", 1, 3600, "10", "seconds between keepalives"));
        f.add(range("tunnels.*.keepalive.retries", 1, 255, "3", "missed keepalives before the tunnel is down"));
        f.add(new Field("tunnels.*.mssClamp", "536..8960, auto or off", "auto", "TCP MSS ceiling for SYNs (auto: MTU - 40)",
                List.of("auto", "off"), 536, 8960));
        encryption(f, "tunnels.*", "this tunnel's GRE packets");
        f.add(container("segments", LIST, "L2 segments (VXLAN or Ethernet over GRE), by name"));
        f.add(new Field("segments.*.transport", "vxlan or gre", "vxlan", "how frames cross the WAN", List.of("vxlan", "gre"), NO_RANGE, 0));
        f.add(range("segments.*.id", 0, 0xffff_ffffL, "required", "VXLAN VNI (1..16777215) or GRE key"));
        f.add(range("segments.*.vlan", 0, 4094, "0", "802.1Q VLAN on the LAN port; 0 = untagged"));
        f.add(container("segments.*.flood", OBJECT, "where broadcast and unknown unicast go"));
        f.add(new Field("segments.*.flood.mode", "peers or group", "peers", "one copy per peer, or one to a multicast group",
                List.of("peers", "group"), NO_RANGE, 0));
        f.add(text("segments.*.flood.peers", "unicast IPv4 address or DNS name (adds one)", "none",
                "remote VTEPs for head-end replication"));
        f.add(text("segments.*.flood.group", "multicast IPv4 address", "none", "multicast group (VXLAN only)"));
        f.add(range("segments.*.ageingSeconds", 10, 1_000_000, "300", "learned MAC lifetime in seconds"));
        f.add(range("segments.*.macLimit", 1, 1_000_000, "4096", "most MACs learned in the segment"));
        f.add(range("segments.*.udpPort", 1, 65535, "4789", "VXLAN destination port (not for GRE)"));
        f.add(text("segments.*.allow", "IPv4 address or prefix (adds one)", "none; required with a group",
                "remote VTEPs accepted besides the flood peers"));
        f.add(new Field("segments.*.macMove", "deny or allow", "deny",
                "may a frame from a tunnel move a MAC learned on the LAN", List.of("deny", "allow"), NO_RANGE, 0));
        f.add(bool("segments.*.fragment", "false", "send frames too big for the WAN as IPv4 fragments"));
        encryption(f, "segments.*", "the segment's packets to each flood peer");
        f.add(container("routes", LIST, "routes into tunnels, by prefix (IPv4 or IPv6, no host bits)"));
        f.add(text("routes.*.tunnel", "tunnel name", "required", "the tunnel this prefix goes into"));
        f.add(container("web", OBJECT, "the web UI"));
        f.add(range("web.port", 1, 65535, "443", "port of the web UI"));
        f.add(bool("web.tls", "true", "HTTPS for the web UI"));
        f.add(text("web.listen", "lan, all or an IPv4 address", "lan", "where the page listens (lan: the LAN's address)"));
        f.add(range("web.httpPort", 0, 65535, "80", "plain-HTTP port that only redirects (0: none)"));
        f.add(text("web.metricsToken", "16-200 token characters (hidden)", "", "bearer token for /metrics (empty: off)"));
        f.add(container("console", OBJECT, "the serial console"));
        f.add(text("console.device", "/dev/... path", "the board's", "serial console device"));
        f.add(new Field("console.speed", "standard baud rate", "115200", "serial console speed",
                List.of("9600", "19200", "38400", "57600", "115200", "1500000"), NO_RANGE, 0));
        f.add(container("firewall", OBJECT, "the box's own firewall (nftables)"));
        f.add(text("firewall.lanPrefixes", "IPv4 or IPv6 prefix (adds one)", "none",
                "sources routed into tunnels besides the LAN's subnet"));
        f.add(text("firewall.open", "list of {protocol, port, from}", "none",
                "what else the WAN may reach on the box (in the file)"));
        return List.copyOf(f);
    }

    private static void encryption(List<Field> f, String at, String what) {
        f.add(container(at + ".encryption", OBJECT, "IPsec (IKEv2, ESP transport mode) for " + what));
        f.add(text(at + ".encryption.psk", EncryptionConfig.MIN_PSK + "-" + EncryptionConfig.MAX_PSK
                + " printable characters (hidden)", "", "pre-shared key, the same on both ends"));
        f.add(text(at + ".encryption.ca", "PEM certificate (in the file)", "", "CA that signed the peer's certificate"));
        f.add(text(at + ".encryption.peerId", "certificate identity", "any the CA signed",
                "the subject or subjectAltName the peer's certificate must carry"));
    }

    private static Field text(String path, String type, String dflt, String help) {
        return new Field(path, type, dflt, help, List.of(), NO_RANGE, 0);
    }

    private static Field bool(String path, String dflt, String help) {
        return new Field(path, "true or false", dflt, help, BOOL, NO_RANGE, 0);
    }

    private static Field range(String path, long min, long max, String dflt, String help) {
        return new Field(path, min + ".." + max, dflt, help, List.of(), min, max);
    }

    private static Field container(String path, String type, String help) {
        return new Field(path, type, "", help, List.of(), NO_RANGE, 0);
    }

    public static List<Field> all() {
        return ALL;
    }

    /** The field at a pattern path such as {@code tunnels.*.ttl}. */
    public static Optional<Field> find(String pattern) {
        return ALL.stream().filter(f -> f.path().equals(pattern)).findFirst();
    }

    /** The fields directly under a pattern path ("" for the top), in table order. */
    public static List<Field> children(String pattern) {
        String prefix = pattern.isEmpty() ? "" : pattern + ".";
        return ALL.stream().filter(f -> f.path().startsWith(prefix) && f.path().indexOf('.', prefix.length()) < 0
                && !f.name().equals("*")).toList();
    }

    /** Markdown would take {@code <admin>} for an HTML tag. */
    private static String cell(String text) {
        return text.replace("<", "\\<");
    }

    /** The README's field reference: one row per field, generated so the two never disagree. */
    public static String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("| path (`set` words; `*` = an entry's name) | type, range | default | meaning |\n");
        b.append("| --- | --- | --- | --- |\n");
        for (Field f : ALL) {
            b.append("| `").append(f.path().replace(".", " ")).append("` | ").append(cell(f.type())).append(" | ")
                    .append(cell(f.dflt())).append(" | ").append(cell(f.help())).append(" |\n");
        }
        return b.toString();
    }
}
