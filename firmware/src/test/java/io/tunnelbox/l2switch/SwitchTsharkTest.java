package io.tunnelbox.l2switch;

import static io.tunnelbox.l2switch.Frames.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.engine.SimNetwork;
import io.tunnelbox.hal.port.memory.MemoryWan;
import io.tunnelbox.hal.testing.Requirements;
import io.tunnelbox.hal.time.ManualClock;
import io.tunnelbox.packet.pcap.LinkType;
import io.tunnelbox.packet.pcap.PcapWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The switch's delivery packets read by an independent decoder: tshark must see VXLAN (VNI) and
 * Ethernet-over-GRE (key, protocol 0x6558) with the right inner frames, and nothing malformed.
 */
class SwitchTsharkTest {
    static final long HOST_A = 0x02_aa_00_00_00_01L;
    static final long HOST_B = 0x02_bb_00_00_00_01L;

    @TempDir
    Path dir;

    @Test
    void shouldEncapsulateSoThatTsharkDecodesVxlanAndEthernetOverGre() throws Exception {
        Requirements.tool("tshark");
        ManualClock clock = new ManualClock();
        MemoryWan underlay = new MemoryWan();
        SimNetwork net = new SimNetwork(clock);
        Box a = new Box("a", "198.51.100.1", underlay, clock);
        Box b = new Box("b", "203.0.113.1", underlay, clock);
        a.segment(SegmentSpec.headEnd(Transport.GRE, 0x1388, 10, List.of(b.address)));
        a.segment(SegmentSpec.headEnd(Transport.VXLAN, 7000, 20, List.of(b.address)));
        b.segment(SegmentSpec.headEnd(Transport.GRE, 0x1388, 10, List.of(a.address)));
        b.segment(SegmentSpec.headEnd(Transport.VXLAN, 7000, 20, List.of(a.address)));
        net.add(a.sw).add(b.sw);

        a.send(Frames.arpRequest(HOST_A, ip("172.16.0.1"), ip("172.16.0.2"), 10));
        net.settle();
        b.send(Frames.arpReply(HOST_B, ip("172.16.0.2"), HOST_A, ip("172.16.0.1"), 10));
        net.settle();
        a.send(Frames.ping(HOST_B, HOST_A, ip("172.17.0.1"), ip("172.17.0.2"), 20, 1000));
        net.settle();
        List<byte[]> wire = underlay.captured();
        assertEquals(3, wire.size());

        Path file = dir.resolve("switch.pcap");
        try (PcapWriter w = PcapWriter.create(file, LinkType.RAW)) {
            for (byte[] p : wire) {
                w.write(0, p);
            }
        }
        List<String[]> rows = tshark(file, "ip.src", "ip.dst", "gre.key", "gre.proto", "vxlan.vni", "eth.src",
                "eth.dst", "arp.opcode", "icmp.type", "_ws.malformed");
        assertEquals(3, rows.size());
        assertRow(rows.get(0), "198.51.100.1", "203.0.113.1", "0x00001388", "0x6558", "", "02:aa:00:00:00:01",
                "ff:ff:ff:ff:ff:ff", "1", "");
        assertRow(rows.get(1), "203.0.113.1", "198.51.100.1", "0x00001388", "0x6558", "", "02:bb:00:00:00:01",
                "02:aa:00:00:00:01", "2", "");
        assertRow(rows.get(2), "198.51.100.1", "203.0.113.1", "", "", "7000", "02:aa:00:00:00:01",
                "02:bb:00:00:00:01", "", "8");
    }

    private static void assertRow(String[] row, String... expected) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], row[i], "field " + i + " of " + String.join("|", row));
        }
        assertEquals("", row[expected.length], "tshark found a malformed packet: " + String.join("|", row));
    }

    private List<String[]> tshark(Path file, String... fields) throws Exception {
        List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString(), "-T", "fields",
                "-E", "separator=|", "-E", "occurrence=f"));
        for (String f : fields) {
            command.add("-e");
            command.add(f);
        }
        Path errors = dir.resolve("tshark.err");
        Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "tshark did not finish");
        assertEquals(0, process.exitValue(), () -> "tshark failed: " + readQuietly(errors));
        List<String[]> rows = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                rows.add(line.split("\\|", -1));
            }
        }
        return rows;
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return e.getMessage();
        }
    }
}
