package io.tunnelbox.ipsec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.config.EncryptionConfig;
import io.tunnelbox.packet.Ipv4Address;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code swanctl --list-sas --raw} as strongSwan 5.9.8 prints it, read into a peer's state. */
class SaListingTest {
    static final String RAW = "list-sa event {tbx-198-51-100-2 {uniqueid=3 version=2 state=ESTABLISHED"
            + " local-host=198.51.100.1 local-port=500 local-id=198.51.100.1 remote-host=198.51.100.2 remote-port=500"
            + " remote-id=198.51.100.2 initiator=yes initiator-spi=1a2b3c4d5e6f7081 responder-spi=9f8e7d6c5b4a3921"
            + " encr-alg=AES_GCM_16 encr-keysize=256 prf-alg=PRF_HMAC_SHA2_384 dh-group=CURVE_25519 established=42"
            + " rekey-time=13907 child-sas {tunnels-5 {name=tunnels uniqueid=5 reqid=1 state=INSTALLED mode=TRANSPORT"
            + " protocol=ESP spi-in=c1b7c0c4 spi-out=cd8fa7d5 encr-alg=AES_GCM_16 encr-keysize=256 bytes-in=1344"
            + " packets-in=12 use-in=1 bytes-out=1400 packets-out=13 use-out=1 rekey-time=3302 life-time=3920"
            + " install-time=40 local-ts=[198.51.100.1/32] remote-ts=[198.51.100.2/32]}}}}\n"
            + "list-sa event {tbx-198-51-100-3 {uniqueid=4 version=2 state=CONNECTING local-host=198.51.100.1"
            + " remote-host=198.51.100.3 child-sas {}}}\n"
            + "list-sas reply {}\n";

    @Test
    void shouldReadIkeAndChildSas() {
        Map<String, Map<String, Object>> sas = SaListing.ikeSas(RAW);
        assertEquals(List.of("tbx-198-51-100-2", "tbx-198-51-100-3"), List.copyOf(sas.keySet()));
        Map<String, Object> ike = sas.get("tbx-198-51-100-2");
        assertEquals("ESTABLISHED", ike.get("state"));
        @SuppressWarnings("unchecked")
        Map<String, Object> child = (Map<String, Object>) ((Map<String, Object>) ike.get("child-sas")).get("tunnels-5");
        assertEquals("INSTALLED", child.get("state"));
        assertEquals(List.of("198.51.100.2/32"), child.get("remote-ts"));
    }

    @Test
    void shouldTurnAListingIntoAPeersState() {
        StrongSwan s = new StrongSwan(Path.of("/nonexistent"), Path.of("/nonexistent"), new Proposals(true), false);
        PeerPlan up = new PeerPlan(Ipv4Address.parseOrZero("198.51.100.2"), EncryptionConfig.psk("x".repeat(20)), true, 4789,
                List.of("gre1", "office"));
        PeerPlan connecting = new PeerPlan(Ipv4Address.parseOrZero("198.51.100.3"), EncryptionConfig.psk("x".repeat(20)),
                true, 0, List.of("gre2"));
        s.show(RAW, Ipv4Address.parseOrZero("198.51.100.1"), List.of(up, connecting));
        PeerState a = s.state(up);
        assertTrue(a.up(), a.toString());
        assertEquals("AES_GCM_16-256/PRF_HMAC_SHA2_384/CURVE_25519", a.ike());
        assertEquals("AES_GCM_16-256", a.esp());
        assertEquals(1344, a.bytesIn());
        assertEquals(13, a.packetsOut());
        assertEquals(42, a.establishedSeconds());
        assertEquals(40, a.lastRekeySeconds());
        assertEquals("198.51.100.2", a.peerIdentity());
        PeerState b = s.state(connecting);
        assertEquals("down", b.state());
        assertEquals(PeerState.NO_SA, b.reason());
    }

    @Test
    void shouldSkipTextItDoesNotKnow() {
        assertEquals(Map.of(), SaListing.ikeSas("plugin 'x': failed to load\nlist-sa event {\n"));
        assertEquals(List.of("a"), List.copyOf(SaListing.ikeSas("list-sa event {a {state=ESTABLISHED x=[1 2 }}").keySet()));
    }
}
