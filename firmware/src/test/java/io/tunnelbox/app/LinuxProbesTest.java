package io.tunnelbox.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tunnelbox.config.ApplyResult;
import io.tunnelbox.config.ConfigService;
import io.tunnelbox.config.ConfigStore;
import io.tunnelbox.console.Probes;
import io.tunnelbox.hal.testing.Requirements;
import io.tunnelbox.hal.time.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading iputils' ping output (Debian 12's iputils 20221126) into one probe's answer. */
class LinuxProbesTest {
    @TempDir
    Path dir;

    @Test
    void shouldPingTheLoopbackThroughTheRealPingTool() throws Exception {
        Requirements.tool("ping");
        ManualClock clock = new ManualClock();
        ConfigService service = new ConfigService(new ConfigStore(dir, 5, clock), (a, b) -> ApplyResult.OK, clock);
        LinuxProbes probes = new LinuxProbes(service, new LinuxDataplane("lo", "lo", io.tunnelbox.hal.offload.Offloads.ALL));
        Probes.Reply r = probes.echo(new Probes.Request("127.0.0.1", Probes.Source.WAN, 56, true, 64, Duration.ofSeconds(2)));
        assertEquals(Probes.Kind.ECHO_REPLY, r.kind(), r.toString());
        assertEquals("127.0.0.1", r.from());
    }

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
