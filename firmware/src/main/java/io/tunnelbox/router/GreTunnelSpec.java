package io.tunnelbox.router;

import io.tunnelbox.packet.Gre;
import io.tunnelbox.packet.Ipv4;
import io.tunnelbox.packet.Ipv4Address;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * One GRE site-to-site tunnel as configured (RFC 2784 with RFC 2890's key and sequence numbers),
 * the seed's RA/RB tunnel interface: {@code GreTunnelSpec.of("tun0", ra, rb).withKey(5000)}.
 *
 * @param name               interface-like name, 1-15 of {@code [A-Za-z0-9_.-]} (shown in "show tunnels")
 * @param local              our underlay (WAN) address, the delivery header's source
 * @param remote             the peer's underlay address; GRE from any other source is dropped
 * @param inputKey           key required on received packets (Linux {@code ikey}); empty: no key allowed
 * @param outputKey          key put on sent packets (Linux {@code okey}); empty: no key field
 * @param sequence           send RFC 2890 sequence numbers and require them, in order, on receipt
 * @param checksum           send GRE checksums and require them on receipt
 * @param ttl                delivery header TTL 1-255, or {@link #TTL_INHERIT} (the inner packet's)
 * @param tos                delivery header TOS 0-255, or {@link #TOS_INHERIT} (the inner packet's, default)
 * @param df                 delivery header DF policy
 * @param mtu                tunnel MTU, or {@link #MTU_AUTO}: underlay MTU minus the overhead in use
 * @param keepaliveInterval  Cisco-style keepalive period; {@link Duration#ZERO} turns keepalives off
 * @param keepaliveRetries   unanswered keepalives after which the tunnel goes down (1-255)
 * @param mssClamp           TCP MSS ceiling for SYNs crossing the tunnel (IPv4 value; IPv6 gets 20 less):
 *                           {@link #MSS_OFF}, {@link #MSS_AUTO} (follows the tunnel MTU, learned path MTU
 *                           included) or a fixed 536..8960
 */
public record GreTunnelSpec(
        String name,
        int local,
        int remote,
        OptionalInt inputKey,
        OptionalInt outputKey,
        boolean sequence,
        boolean checksum,
        int ttl,
        int tos,
        DfMode df,
        int mtu,
        Duration keepaliveInterval,
        int keepaliveRetries,
        int mssClamp) {

    public static final int TTL_INHERIT = 0;
    public static final int TOS_INHERIT = -1;
    public static final int MTU_AUTO = 0;
    public static final int MSS_OFF = 0;
    /** Clamp to the tunnel MTU less 40 (IPv4) or 60 (IPv6) bytes of IP and TCP header. */
    public static final int MSS_AUTO = -1;
    /** Smallest fixed MSS: every IPv4 host takes 576-byte packets (RFC 879). */
    public static final int MIN_MSS = 536;
    /** Fixed TTL by default: RFC 2784 leaves it open; 64 is what most stacks use. */
    public static final int DEFAULT_TTL = 64;
    public static final int DEFAULT_KEEPALIVE_RETRIES = 3;
    /** The IPv4 minimum (RFC 791: every host accepts 576, every link carries 68). */
    public static final int MIN_MTU = 68;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,15}");

    public GreTunnelSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(inputKey, "inputKey");
        Objects.requireNonNull(outputKey, "outputKey");
        Objects.requireNonNull(df, "df");
        Objects.requireNonNull(keepaliveInterval, "keepaliveInterval");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("tunnel name \"" + name + "\": 1 to 15 of A-Z a-z 0-9 _ . -");
        }
        checkUnicast("local", local);
        checkUnicast("remote", remote);
        if (local == remote) {
            throw new IllegalArgumentException("tunnel " + name + ": local and remote are both "
                    + Ipv4Address.format(local));
        }
        if (ttl < 0 || ttl > 255) {
            throw new IllegalArgumentException("tunnel " + name + ": ttl " + ttl + " outside 1..255 (0 = inherit)");
        }
        if (tos < TOS_INHERIT || tos > 255) {
            throw new IllegalArgumentException("tunnel " + name + ": tos " + tos + " outside 0..255 (-1 = inherit)");
        }
        if (mtu != MTU_AUTO && (mtu < MIN_MTU || mtu > 65535)) {
            throw new IllegalArgumentException("tunnel " + name + ": mtu " + mtu + " outside "
                    + MIN_MTU + "..65535 (0 = auto)");
        }
        if (mssClamp != MSS_OFF && mssClamp != MSS_AUTO && (mssClamp < MIN_MSS || mssClamp > 65495)) {
            throw new IllegalArgumentException("tunnel " + name + ": mss clamp " + mssClamp + " outside "
                    + MIN_MSS + "..65495 (0 = off, -1 = auto)");
        }
        if (keepaliveInterval.isNegative()) {
            throw new IllegalArgumentException("tunnel " + name + ": negative keepalive interval " + keepaliveInterval);
        }
        if (!keepaliveInterval.isZero() && keepaliveInterval.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("tunnel " + name + ": keepalive interval " + keepaliveInterval
                    + " below 100 ms");
        }
        if (keepaliveRetries < 1 || keepaliveRetries > 255) {
            throw new IllegalArgumentException("tunnel " + name + ": keepalive retries " + keepaliveRetries
                    + " outside 1..255");
        }
    }

    private static void checkUnicast(String what, int a) {
        int top = a >>> 24;
        if (a == 0 || a == -1 || top == 0 || top == 127 || (top & 0xF0) == 0xE0) {
            throw new IllegalArgumentException(what + " " + Ipv4Address.format(a)
                    + " is not a unicast underlay address");
        }
    }

    /** A tunnel with the defaults: no key, no sequence numbers, no checksum, TTL 64, TOS and DF
     * inherited, automatic MTU, keepalives off, MSS clamping on. */
    public static GreTunnelSpec of(String name, int local, int remote) {
        return new GreTunnelSpec(name, local, remote, OptionalInt.empty(), OptionalInt.empty(), false, false,
                DEFAULT_TTL, TOS_INHERIT, DfMode.INHERIT, MTU_AUTO, Duration.ZERO, DEFAULT_KEEPALIVE_RETRIES, MSS_AUTO);
    }

    /** The same key both ways (Linux {@code key}). */
    public GreTunnelSpec withKey(int key) {
        return withKeys(OptionalInt.of(key), OptionalInt.of(key));
    }

    /** Separate input and output keys (Linux {@code ikey} / {@code okey}); empty means none. */
    public GreTunnelSpec withKeys(OptionalInt in, OptionalInt out) {
        return new GreTunnelSpec(name, local, remote, in, out, sequence, checksum, ttl, tos, df, mtu,
                keepaliveInterval, keepaliveRetries, mssClamp);
    }

    public GreTunnelSpec withSequence(boolean on) {
        return new GreTunnelSpec(name, local, remote, inputKey, outputKey, on, checksum, ttl, tos, df, mtu,
                keepaliveInterval, keepaliveRetries, mssClamp);
    }

    public GreTunnelSpec withChecksum(boolean on) {
        return new GreTunnelSpec(name, local, remote, inputKey, outputKey, sequence, on, ttl, tos, df, mtu,
                keepaliveInterval, keepaliveRetries, mssClamp);
    }

    public GreTunnelSpec withTtl(int newTtl) {
        return new GreTunnelSpec(name, local, remote, inputKey, outputKey, sequence, checksum, newTtl, tos, df, mtu,
                keepaliveInterval, keepaliveRetries, mssClamp);
    }

    public GreTunnelSpec withTos(int newTos) {
        return new GreTunnelSpec(name, local, remote, inputKey, outputKey, sequence, checksum, ttl, newTos, df, mtu,
                keepaliveInterval, keepaliveRetries, mssClamp);
    }

    public GreTunnelSpec withDf(DfMode mode) {
        return new GreTunnelSpec(name, local, remote, inputKey, outputKey, sequence, checksum, ttl, tos, mode, mtu,
                keepaliveInterval, keepaliveRetries, mssClamp);
    }

    public GreTunnelSpec withMtu(int newMtu) {
        return new GreTunnelSpec(name, local, remote, inputKey, outputKey, sequence, checksum, ttl, tos, df, newMtu,
                keepaliveInterval, keepaliveRetries, mssClamp);
    }

    public GreTunnelSpec withKeepalive(Duration interval, int retries) {
        return new GreTunnelSpec(name, local, remote, inputKey, outputKey, sequence, checksum, ttl, tos, df, mtu,
                interval, retries, mssClamp);
    }

    /** Clamping on (to fit the tunnel MTU) or off. */
    public GreTunnelSpec withMssClamp(boolean on) {
        return withMssClamp(on ? MSS_AUTO : MSS_OFF);
    }

    /** {@link #MSS_OFF}, {@link #MSS_AUTO} or a fixed IPv4 MSS. */
    public GreTunnelSpec withMssClamp(int mss) {
        return new GreTunnelSpec(name, local, remote, inputKey, outputKey, sequence, checksum, ttl, tos, df, mtu,
                keepaliveInterval, keepaliveRetries, mss);
    }

    /** GRE flags (C, K, S) of the packets this tunnel sends. */
    public int sendFlags() {
        return (checksum ? Gre.C : 0) | (outputKey.isPresent() ? Gre.K : 0) | (sequence ? Gre.S : 0);
    }

    /** Bytes added in front of an inner packet: delivery IPv4 header plus GRE header with its options. */
    public int overhead() {
        return Ipv4.HEADER + Gre.headerLength(sendFlags());
    }

    /** MTU for inner packets over an underlay of {@code underlayMtu}: the configured one if it fits. */
    public int effectiveMtu(int underlayMtu) {
        int fits = underlayMtu - overhead();
        return mtu == MTU_AUTO ? fits : Math.min(mtu, fits);
    }

    public boolean keepaliveEnabled() {
        return !keepaliveInterval.isZero();
    }
}
