package io.tunnelbox.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.packet.Ipv4Prefix;
import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class GreTunnelSpecTest {
    static final int RA = io.tunnelbox.packet.Ipv4Address.parse("198.51.100.1");
    static final int RB = io.tunnelbox.packet.Ipv4Address.parse("203.0.113.1");

    @Test
    void shouldHaveTheDocumentedDefaults() {
        GreTunnelSpec s = GreTunnelSpec.of("tun0", RA, RB);
        assertEquals(OptionalInt.empty(), s.inputKey());
        assertEquals(GreTunnelSpec.DEFAULT_TTL, s.ttl());
        assertEquals(GreTunnelSpec.TOS_INHERIT, s.tos());
        assertEquals(DfMode.INHERIT, s.df());
        assertEquals(GreTunnelSpec.MSS_AUTO, s.mssClamp());
        assertEquals(24, s.overhead());
        assertEquals(1476, s.effectiveMtu(1500));
    }

    @Test
    void shouldCountOnlyTheOptionsInUseInTheOverhead() {
        GreTunnelSpec s = GreTunnelSpec.of("tun0", RA, RB).withKey(5000).withSequence(true).withChecksum(true);
        assertEquals(36, s.overhead());
        assertEquals(1464, s.effectiveMtu(1500));
        assertEquals(0xB000, s.sendFlags());
        // an input key alone does not grow what we send
        GreTunnelSpec inOnly = GreTunnelSpec.of("tun0", RA, RB).withKeys(OptionalInt.of(1), OptionalInt.empty());
        assertEquals(24, inOnly.overhead());
    }

    @Test
    void shouldUseAConfiguredMtuOnlyWhereItFits() {
        assertEquals(1400, GreTunnelSpec.of("t", RA, RB).withMtu(1400).effectiveMtu(1500));
        assertEquals(1476, GreTunnelSpec.of("t", RA, RB).withMtu(9000).effectiveMtu(1500));
    }

    @Test
    void shouldRejectNonsenseWithTheFieldNamed() {
        assertEquals("tunnel t: ttl 256 outside 1..255 (0 = inherit)",
                assertThrows(IllegalArgumentException.class, () -> GreTunnelSpec.of("t", RA, RB).withTtl(256)).getMessage());
        assertEquals("remote 224.0.0.5 is not a unicast underlay address",
                assertThrows(IllegalArgumentException.class,
                        () -> GreTunnelSpec.of("t", RA, io.tunnelbox.packet.Ipv4Address.parse("224.0.0.5"))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> GreTunnelSpec.of("t", RA, RA));
        assertThrows(IllegalArgumentException.class, () -> GreTunnelSpec.of("a name too long!", RA, RB));
        assertThrows(IllegalArgumentException.class, () -> GreTunnelSpec.of("t", RA, RB).withMtu(40));
        assertThrows(IllegalArgumentException.class, () -> GreTunnelSpec.of("t", RA, RB).withTos(300));
        assertThrows(IllegalArgumentException.class,
                () -> GreTunnelSpec.of("t", RA, RB).withKeepalive(Duration.ofSeconds(10), 0));
        assertThrows(IllegalArgumentException.class,
                () -> GreTunnelSpec.of("t", RA, RB).withKeepalive(Duration.ofMillis(1), 3));
    }
}
