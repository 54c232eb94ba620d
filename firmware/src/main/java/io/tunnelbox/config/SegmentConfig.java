package io.tunnelbox.config;

/**
 * A layer-2 segment stretched between sites (the seed's br-tun network).
 *
 * @param id            VXLAN VNI (1..16777215) or GRE key of the Ethernet-over-GRE tunnel
 * @param vlan          802.1Q VLAN on the LAN port; 0 = untagged (at most one segment)
 * @param ageingSeconds how long a learned MAC lives without traffic
 * @param macLimit      most MACs learned for this segment
 * @param udpPort       VXLAN destination port (ignored for GRE)
 */
public record SegmentConfig(
        String name,
        Transport transport,
        long id,
        int vlan,
        Flood flood,
        int ageingSeconds,
        int macLimit,
        int udpPort) {

    public static final int UNTAGGED = 0;
    public static final int DEFAULT_AGEING_SECONDS = 300;
    public static final int DEFAULT_MAC_LIMIT = 4096;
    public static final int VXLAN_PORT = 4789;

    public enum Transport {
        VXLAN, GRE;

        public String text() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
