package io.tunnelbox.config;

import java.util.OptionalLong;

/**
 * A GRE site-to-site tunnel (RFC 2784, key and sequence number from RFC 2890).
 *
 * @param local    outer source address; 0 means "the WAN's address" (the only choice with DHCP)
 * @param ikey     key expected on received packets, empty for none
 * @param okey     key put on sent packets, empty for none
 * @param ttl      outer TTL, or {@link #TTL_INHERIT} to copy the inner packet's
 * @param mtu      tunnel MTU, or {@link #MTU_AUTO}: the WAN MTU less the outer headers
 * @param mssClamp TCP MSS ceiling, {@link #MSS_OFF} or {@link #MSS_AUTO} (tunnel MTU - 40)
 * @param encryption IPsec for this tunnel's GRE packets; empty: clear text
 * @param remoteName the other end as a DNS name (a peer behind a dynamic address, resolved by the box
 *                 from time to time), or null; with a name, {@code remote} is 0 in the configuration
 *                 and the address the name resolved to in what the datapaths run
 */
public record TunnelConfig(
        String name,
        int local,
        int remote,
        OptionalLong ikey,
        OptionalLong okey,
        boolean sequence,
        boolean checksum,
        int ttl,
        int tos,
        boolean df,
        int mtu,
        Keepalive keepalive,
        int mssClamp,
        java.util.Optional<EncryptionConfig> encryption,
        String remoteName) {

    public TunnelConfig {
        encryption = encryption == null ? java.util.Optional.empty() : encryption;
    }

    /** A tunnel whose remote is an address. */
    public TunnelConfig(String name, int local, int remote, OptionalLong ikey, OptionalLong okey, boolean sequence,
                        boolean checksum, int ttl, int tos, boolean df, int mtu, Keepalive keepalive, int mssClamp,
                        java.util.Optional<EncryptionConfig> encryption) {
        this(name, local, remote, ikey, okey, sequence, checksum, ttl, tos, df, mtu, keepalive, mssClamp, encryption, null);
    }

    /** A tunnel in clear text (no IPsec) whose remote is an address. */
    public TunnelConfig(String name, int local, int remote, OptionalLong ikey, OptionalLong okey, boolean sequence,
                        boolean checksum, int ttl, int tos, boolean df, int mtu, Keepalive keepalive, int mssClamp) {
        this(name, local, remote, ikey, okey, sequence, checksum, ttl, tos, df, mtu, keepalive, mssClamp,
                java.util.Optional.empty(), null);
    }

    /** The same tunnel, sent to {@code address} (what its remote name resolved to). */
    public TunnelConfig withRemote(int address) {
        return new TunnelConfig(name, local, address, ikey, okey, sequence, checksum, ttl, tos, df, mtu, keepalive,
                mssClamp, encryption, remoteName);
    }

    /** The remote as configured: the DNS name, or the address. */
    public String remoteText() {
        return remoteName != null ? remoteName : io.tunnelbox.packet.Ipv4Address.format(remote);
    }

    public static final int TTL_INHERIT = 0;
    public static final int MTU_AUTO = 0;
    public static final int MSS_OFF = 0;
    public static final int MSS_AUTO = -1;
    /** Outer IPv4 header without options. */
    public static final int IPV4_HEADER = 20;

    /** Bytes of GRE header this tunnel sends: 4, plus 4 each for checksum, key and sequence number. */
    public int greHeaderLength() {
        return 4 + (checksum ? 4 : 0) + (okey.isPresent() ? 4 : 0) + (sequence ? 4 : 0);
    }

    /**
     * Largest inner packet that fits a WAN of {@code wanMtu} without fragmenting: with encryption
     * the GRE packet must fit what ESP leaves of the WAN MTU ({@link EspOverhead}).
     */
    public int maxMtu(int wanMtu) {
        int outer = encryption.isPresent() ? EspOverhead.innerMtu(wanMtu) : wanMtu;
        return outer - IPV4_HEADER - greHeaderLength();
    }

    public int effectiveMtu(int wanMtu) {
        return mtu == MTU_AUTO ? maxMtu(wanMtu) : mtu;
    }

    /** The MSS to clamp to (IPv4: MTU less 40 bytes of IP and TCP header), 0 when clamping is off. */
    public int effectiveMss(int wanMtu) {
        return mssClamp == MSS_AUTO ? effectiveMtu(wanMtu) - 40 : mssClamp;
    }

    /** The outer source: {@code local}, or the WAN's current address when it follows the WAN. */
    public int effectiveLocal(int wanAddress) {
        return local == 0 ? wanAddress : local;
    }
}
