package io.tunnelbox.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.hal.testing.Requirements;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code tunnelbox lab --faults} as CI runs it (root): every fault injected into a running box
 * heals by itself within the stated time, nothing is lost from the configuration history, and
 * nothing is left behind.
 */
class LabFaultsTest {
    @Test
    void shouldRecoverFromEveryInjectedFaultByItself() {
        Requirements.root();
        for (String tool : List.of("ip", "ping", "mount", "tshark", "iperf3", "ethtool", "bridge", "nft", "python3")) {
            Requirements.tool(tool);
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int code;
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            code = new Lab(out).faults();
        }
        String text = buffer.toString(StandardCharsets.UTF_8);
        System.out.println(text);
        for (String check : List.of("an idle control client blocks nobody",
                "the TUN device is re-created with its routes", "WAN NIC deleted and re-created",
                "a stray history file is set aside", "on a read-only state directory RB forwards",
                "disk full during a commit", "accepts its configuration and its tunnel waits",
                "the tunnel comes up by itself when the WAN address arrives",
                "a new WAN address re-sources RB's tunnel",
                "a tunnel whose remote is a DNS name nobody knows yet waits for DNS",
                "the tunnel starts when RA's name resolves", "RA's name moves: RB's tunnel and firewall follow it",
                "RA's name back at RA: traffic follows it",
                "a stranger's VXLAN into the head-end and the group segment is dropped and counted",
                "a stranger's Ethernet over GRE and GRE into the router's tunnel are dropped and counted",
                "a stranger's packets to be routed into the tunnel or onto the LAN are dropped and counted",
                "nothing a stranger sent reached host B's LAN")) {
            assertTrue(text.lines().anyMatch(l -> l.contains("PASS") && l.contains(check)), "missing: " + check + "\n" + text);
        }
        assertEquals(0, code, text);
        assertTrue(text.contains("FAULT TABLE"), text);
        assertEquals(List.of(), LabTopology.existing(), "lab namespaces left behind");
    }
}
