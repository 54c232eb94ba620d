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
 * The interop checks of the real lab, run as CI runs them (root, iproute2, tshark, iperf3): two
 * TunnelBox processes as RA and RB, two TunnelBox VTEPs and the kernel's vxlan device, real
 * packets through namespaces, iperf3 both ways, restarts and WAN flaps; nothing left behind.
 */
class LabTest {

    @Test
    void shouldPassEveryInteropCheckAndLeaveNothingBehind() {
        Requirements.root();
        for (String tool : List.of("ip", "bridge", "ping", "tshark", "iperf3")) {
            Requirements.tool(tool);
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int code;
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            code = new Lab(out).run(false, false, false, true);
        }
        String text = buffer.toString(StandardCharsets.UTF_8);
        System.out.println(text);
        assertEquals(0, code, text);
        assertTrue(text.contains("LAB PASSED"), text);
        for (String check : List.of("iperf3 TCP through GRE (reverse direction)",
                "traffic resumes after RB restarts", "traffic resumes after RB's WAN link goes down and up",
                "traffic resumes after RB's WAN address is removed and added back",
                "exactly once each (head-end)", "exactly once each (multicast)",
                "iperf3 TCP through VXLAN, TunnelBox to the kernel VTEP (reverse direction)",
                "fragmentation needed")) {
            assertTrue(text.lines().anyMatch(l -> l.contains("PASS") && l.contains(check)), "missing: " + check);
        }
        assertEquals(List.of(), LabTopology.existing(), "lab namespaces left behind");
    }
}
