package io.tunnelbox.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The lab without root: both scenarios in memory, real hosts answering ARP and ping. */
class SimLabTest {

    @Test
    void shouldPassTheInMemoryLabAndShowTheWanAndTheTables() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int code;
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            code = new SimLab(out).run();
        }
        String text = buffer.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        assertTrue(text.contains("SIM LAB PASSED"), text);
        assertTrue(text.contains("198.51.100.1 > 203.0.113.1 GRE key 0x1388 seq 1 | 192.168.1.1 > 192.168.2.1 ICMP echo-request"), text);
        assertTrue(text.contains("VXLAN vni 5000 | 02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff ARP who-has 10.0.0.2"), text);
        assertTrue(text.contains("table=21"), "the flow dump is shown: " + text);
    }
}
