package io.tunnelbox.config;

import io.tunnelbox.packet.Ipv4Prefix;

/**
 * A layer-2 segment stretched between sites (the seed's br-tun network).
 *
 * @param id            VXLAN VNI (1..16777215) or GRE key of the Ethernet-over-GRE tunnel
 * @param vlan          802.1Q VLAN on the LAN port; 0 = untagged (at most one segment)
 * @param ageingSeconds how long a learned MAC lives without traffic
 * @param macLimit      most MACs learned for this segment
 * @param udpPort       VXLAN destination port (ignored for GRE); every VXLAN segment of a box uses
 *                      the same one (the box has one VXLAN socket)
 * @param allow         remote VTEPs accepted besides the flood peers (addresses as /32, or prefixes);
 *                      a group segment accepts only these
 * @param macMove       "deny": a MAC learned on the LAN is not moved to a tunnel (frames claiming
 *                      it are dropped); "allow": learning moves it
 * @param fragment      send a delivery packet too big for the WAN MTU as IPv4 fragments (only peers
 *                      that reassemble, such as Linux's VXLAN device, take them) instead of dropping
 *                      the frame; off by default (RFC 7348 section 4.3)
 * @param encryption    IPsec for this segment's packets to each flood peer; empty: clear text
 */
public record SegmentConfig(
        String name,
        Transport transport,
        long id,
        int vlan,
        Flood flood,
        int ageingSeconds,
        int macLimit,
        int udpPort,
        java.util.List<Ipv4Prefix> allow,
        String macMove,
        boolean fragment,
        java.util.Optional<EncryptionConfig> encryption) {

    public SegmentConfig {
        allow = java.util.List.copyOf(allow);
        encryption = encryption == null ? java.util.Optional.empty() : encryption;
    }

    /** A segment in clear text (no IPsec). */
    public SegmentConfig(String name, Transport transport, long id, int vlan, Flood flood, int ageingSeconds,
                         int macLimit, int udpPort, java.util.List<Ipv4Prefix> allow, String macMove, boolean fragment) {
        this(name, transport, id, vlan, flood, ageingSeconds, macLimit, udpPort, allow, macMove, fragment,
                java.util.Optional.empty());
    }

    public static final int UNTAGGED = 0;
    public static final int DEFAULT_AGEING_SECONDS = 300;
    public static final int DEFAULT_MAC_LIMIT = 4096;
    public static final int VXLAN_PORT = 4789;
    public static final String MAC_MOVE_DENY = "deny", MAC_MOVE_ALLOW = "allow";

    /** A segment that does not fragment delivery packets (the default). */
    public SegmentConfig(String name, Transport transport, long id, int vlan, Flood flood, int ageingSeconds,
                         int macLimit, int udpPort, java.util.List<Ipv4Prefix> allow, String macMove) {
        this(name, transport, id, vlan, flood, ageingSeconds, macLimit, udpPort, allow, macMove, false);
    }

    public SegmentConfig withFlood(Flood newFlood) {
        return new SegmentConfig(name, transport, id, vlan, newFlood, ageingSeconds, macLimit, udpPort, allow, macMove,
                fragment, encryption);
    }

    public enum Transport {
        VXLAN, GRE;

        public String text() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
