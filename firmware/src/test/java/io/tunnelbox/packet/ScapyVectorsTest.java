package io.tunnelbox.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tunnelbox.packet.pcap.LinkType;
import io.tunnelbox.packet.pcap.PcapReader;
import io.tunnelbox.packet.pcap.PcapRecord;
import io.tunnelbox.packet.pcap.PcapWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Our readers and writers against scapy: the vectors under src/test/resources/vectors were made by
 * src/test/scapy/make_vectors.py, which stores the fields scapy dissects from each packet. Scapy is not
 * needed to run this test.
 */
class ScapyVectorsTest {
    static final List<JsonNode> VECTORS = load();
    static final long BASE_TIME_NANOS = 1_700_000_000L * 1_000_000_000L;

    static List<JsonNode> load() {
        try (InputStream in = ScapyVectorsTest.class.getResourceAsStream("/vectors/vectors.json")) {
            List<JsonNode> list = new ArrayList<>();
            new ObjectMapper().readTree(in).forEach(list::add);
            return list;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(JsonNode v) {
        return HexFormat.of().parseHex(v.get("hex").asText());
    }

    static Dissector dissect(JsonNode v, MemorySegment seg) {
        return v.get("link").asText().equals("ether") ? Dissector.ether(seg) : Dissector.ip(seg);
    }

    @Test
    void shouldHaveEnoughVectorsIncludingTheSeedExamples() {
        long malformed = VECTORS.stream().filter(v -> !v.get("reason").asText().equals("ok")).count();
        assertTrue(VECTORS.size() - malformed >= 40, "valid vectors: " + (VECTORS.size() - malformed));
        assertTrue(malformed >= 10, "malformed vectors: " + malformed);
        List<String> names = VECTORS.stream().map(v -> v.get("name").asText()).toList();
        assertTrue(names.containsAll(List.of("seed-gre-icmp-echo", "seed-gre-key-arp-broadcast", "seed-vxlan-arp-broadcast")));
    }

    @TestFactory
    Stream<DynamicTest> shouldReadEveryFieldAsScapyDoes() {
        return VECTORS.stream().map(v -> DynamicTest.dynamicTest(v.get("name").asText(), () -> {
            Dissector d = dissect(v, MemorySegment.ofArray(bytes(v)));
            assertEquals(v.get("reason").asText(), Reason.name(d.reason));
            if (d.reason == Reason.OK) {
                assertEquals(expected(v.get("fields")), normalized(d.fields));
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> shouldWriteByteIdenticalHeadersFromScapyFields() {
        return VECTORS.stream().filter(v -> v.get("reason").asText().equals("ok"))
                .map(v -> DynamicTest.dynamicTest(v.get("name").asText(), () -> {
                    byte[] original = bytes(v);
                    MemorySegment seg = MemorySegment.ofArray(original.clone());
                    List<Dissector.Layer> layers = dissect(v, seg).layers;
                    JsonNode f = v.get("fields");
                    // Innermost first: outer checksums cover what the inner writers produced.
                    for (int i = layers.size() - 1; i >= 0; i--) {
                        rewrite(seg, layers.get(i), f);
                    }
                    assertEquals(HexFormat.of().formatHex(original), HexFormat.of().formatHex(seg.toArray(ValueLayout.JAVA_BYTE)));
                }));
    }

    @TestFactory
    Stream<DynamicTest> shouldClampMssToScapysBytes() {
        return VECTORS.stream().filter(v -> v.has("clamp1200"))
                .map(v -> DynamicTest.dynamicTest(v.get("name").asText(), () -> {
                    MemorySegment seg = MemorySegment.ofArray(bytes(v));
                    Dissector d = dissect(v, seg);
                    Dissector.Layer tcp = d.layers.stream().filter(l -> l.kind().equals("tcp")).findFirst().orElseThrow();
                    assertTrue(Tcp.clampMss(seg, tcp.ipOff(), tcp.off(), tcp.len(), 1200, false));
                    // Any GRE checksum above covers the TCP segment: refill it as an encapsulating router would.
                    for (Dissector.Layer l : d.layers) {
                        if (l.kind().equals("gre") && Gre.hasChecksum(seg, l.off())) {
                            Gre.fillChecksum(seg, l.off(), (int) l.len());
                        }
                    }
                    assertEquals(v.get("clamp1200").asText(), HexFormat.of().formatHex(seg.toArray(ValueLayout.JAVA_BYTE)));
                }));
    }

    @Test
    void shouldReadScapysPcapFiles() throws IOException {
        for (String link : List.of("ip", "ether")) {
            List<JsonNode> expected = VECTORS.stream().filter(v -> v.get("link").asText().equals(link)).toList();
            try (PcapReader reader = new PcapReader(getClass().getResourceAsStream("/vectors/vectors-" + link + ".pcap"))) {
                assertEquals(link.equals("ip") ? LinkType.RAW : LinkType.ETHERNET, reader.linkType());
                for (int i = 0; i < expected.size(); i++) {
                    PcapRecord record = reader.next();
                    assertNotNull(record, "record " + i);
                    assertEquals(BASE_TIME_NANOS + i * 1_000_000_000L, record.timestampNanos());
                    assertArrayEquals(bytes(expected.get(i)), record.data(), expected.get(i).get("name").asText());
                }
                assertNull(reader.next());
            }
        }
    }

    @Test
    void shouldWritePcapFilesByteIdenticalToScapys() throws IOException {
        for (String link : List.of("ip", "ether")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (PcapWriter writer = new PcapWriter(out, link.equals("ip") ? LinkType.RAW : LinkType.ETHERNET)) {
                int i = 0;
                for (JsonNode v : VECTORS) {
                    if (v.get("link").asText().equals(link)) {
                        writer.write(BASE_TIME_NANOS + i++ * 1_000_000_000L, bytes(v));
                    }
                }
            }
            try (InputStream scapy = getClass().getResourceAsStream("/vectors/vectors-" + link + ".pcap")) {
                assertArrayEquals(scapy.readAllBytes(), out.toByteArray(), link);
            }
        }
    }

    /** Rewrites one header with our writer from scapy's field values, after spoiling its bytes. */
    private static void rewrite(MemorySegment seg, Dissector.Layer layer, JsonNode f) {
        String p = layer.prefix();
        long off = layer.off();
        int len = (int) layer.len();
        switch (layer.kind()) {
            case "eth" -> {
                boolean tagged = f.has(p + "vlan.vid");
                spoil(seg, off, tagged ? 18 : 14);
                long dst = MacAddress.parse(f.get(p + "eth.dst").asText());
                long src = MacAddress.parse(f.get(p + "eth.src").asText());
                if (tagged) {
                    Ethernet.write(seg, off + Vlan.HEADER, dst, src, f.get(p + "vlan.type").asInt());
                    long tagged0 = Ethernet.pushVlan(seg, off + Vlan.HEADER, f.get(p + "vlan.vid").asInt());
                    Vlan.setPcp(seg, tagged0, f.get(p + "vlan.pcp").asInt());
                } else {
                    Ethernet.write(seg, off, dst, src, f.get(p + "eth.type").asInt());
                }
            }
            case "ip" -> {
                spoil(seg, off, Ipv4.HEADER);
                Ipv4.write(seg, off, f.get(p + "ip.tos").asInt(), f.get(p + "ip.len").asInt(), f.get(p + "ip.id").asInt(),
                        f.get(p + "ip.flags").asInt() << 13 | f.get(p + "ip.frag").asInt(), f.get(p + "ip.ttl").asInt(),
                        f.get(p + "ip.proto").asInt(), Ipv4Address.parse(f.get(p + "ip.src").asText()),
                        Ipv4Address.parse(f.get(p + "ip.dst").asText()));
                int ihl = f.get(p + "ip.ihl").asInt();
                if (ihl != 5) { // options follow the 20 bytes we wrote; they are left as they are
                    Wire.put8(seg, off, 0x40 | ihl);
                    Ipv4.fillChecksum(seg, off);
                }
            }
            case "ip6" -> {
                spoil(seg, off, Ipv6.HEADER);
                String s = f.get(p + "ip6.src").asText();
                String d = f.get(p + "ip6.dst").asText();
                Ipv6.write(seg, off, f.get(p + "ip6.tc").asInt(), f.get(p + "ip6.fl").asInt(), f.get(p + "ip6.plen").asInt(),
                        f.get(p + "ip6.nh").asInt(), f.get(p + "ip6.hlim").asInt(), half(s, 0), half(s, 16), half(d, 0), half(d, 16));
            }
            case "udp", "udp6" -> {
                spoil(seg, off, Udp.HEADER);
                Udp.write(seg, off, f.get(p + "udp.sport").asInt(), f.get(p + "udp.dport").asInt(), f.get(p + "udp.len").asInt(), 0);
                if (f.get(p + "udp.chksum").asInt() != 0) {
                    if (layer.kind().equals("udp6")) {
                        Udp.fillChecksum6(seg, layer.ipOff(), off);
                    } else {
                        Udp.fillChecksum4(seg, layer.ipOff(), off);
                    }
                }
            }
            case "gre" -> {
                int flags = (f.get(p + "gre.c").asInt() != 0 ? Gre.C : 0) | (f.get(p + "gre.k").asInt() != 0 ? Gre.K : 0)
                        | (f.get(p + "gre.s").asInt() != 0 ? Gre.S : 0);
                spoil(seg, off, Gre.headerLength(flags));
                Gre.write(seg, off, flags, f.get(p + "gre.proto").asInt(),
                        (int) f.path(p + "gre.key").asLong(), (int) f.path(p + "gre.seq").asLong());
                if ((flags & Gre.C) != 0) {
                    Gre.fillChecksum(seg, off, len);
                }
            }
            case "vxlan" -> {
                spoil(seg, off, Vxlan.HEADER);
                Vxlan.write(seg, off, f.get(p + "vxlan.vni").asInt());
            }
            case "icmp" -> {
                spoil(seg, off, Icmp4.HEADER);
                int type = f.get(p + "icmp.type").asInt();
                if (type == Icmp4.ECHO_REQUEST || type == Icmp4.ECHO_REPLY) {
                    Icmp4.writeEcho(seg, off, type, f.get(p + "icmp.id").asInt(), f.get(p + "icmp.seq").asInt(), len);
                } else {
                    Icmp4.writeError(seg, off, type, f.get(p + "icmp.code").asInt(), f.path(p + "icmp.nexthopmtu").asInt(),
                            seg, off + Icmp4.HEADER, len - Icmp4.HEADER);
                }
            }
            case "icmp6" -> {
                spoil(seg, off, Icmp6.HEADER);
                int type = f.get(p + "icmp6.type").asInt();
                if (type == Icmp6.PACKET_TOO_BIG) {
                    Icmp6.writePacketTooBig(seg, layer.ipOff(), off, f.get(p + "icmp6.mtu").asInt(),
                            seg, off + Icmp6.HEADER, len - Icmp6.HEADER);
                } else {
                    Icmp6.writeEcho(seg, layer.ipOff(), off, type, f.get(p + "icmp6.id").asInt(), f.get(p + "icmp6.seq").asInt(), len);
                }
            }
            case "arp" -> {
                spoil(seg, off, Arp.HEADER);
                Arp.write(seg, off, f.get(p + "arp.op").asInt(), MacAddress.parse(f.get(p + "arp.hwsrc").asText()),
                        Ipv4Address.parse(f.get(p + "arp.psrc").asText()), MacAddress.parse(f.get(p + "arp.hwdst").asText()),
                        Ipv4Address.parse(f.get(p + "arp.pdst").asText()));
            }
            case "tcp" -> { } // we only rewrite the MSS option of TCP, checked by shouldClampMssToScapysBytes
            default -> throw new AssertionError("no writer for " + layer.kind());
        }
    }

    /** Fills a header with a pattern so a field the writer forgets shows up as a difference. */
    private static void spoil(MemorySegment seg, long off, int len) {
        seg.asSlice(off, len).fill((byte) 0xA5);
    }

    private static long half(String hex, int from) {
        return Long.parseUnsignedLong(hex.substring(from, from + 16), 16);
    }

    private static Map<String, Object> expected(JsonNode fields) {
        Map<String, Object> map = new TreeMap<>();
        fields.properties().forEach(e -> map.put(e.getKey(), e.getValue().isNumber() ? (Object) e.getValue().asLong() : e.getValue().asText()));
        return map;
    }

    private static Map<String, Object> normalized(Map<String, Object> fields) {
        Map<String, Object> map = new TreeMap<>();
        fields.forEach((k, v) -> map.put(k, v instanceof Number n ? (Object) n.longValue() : v));
        return map;
    }
}
