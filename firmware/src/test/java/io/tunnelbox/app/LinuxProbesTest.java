package io.tunnelbox.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tunnelbox.console.Probes;
import org.junit.jupiter.api.Test;

/** Reading iputils' ping output (Debian 12's iputils 20221126) into one probe's answer. */
class LinuxProbesTest {
    @Test
    void shouldReadAnEchoReplyWithItsTime() {
        Probes.Reply r = LinuxProbes.parse("""
                PING 192.168.2.1 (192.168.2.1) from 192.168.1.254 : 56(84) bytes of data.
                64 bytes from 192.168.2.1: icmp_seq=1 ttl=63 time=0.412 ms

                --- 192.168.2.1 ping statistics ---
                1 packets transmitted, 1 received, 0% packet loss, time 0ms
                """);
        assertEquals(new Probes.Reply(Probes.Kind.ECHO_REPLY, "192.168.2.1", 412, ""), r);
    }

    @Test
    void shouldReadATimeExceededAsATracerouteHop() {
        Probes.Reply r = LinuxProbes.parse("""
                PING 192.168.2.1 (192.168.2.1) 56(84) bytes of data.
                From 192.168.1.254 icmp_seq=1 Time to live exceeded
                """);
        assertEquals(Probes.Kind.TIME_EXCEEDED, r.kind());
        assertEquals("192.168.1.254", r.from());
    }

    @Test
    void shouldReadFragmentationNeededAndErrors() {
        Probes.Reply r = LinuxProbes.parse("From 192.168.1.254 icmp_seq=1 Frag needed and DF set (mtu = 1468)\n");
        assertEquals(Probes.Kind.FRAGMENTATION_NEEDED, r.kind());
        assertEquals("Frag needed and DF set (mtu = 1468)", r.detail());
        assertEquals(Probes.Kind.ERROR, LinuxProbes.parse("ping: connect: Network is unreachable\n").kind());
        assertEquals(Probes.Kind.TIMEOUT, LinuxProbes.parse("1 packets transmitted, 0 received, 100% packet loss\n").kind());
    }
}
