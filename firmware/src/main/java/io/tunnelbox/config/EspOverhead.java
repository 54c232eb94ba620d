package io.tunnelbox.config;

/**
 * What ESP in transport mode leaves of a WAN MTU for the packet it protects, computed as the
 * kernel does (net/ipv4/esp4.c, esp4_get_mtu) for the AEAD ciphers the box proposes
 * (AES-GCM-16 and ChaCha20-Poly1305: 8-byte IV, 16-byte ICV, payload padded to 4 bytes):
 *
 * <pre>
 *   | IPv4 20 | SPI 4 | seq 4 | IV 8 | protected packet ... | pad 0-3 | pad len 1 | next 1 | ICV 16 |
 * </pre>
 *
 * For a 1500-byte WAN this is 1466: the GRE or VXLAN packet loses 34 bytes to ESP.
 */
public final class EspOverhead {
    static final int ESP_HEADER = 8;
    static final int IV = 8;
    static final int ICV = 16;
    static final int TRAILER = 2;
    static final int ALIGN = 4;

    private EspOverhead() {
    }

    /** The largest IPv4 packet (header included) that ESP can carry in one WAN packet of {@code wanMtu}. */
    public static int innerMtu(int wanMtu) {
        int ip = TunnelConfig.IPV4_HEADER;
        return ((wanMtu - ip - ESP_HEADER - IV - ICV) & ~(ALIGN - 1)) + ip - TRAILER;
    }
}
