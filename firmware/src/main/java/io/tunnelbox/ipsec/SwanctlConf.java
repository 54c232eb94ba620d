package io.tunnelbox.ipsec;

import io.tunnelbox.packet.Ipv4Address;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The {@code swanctl.conf} for a set of peers: per peer one IKEv2 connection from the WAN address
 * with one transport-mode child SA, {@value #CHILD}, between the two WAN addresses. The child is
 * trapped ({@code start_action = trap}): the kernel gets its policies at once, in both directions
 * and at level "required", so plain GRE or VXLAN from the peer is refused by the kernel even before
 * the first SA, and the first packet out starts IKE. Dead-peer detection every 10 s restarts a
 * dead SA; IKE SAs rekey every 4 h, the child every hour.
 *
 * <p>Why host to host rather than only GRE (protocol 47) and UDP 4789: the datapaths send every
 * GRE and VXLAN packet through a header-included raw socket (hal's RawIpSender, so TTL, TOS, DF
 * and VXLAN's entropy source port leave as built), and for such a socket the kernel looks up IPsec
 * policy with protocol 255 and no ports. A GRE or UDP selector never matches those packets: they
 * would leave in clear text (tried: tcpdump on the WAN shows plain GRE and VXLAN). A selector for
 * every protocol matches them; it also protects anything else between the two WAN addresses,
 * which only these two boxes use. IKE itself bypasses the policies (charon's socket policy).
 *
 * <p>Pre-shared keys go into a second text, {@link #secrets}, written to a file of its own (mode
 * 0600) that the first includes; they are base64-encoded ({@code 0s...}) so no key can break the
 * syntax.
 */
public final class SwanctlConf {
    /** The child SA's name: it carries the GRE and VXLAN packets to the peer. */
    public static final String CHILD = "tunnels";
    /**
     * The file the connections include their secrets from, next to swanctl.conf. Not "*.conf": the
     * system's swanctl.conf includes conf.d/*.conf at its top level, where secrets do not belong.
     */
    public static final String SECRETS_FILE = "tunnelbox.secrets";
    /** Where a peer's CA goes, relative to the swanctl directory's x509ca folder. */
    static String caFile(PeerPlan p) {
        return p.connection() + ".pem";
    }

    private SwanctlConf() {
    }

    /**
     * @param local     the WAN address IKE and the policies use
     * @param localCert with certificates: the box's certificate file name in the x509 folder ("" with keys only)
     */
    public static String connections(List<PeerPlan> peers, int local, Proposals proposals, String localCert) {
        StringBuilder b = new StringBuilder("# Written by TunnelBox for each configuration; edits are overwritten.\n");
        b.append("connections {\n");
        String me = Ipv4Address.format(local);
        for (PeerPlan p : peers) {
            boolean psk = p.encryption().usesPsk();
            b.append("  ").append(p.connection()).append(" {\n")
                    .append("    version = 2\n")
                    .append("    local_addrs = ").append(me).append('\n')
                    .append("    remote_addrs = ").append(p.remoteText()).append('\n')
                    .append("    proposals = ").append(proposals.ike()).append('\n')
                    .append("    dpd_delay = 10s\n")
                    .append("    rekey_time = 4h\n")
                    .append("    keyingtries = 0\n")
                    .append("    unique = replace\n")
                    .append("    local {\n");
            if (psk) {
                b.append("      auth = psk\n      id = ").append(me).append('\n');
            } else {
                b.append("      auth = pubkey\n      certs = ").append(localCert).append('\n');
            }
            b.append("    }\n    remote {\n");
            if (psk) {
                b.append("      auth = psk\n      id = ").append(p.remoteText()).append('\n');
            } else {
                b.append("      auth = pubkey\n      cacerts = ").append(caFile(p)).append('\n');
                b.append("      id = ").append(p.encryption().peerId().isEmpty() ? "%any"
                        : quoted(p.encryption().peerId())).append('\n');
            }
            b.append("    }\n    children {\n");
            child(b, CHILD, "dynamic", "dynamic", proposals);
            b.append("    }\n  }\n");
        }
        b.append("}\n");
        b.append("secrets {\n  include ").append(SECRETS_FILE).append("\n}\n");
        return b.toString();
    }

    /**
     * A quoted swanctl.conf string. The configuration refuses quotes and control characters in
     * identities, but a DN may carry a backslash, which strongSwan's lexer reads as an escape (a
     * trailing one would run the string into the lines after it): doubled, it stays one backslash.
     */
    static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\") + "\"";
    }

    private static void child(StringBuilder b, String name, String localTs, String remoteTs, Proposals proposals) {
        b.append("      ").append(name).append(" {\n")
                .append("        mode = transport\n")
                .append("        local_ts = ").append(localTs).append('\n')
                .append("        remote_ts = ").append(remoteTs).append('\n')
                .append("        esp_proposals = ").append(proposals.esp()).append('\n')
                .append("        rekey_time = 1h\n")
                .append("        start_action = trap\n")
                .append("        dpd_action = restart\n")
                .append("        close_action = trap\n")
                .append("      }\n");
    }

    /** The pre-shared keys of {@code peers}, one {@code ike} secret per peer. */
    public static String secrets(List<PeerPlan> peers, int local) {
        StringBuilder b = new StringBuilder();
        for (PeerPlan p : peers) {
            if (!p.encryption().usesPsk()) {
                continue;
            }
            String key = Base64.getEncoder().encodeToString(p.encryption().psk().getBytes(StandardCharsets.US_ASCII));
            b.append("ike-").append(p.connection()).append(" {\n")
                    .append("  id-1 = ").append(Ipv4Address.format(local)).append('\n')
                    .append("  id-2 = ").append(p.remoteText()).append('\n')
                    .append("  secret = 0s").append(key).append('\n')
                    .append("}\n");
        }
        return b.toString();
    }
}
