package io.tunnelbox.router;

import static io.tunnelbox.router.RaRb.HOST_A;
import static io.tunnelbox.router.RaRb.HOST_B;
import static io.tunnelbox.router.TestPackets.seg;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tunnelbox.packet.Icmp4;
import io.tunnelbox.packet.Ipv4;
import java.lang.foreign.MemorySegment;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The delivery header follows the tunnel's TTL, TOS and DF settings. */
class OuterHeaderTest {

    private static MemorySegment deliveryOf(UnaryOperator<GreTunnelSpec> tweak, int innerTos, int innerTtl,
                                            boolean innerDf) {
        RaRb s = new RaRb(1500, tweak);
        byte[] p = TestPackets.echo4(HOST_A, HOST_B, Icmp4.ECHO_REQUEST, 1, 1, 56, innerDf);
        p[1] = (byte) innerTos;
        p[8] = (byte) innerTtl;
        Ipv4.fillChecksum(seg(p), 0);
        s.hostA.sendBytes(p);
        s.net.settle();
        assertEquals(1, s.hostB.drain().size());
        return seg(s.wan.captured().get(0));
    }

    @Test
    void shouldInheritTosAndDfAndUseTtl64ByDefault() {
        MemorySegment d = deliveryOf(t -> t, 0x2E << 2, 30, true);
        assertEquals(0x2E << 2, Ipv4.tos(d, 0), "DSCP EF of the inner packet shows on the outside");
        assertEquals(64, Ipv4.ttl(d, 0));
        assertEquals(Ipv4.DF, Ipv4.flagsFragment(d, 0));
        assertEquals(0, Ipv4.flagsFragment(deliveryOf(t -> t, 0, 30, false), 0));
    }

    @Test
    void shouldUseAFixedTosAndInheritTheTtlWhenToldTo() {
        MemorySegment d = deliveryOf(t -> t.withTos(0x10).withTtl(GreTunnelSpec.TTL_INHERIT), 0x28, 30, true);
        assertEquals(0x10, Ipv4.tos(d, 0));
        assertEquals(29, Ipv4.ttl(d, 0), "the inner TTL after this router's own hop");
    }

    @Test
    void shouldSetOrClearDfRegardlessOfTheInnerPacket() {
        assertEquals(Ipv4.DF, Ipv4.flagsFragment(deliveryOf(t -> t.withDf(DfMode.SET), 0, 64, false), 0));
        assertEquals(0, Ipv4.flagsFragment(deliveryOf(t -> t.withDf(DfMode.CLEAR), 0, 64, true), 0));
    }
}
