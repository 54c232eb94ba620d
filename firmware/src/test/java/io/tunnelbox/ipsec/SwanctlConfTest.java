package io.tunnelbox.ipsec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.config.Config;
import io.tunnelbox.config.ConfigParser;
import io.tunnelbox.packet.Ipv4Address;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the box tells strongSwan: one connection per peer, children for exactly GRE and VXLAN. */
class SwanctlConfTest {
    static final String KEY = "a-key-\"with}{quotes=and#hash";
    static final Config CONFIG = ConfigParser.parse("""
            {
              "interfaces": { "wan": { "address": "198.51.100.1/24" } },
              "tunnels": [ { "name": "gre1", "remote": "198.51.100.2", "encryption": { "psk": "%1$s" } },
                           { "name": "gre2", "remote": "198.51.100.3" } ],
              "segments": [ { "name": "s1", "id": 5000, "flood": { "peers": ["198.51.100.2", "198.51.100.4"] },
                              "encryption": { "psk": "%1$s" } },
                            { "name": "s2", "id": 5001, "vlan": 2, "flood": { "peers": ["198.51.100.3"] } } ]
            }
            """.formatted(KEY.replace("\"", "\\\""))).config();
    static final int LOCAL = Ipv4Address.parseOrZero("198.51.100.1");

    @Test
    void shouldPlanOnePeerPerAddressWithTheChildrenItNeeds() {
        List<PeerPlan> plan = PeerPlan.of(CONFIG);
        assertEquals(2, plan.size(), plan.toString());
        PeerPlan both = plan.get(0);
        assertEquals("198.51.100.2", both.remoteText());
        assertTrue(both.gre());
        assertEquals(4789, both.vxlanPort());
        assertEquals(List.of("gre1", "s1"), both.users());
        PeerPlan vxlanOnly = plan.get(1);
        assertEquals("198.51.100.4", vxlanOnly.remoteText());
        assertFalse(vxlanOnly.gre());
        assertEquals("tbx-198-51-100-4", vxlanOnly.connection());
    }

    @Test
    void shouldWriteOneTrappedTransportModeChildBetweenTheWanAddresses() {
        String conf = SwanctlConf.connections(PeerPlan.of(CONFIG), LOCAL, new Proposals(true), "");
        assertTrue(conf.contains("""
                  tbx-198-51-100-2 {
                    version = 2
                    local_addrs = 198.51.100.1
                    remote_addrs = 198.51.100.2
                    proposals = aes256gcm16-prfsha384-x25519,chacha20poly1305-prfsha256-x25519
                """), conf);
        assertTrue(conf.contains("""
                      tunnels {
                        mode = transport
                        local_ts = dynamic
                        remote_ts = dynamic
                        esp_proposals = aes256gcm16-x25519,chacha20poly1305-x25519
                """), conf);
        assertTrue(conf.contains("dpd_delay = 10s"), conf);
        assertTrue(conf.contains("start_action = trap"), conf);
        assertFalse(conf.contains("198.51.100.3"), "a peer in clear text gets no connection:\n" + conf);
        assertFalse(conf.contains("with}{quotes"), "the key is in the secrets file only:\n" + conf);
        assertTrue(conf.contains("include " + SwanctlConf.SECRETS_FILE), conf);
    }

    @Test
    void shouldEncodeTheKeySoNoCharacterBreaksTheSyntax() {
        String secrets = SwanctlConf.secrets(PeerPlan.of(CONFIG), LOCAL);
        String b64 = Base64.getEncoder().encodeToString(KEY.getBytes(StandardCharsets.US_ASCII));
        assertTrue(secrets.contains("ike-tbx-198-51-100-2 {\n  id-1 = 198.51.100.1\n  id-2 = 198.51.100.2\n  secret = 0s"
                + b64 + "\n}\n"), secrets);
        assertFalse(secrets.contains(KEY), secrets);
    }

    @Test
    void shouldOfferChachaFirstWithoutAesInstructions() {
        Proposals pi4 = Proposals.forCpuInfo("""
                processor	: 0
                BogoMIPS	: 108.00
                Features	: fp asimd evtstrm crc32 cpuid
                CPU implementer	: 0x41
                """);
        assertFalse(pi4.aesFirst());
        assertTrue(pi4.esp().startsWith("chacha20poly1305-x25519,"), pi4.esp());
        assertTrue(pi4.ike().endsWith("aes256gcm16-prfsha384-x25519"), pi4.ike());
        assertTrue(Proposals.forCpuInfo("Features\t: fp asimd aes pmull sha1 sha2 crc32\n").aesFirst());
        assertTrue(Proposals.forCpuInfo("flags\t\t: fpu vme sse2 aes avx\n").aesFirst());
        assertFalse(Proposals.forCpuInfo("flags\t\t: fpu vme sse2 vaes_not avx\n").aesFirst());
    }

    @Test
    void shouldNameTheCaAndPeerIdentityWithCertificates() {
        Config c = ConfigParser.parse("""
                {
                  "interfaces": { "wan": { "address": "198.51.100.1/24" } },
                  "tunnels": [ { "name": "gre1", "remote": "198.51.100.2",
                                 "encryption": { "ca": "-----BEGIN CERTIFICATE-----\\nMII\\n-----END CERTIFICATE-----\\n",
                                                 "peerId": "CN=branch-b" } } ]
                }
                """).config();
        String conf = SwanctlConf.connections(PeerPlan.of(c), LOCAL, new Proposals(true), "box-cert.pem");
        assertTrue(conf.contains("auth = pubkey\n      certs = box-cert.pem"), conf);
        assertTrue(conf.contains("cacerts = tbx-198-51-100-2.pem\n      id = \"CN=branch-b\""), conf);
        assertEquals("", SwanctlConf.secrets(PeerPlan.of(c), LOCAL));
    }

    @Test
    void shouldEscapeABackslashInThePeerIdentitySoItCannotEndTheQuotedString() {
        // strongSwan's settings lexer reads \" inside a quoted string as a quote and \<newline> as a
        // line merge: a peerId ending in a backslash would run the string on into the lines after it.
        Config c = ConfigParser.parse("""
                {
                  "interfaces": { "wan": { "address": "198.51.100.1/24" } },
                  "tunnels": [ { "name": "gre1", "remote": "198.51.100.2",
                                 "encryption": { "ca": "-----BEGIN CERTIFICATE-----\\nMII\\n-----END CERTIFICATE-----\\n",
                                                 "peerId": "CN=Doe\\\\, John\\\\" } } ]
                }
                """).config();
        assertEquals("CN=Doe\\, John\\", c.tunnels().getFirst().encryption().orElseThrow().peerId());
        String conf = SwanctlConf.connections(PeerPlan.of(c), LOCAL, new Proposals(true), "box-cert.pem");
        assertTrue(conf.contains("      id = \"CN=Doe\\\\, John\\\\\"\n    }\n"), conf);
    }
}
