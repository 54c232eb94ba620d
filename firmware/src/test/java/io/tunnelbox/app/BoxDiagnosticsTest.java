package io.tunnelbox.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.config.Config;
import io.tunnelbox.config.ConfigParser;
import org.junit.jupiter.api.Test;

class BoxDiagnosticsTest {
    static final Config CONFIG = ConfigParser.parse("""
            { "tunnels": [ { "name": "to-b", "remote": "203.0.113.1", "key": 5 } ],
              "segments": [
                { "name": "office", "id": 5000, "flood": { "peers": ["192.0.2.2", "192.0.2.3"] } },
                { "name": "voice", "id": 5001, "vlan": 20, "flood": { "group": "239.1.1.1" }, "allow": ["192.0.2.5", "198.51.100.0/24"] },
                { "name": "lab", "transport": "gre", "id": 7, "vlan": 30, "flood": { "peers": ["192.0.2.9"] } } ] }
            """).config();

    static {
        if (CONFIG == null) {
            throw new IllegalStateException("the test configuration is invalid");
        }
    }

    @Test
    void shouldCaptureATunnelsGrePacketsToAndFromItsRemote() {
        assertEquals("ip proto 47 and host 203.0.113.1", BoxDiagnostics.filter(CONFIG, "to-b").orElseThrow());
    }

    @Test
    void shouldCaptureASegmentsOuterPacketsByTransportAndPeers() {
        assertEquals("udp port 4789 and ( host 192.0.2.2 or host 192.0.2.3 )", BoxDiagnostics.filter(CONFIG, "office").orElseThrow());
        assertEquals("udp port 4789 and ( host 239.1.1.1 or host 192.0.2.5 or net 198.51.100.0/24 )", BoxDiagnostics.filter(CONFIG, "voice").orElseThrow());
        assertEquals("ip proto 47 and ( host 192.0.2.9 )", BoxDiagnostics.filter(CONFIG, "lab").orElseThrow());
        assertTrue(BoxDiagnostics.filter(CONFIG, "nothing").isEmpty());
    }
}
