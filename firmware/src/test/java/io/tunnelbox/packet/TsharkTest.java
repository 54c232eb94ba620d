package io.tunnelbox.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.hal.testing.Requirements;
import io.tunnelbox.packet.pcap.LinkType;
import io.tunnelbox.packet.pcap.PcapWriter;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Wireshark's dissectors, an independent implementation, read our encoder's GRE and VXLAN output. */
class TsharkTest {
    static final int SITE_A = 0xCB007101; // 203.0.113.1
    static final int SITE_B = 0xC6336401; // 198.51.100.1
    static final String[] FIELDS = {
        "ip.src", "ip.dst", "ip.ttl", "ip.flags.df", "ip.checksum.status", "gre.flags.checksum", "gre.flags.key",
        "gre.flags.sequence_number", "gre.flags.version", "gre.proto", "gre.key", "gre.sequence_number",
        "gre.checksum.status", "udp.srcport", "udp.dstport", "udp.length", "vxlan.flags", "vxlan.vni", "eth.dst",
        "eth.src", "arp.opcode", "arp.dst.proto_ipv4", "icmp.type", "icmp.checksum.status", "_ws.malformed",
        "_ws.expert.severity",
    };

    @Test
    void shouldBeDissectedByTsharkAsWritten(@TempDir Path dir) throws Exception {
        Requirements.tool("tshark");
        List<byte[]> packets = new ArrayList<>();

        MemorySegment a = TestFrames.buffer(64);
        int arp = TestFrames.arpBroadcast(a);
        packets.add(bytes(a, Encapsulation.greIpv4(a, TestFrames.HEADROOM, arp, Gre.C | Gre.K | Gre.S, EtherType.TEB,
                0x1388, 7, SITE_A, SITE_B, 0, 64, 1, Ipv4.DF)));

        MemorySegment b = TestFrames.buffer(100);
        int echo = TestFrames.icmpEcho(b, TestFrames.HEADROOM, 56);
        packets.add(bytes(b, Encapsulation.greIpv4(b, TestFrames.HEADROOM, echo, 0, EtherType.IPV4, 0, 0,
                SITE_A, SITE_B, 0, 255, 2, 0)));

        MemorySegment c = TestFrames.buffer(64);
        int arp2 = TestFrames.arpBroadcast(c);
        int port = Vxlan.sourcePort(FlowHash.of(c, TestFrames.HEADROOM, arp2));
        packets.add(bytes(c, Encapsulation.vxlanIpv4(c, TestFrames.HEADROOM, arp2, 0x1388, port, Vxlan.PORT,
                SITE_A, SITE_B, 0, 64, 3, Ipv4.DF)));

        MemorySegment d = TestFrames.buffer(1400);
        int frame = TestFrames.udpFrame(d, 1400);
        packets.add(bytes(d, Encapsulation.vxlanIpv4(d, TestFrames.HEADROOM, frame, 0xFFFFFF, 65535, Vxlan.PORT,
                SITE_A, SITE_B, 0, 64, 4, 0)));

        Path file = dir.resolve("encap.pcap");
        try (PcapWriter writer = PcapWriter.create(file, LinkType.RAW)) {
            for (int i = 0; i < packets.size(); i++) {
                writer.write(i * 1_000_000L, packets.get(i));
            }
        }
        List<String[]> rows = tshark(file);
        assertEquals(4, rows.size());

        // Checksum status 1 is "good" (0 bad, 2 unverified).
        // GRE with checksum, key and sequence carrying an ARP broadcast (the seed's GRE key 0x1388 / 0x6558 case).
        assertRow(rows.get(0), "ip.src", "203.0.113.1", "ip.dst", "198.51.100.1", "ip.ttl", "64", "ip.flags.df", "1",
                "ip.checksum.status", "1", "gre.flags.checksum", "1", "gre.flags.key", "1", "gre.flags.sequence_number", "1",
                "gre.flags.version", "0", "gre.proto", "0x6558", "gre.key", "0x00001388", "gre.sequence_number", "7",
                "gre.checksum.status", "1", "eth.dst", "ff:ff:ff:ff:ff:ff", "eth.src", "02:00:00:00:00:01",
                "arp.opcode", "1", "arp.dst.proto_ipv4", "10.1.1.2");
        // Plain GRE carrying the seed's ICMP echo.
        assertRow(rows.get(1), "ip.src", "203.0.113.1,192.168.1.1", "ip.ttl", "255,64", "gre.flags.key", "0",
                "gre.proto", "0x0800", "icmp.type", "8", "icmp.checksum.status", "1");
        // VXLAN VNI 0x1388 carrying an ARP broadcast, source port from the flow hash.
        assertRow(rows.get(2), "udp.srcport", Integer.toString(port), "udp.dstport", "4789", "udp.length", "58",
                "vxlan.flags", "0x0800", "vxlan.vni", "5000", "eth.dst", "ff:ff:ff:ff:ff:ff", "arp.opcode", "1");
        // VXLAN with the largest VNI carrying a 1400-byte frame.
        assertRow(rows.get(3), "ip.checksum.status", "1,1", "udp.srcport", "65535,1000", "udp.length", "1416,1366",
                "vxlan.vni", "16777215", "eth.src", "02:00:00:00:00:01");
        for (String[] row : rows) {
            assertEquals("", row[index("_ws.malformed")], "tshark found a malformed packet");
            assertTrue(row[index("_ws.expert.severity")].isEmpty(), "tshark expert info: " + String.join("|", row));
        }
    }

    private static byte[] bytes(MemorySegment seg, long outer) {
        return seg.asSlice(outer, Ipv4.totalLength(seg, outer)).toArray(ValueLayout.JAVA_BYTE);
    }

    private static List<String[]> tshark(Path file) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString(),
                "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
                "-T", "fields", "-E", "separator=|", "-E", "occurrence=a", "-E", "aggregator=,"));
        for (String field : FIELDS) {
            command.add("-e");
            command.add(field);
        }
        Path errors = file.resolveSibling("tshark.err");
        Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "tshark did not finish");
        assertEquals(0, process.exitValue(), () -> "tshark failed: " + readQuietly(errors));
        List<String[]> rows = new ArrayList<>();
        for (String line : new String(out, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                rows.add(line.split("\\|", -1));
            }
        }
        return rows;
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static void assertRow(String[] row, String... fieldValuePairs) {
        for (int i = 0; i < fieldValuePairs.length; i += 2) {
            assertEquals(fieldValuePairs[i + 1], row[index(fieldValuePairs[i])], fieldValuePairs[i]);
        }
    }

    private static int index(String field) {
        for (int i = 0; i < FIELDS.length; i++) {
            if (FIELDS[i].equals(field)) {
                return i;
            }
        }
        throw new IllegalArgumentException(field);
    }
}
