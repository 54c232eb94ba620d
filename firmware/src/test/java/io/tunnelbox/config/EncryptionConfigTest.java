package io.tunnelbox.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 15's configuration: {@code encryption} on tunnels and segments, its checks and its secrecy. */
class EncryptionConfigTest {
    static final String KEY = "correct-horse-battery-staple-42";

    static String config(String tunnelEncryption, String segmentEncryption, String flood) {
        return """
                {
                  "interfaces": { "wan": { "address": "198.51.100.1/24" } },
                  "tunnels": [ { "name": "gre1", "remote": "198.51.100.2" %s } ],
                  "segments": [ { "name": "s1", "id": 5000, "flood": %s %s } ]
                }
                """.formatted(tunnelEncryption.isEmpty() ? "" : ", \"encryption\": " + tunnelEncryption,
                flood, segmentEncryption.isEmpty() ? "" : ", \"encryption\": " + segmentEncryption);
    }

    static final String PEERS = "{ \"peers\": [\"198.51.100.2\"] }";
    static final String PSK = "{ \"psk\": \"" + KEY + "\" }";

    static List<String> errors(String text) {
        return ConfigParser.parse(text).errors().stream().map(ConfigError::toString).toList();
    }

    @Test
    void shouldParseAPreSharedKeyOnATunnelAndASegmentAndWriteItBack() {
        ParseResult r = ConfigParser.parse(config(PSK, PSK, PEERS));
        assertTrue(r.ok(), r.errors().toString());
        Config c = r.config();
        assertEquals(KEY, c.tunnels().getFirst().encryption().orElseThrow().psk());
        assertEquals("psk", c.segments().getFirst().encryption().orElseThrow().method());
        assertEquals(c, ConfigParser.parse(ConfigJson.toText(c)).config(), "the canonical tree keeps encryption");
    }

    @Test
    void shouldHideTheKeyInEveryRedactedCopy() {
        Config c = ConfigParser.parse(config(PSK, PSK, PEERS)).config();
        String shown = ConfigJson.toText(ConfigRedaction.redact(c));
        assertFalse(shown.contains(KEY), shown);
        assertTrue(shown.contains("\"psk\" : \"" + ConfigRedaction.HIDDEN + "\""), shown);
        assertTrue(ConfigRedaction.isSecret("psk"));
    }

    @Test
    void shouldKeepTheKeyOutOfEveryToString() {
        Config c = ConfigParser.parse(config(PSK, PSK, PEERS)).config();
        for (Object o : List.of(c, c.tunnels().getFirst(), c.segments().getFirst(), c.tunnels().getFirst().encryption().orElseThrow())) {
            String text = o.toString();
            assertFalse(text.contains(KEY), text);
        }
        assertTrue(c.tunnels().getFirst().encryption().orElseThrow().toString().contains("psk=" + ConfigRedaction.HIDDEN));
    }

    @Test
    void shouldRefuseAShortKeyWithoutRepeatingIt() {
        List<String> e = errors(config("{ \"psk\": \"short-secret\" }", "", PEERS));
        assertEquals(1, e.size(), e.toString());
        assertTrue(e.getFirst().startsWith("tunnels[0].encryption.psk: must be 20 to 256 characters long (this one has 12)"),
                e.toString());
        assertFalse(e.getFirst().contains("short-secret"), e.toString());
    }

    @Test
    void shouldRefuseSpacesInAKey() {
        List<String> e = errors(config("{ \"psk\": \"a key with spaces in it, long\" }", "", PEERS));
        assertEquals(List.of("tunnels[0].encryption.psk: may hold printable ASCII characters only (no spaces or control characters)"), e);
    }

    @Test
    void shouldAskForAKeyOrACa() {
        List<String> e = errors(config("{ }", "", PEERS));
        assertEquals(1, e.size(), e.toString());
        assertTrue(e.getFirst().startsWith("tunnels[0].encryption.psk: missing: give \"psk\""), e.toString());
        assertTrue(errors(config("{ \"psk\": \"" + KEY + "\", \"ca\": \"-----BEGIN CERTIFICATE-----\" }", "", PEERS))
                .getFirst().contains("not both"));
        assertEquals(List.of("tunnels[0].encryption.ca: is not a PEM certificate (\"-----BEGIN CERTIFICATE-----...\")"),
                errors(config("{ \"ca\": \"hello\" }", "", PEERS)));
    }

    @Test
    void shouldRefuseEncryptionOnAGroupSegment() {
        List<String> e = errors(config("", PSK, "{ \"group\": \"239.1.1.1\" }, \"allow\": [\"198.51.100.0/24\"]"));
        assertEquals(List.of("segments[0].encryption: needs flood mode \"peers\": IKE protects traffic to each listed"
                + " peer, a multicast group has none"), e);
    }

    @Test
    void shouldRefuseTwoKeysForOnePeer() {
        List<String> e = errors(config(PSK, "{ \"psk\": \"another-key-of-twenty-chars\" }", PEERS));
        assertEquals(List.of("segments[0].encryption: differs from tunnels[0].encryption, also to 198.51.100.2: a peer"
                + " has one IKE SA, so everything to it uses the same key or CA"), e);
        assertFalse(e.getFirst().contains(KEY));
    }

    @Test
    void shouldRefuseClearGreBesideEncryptedGreToTheSamePeer() {
        String text = """
                {
                  "interfaces": { "wan": { "address": "198.51.100.1/24" } },
                  "tunnels": [ { "name": "gre1", "remote": "198.51.100.2", "encryption": %s } ],
                  "segments": [ { "name": "eo", "transport": "gre", "id": 7, "flood": %s } ]
                }
                """.formatted(PSK, PEERS);
        assertEquals(List.of("segments[0].encryption: missing: tunnels[0] encrypts GRE to 198.51.100.2, and one IPsec"
                + " policy covers all GRE to a peer (encrypt both or neither)"), errors(text));
        // VXLAN in clear beside an encrypted GRE tunnel is fine: different protocols, different policies.
        assertTrue(errors(config(PSK, "", PEERS)).isEmpty());
    }

    @Test
    void shouldSubtractEspFromTheTunnelMtu() {
        Config plain = ConfigParser.parse(config("", "", PEERS)).config();
        Config encrypted = ConfigParser.parse(config(PSK, "", PEERS)).config();
        assertEquals(1476, plain.tunnels().getFirst().effectiveMtu(1500));
        // 1500 - 34 (ESP: SPI, sequence, IV, ICV, trailer, padded to 4) - 20 - 4 (GRE)
        assertEquals(1466, EspOverhead.innerMtu(1500));
        assertEquals(1442, encrypted.tunnels().getFirst().effectiveMtu(1500));
        assertEquals(1402, encrypted.tunnels().getFirst().effectiveMss(1500));
        List<String> e = errors(config("{ \"psk\": \"" + KEY + "\" }, \"mtu\": 1476", "", PEERS));
        assertEquals(List.of("tunnels[0].mtu: 1476 is out of range: the WAN's MTU 1500 carries at most 1442 (58 bytes of outer headers)"), e);
    }

    @Test
    void shouldTreatFalseAsNoEncryption() {
        ParseResult r = ConfigParser.parse(config("false", "", PEERS));
        assertTrue(r.ok());
        assertTrue(r.config().tunnels().getFirst().encryption().isEmpty());
        assertNull(ConfigParser.parse(config("\"" + KEY + "\"", "", PEERS)).config());
        assertFalse(errors(config("\"" + KEY + "\"", "", PEERS)).toString().contains(KEY));
    }
}
