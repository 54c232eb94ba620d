package io.tunnelbox.hal.offload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tunnelbox.hal.linux.Ip;
import io.tunnelbox.hal.linux.NetNamespace;
import io.tunnelbox.hal.linux.TapPort;
import io.tunnelbox.hal.port.PacketBatch;
import io.tunnelbox.hal.testing.PcapFile;
import io.tunnelbox.hal.testing.Requirements;

/**
 * Our segmentation against the kernel's own (root; namespaces {@code tbl-gso-<pid>} and
 * {@code tbl-gsp-<pid>}). A TCP super-frame is cut by {@link TcpSegmenter}; the segments go to a
 * TAP with coalescing on, so the port hands the kernel one GSO frame; the kernel forwards it out
 * of a veth with TSO and GSO off, which makes it segment the frame itself, and tcpdump on the far
 * end captures what it put on the wire. Every segment must equal ours in every header field and
 * byte of payload, except the TTL (hop limit) and IPv4 header checksum that forwarding changes.
 */
class KernelSegmentationTest {
    static final String TAP = "tblgso0", VETH_A = "tblgv0", VETH_B = "tblgv1";
    private static final long PID = ProcessHandle.current().pid();
    private static final String A = "tbl-gso-" + PID, B = "tbl-gsp-" + PID;
    private static TapPort tap;
    private static NetNamespace inA;

    @BeforeAll
    static void topology() {
        Requirements.root();
        Requirements.tool("ip");
        Requirements.tool("tcpdump");
        Requirements.tool("ethtool");
        Ip.deleteNamespace(A);
        Ip.deleteNamespace(B);
        Ip.addNamespace(A);
        Ip.addNamespace(B);
        inA = NetNamespace.named(A);
        tap = inA.call(() -> TapPort.open(TAP, 1500, new Offloads(false, true, false, false)));
        Ip a = Ip.in(A), b = Ip.in(B);
        a.run("link", "set", TAP, "up");
        a.run("addr", "add", "10.97.0.1/24", "dev", TAP);
        a.run("addr", "add", "fd97::1/124", "dev", TAP, "nodad");
        a.run("link", "add", VETH_A, "type", "veth", "peer", "name", VETH_B, "netns", B);
        a.run("addr", "add", "10.97.1.1/24", "dev", VETH_A);
        a.run("addr", "add", "fd97::11/124", "dev", VETH_A, "nodad");
        b.run("addr", "add", "10.97.1.2/24", "dev", VETH_B);
        b.run("addr", "add", "fd97::12/124", "dev", VETH_B, "nodad");
        a.run("link", "set", VETH_A, "up");
        b.run("link", "set", VETH_B, "up");
        // Software segmentation with complete checksums (veth would leave them open otherwise).
        assertTrue(a.exec("ethtool", "-K", VETH_A, "tso", "off", "gso", "off", "tx", "off").ok(), "ethtool -K");
        assertTrue(a.exec("sysctl", "-qw", "net.ipv4.ip_forward=1").ok());
        assertTrue(a.exec("sysctl", "-qw", "net.ipv6.conf.all.forwarding=1").ok());
        // Learn the far end's MAC before the frames come (neighbour resolution would queue them).
        a.exec("ping", "-c", "1", "-W", "2", "10.97.1.2");
        a.exec("ping", "-6", "-c", "1", "-W", "2", "fd97::12");
    }

    @AfterAll
    static void cleanUp() {
        if (tap != null) {
            tap.close();
        }
        if (inA != null) {
            inA.close();
        }
        Ip.deleteNamespace(A);
        Ip.deleteNamespace(B);
    }

    @Test
    void shouldSegmentAnIpv4SuperFrameAsTheKernelDoes() throws Exception {
        compare(false, 5000, 1448);
    }

    @Test
    void shouldSegmentAnIpv6SuperFrameAsTheKernelDoes() throws Exception {
        compare(true, 4321, 1428);
    }

    private void compare(boolean v6, int length, int mss) throws Exception {
        long tapMac = tap.mac();
        SuperFrames.Tcp t = new SuperFrames.Tcp(v6, true, 0x2345, 0x7fff_f000, 99, 0x18, 1000,
                SuperFrames.timestamps(11, 22), SuperFrames.payload(length, mss));
        byte[] frame = SuperFrames.build(t, true);
        // To the TAP's own MAC, so the kernel takes the frame in and routes it.
        for (int k = 0; k < 6; k++) {
            frame[k] = (byte) (tapMac >>> (40 - 8 * k));
        }
        TcpSegmenter segmenter = new TcpSegmenter();
        assertTrue(segmenter.load(MemorySegment.ofArray(frame), 0, frame.length, 14,
                v6 ? VnetHeader.GSO_TCPV6 : VnetHeader.GSO_TCPV4, mss));
        PacketBatch ours = PacketBatch.allocate();
        segmenter.emit(ours);
        int n = ours.count();
        assertEquals((length + mss - 1) / mss, n);

        Path pcap = Files.createTempFile("tbl-gso", ".pcap");
        Process dump = new ProcessBuilder("ip", "netns", "exec", B, "tcpdump", "-i", VETH_B, "-Q", "in", "-U", "-n", "-w",
                pcap.toString(), "tcp port 5201").redirectErrorStream(true).start();
        try {
            Thread.sleep(1500); // tcpdump attaches
            int[] slots = new int[n];
            Arrays.setAll(slots, k -> k);
            long before = tap.counters().txPackets();
            assertEquals(n, tap.send(ours, slots, n));
            assertEquals(before + n, tap.counters().txPackets());
            List<byte[]> wire = List.of();
            for (int round = 0; round < 50 && wire.size() < n; round++) {
                Thread.sleep(100);
                wire = PcapFile.packets(pcap);
            }
            assertEquals(n, wire.size(), "segments the kernel put on the wire");
            int l3 = 14;
            for (int k = 0; k < n; k++) {
                byte[] mine = ours.toArray(k);
                byte[] theirs = wire.get(k);
                assertEquals(mine.length, theirs.length, "length of segment " + k);
                byte[] a = Arrays.copyOfRange(mine, l3, mine.length);
                byte[] b = Arrays.copyOfRange(theirs, l3, theirs.length);
                assertTrue(SuperFrames.checksumsValid(theirs, l3, v6), "the kernel's checksums, segment " + k);
                if (v6) {
                    assertEquals((a[7] & 0xff) - 1, b[7] & 0xff, "hop limit decremented by forwarding");
                    a[7] = b[7];
                } else {
                    assertEquals((a[8] & 0xff) - 1, b[8] & 0xff, "TTL decremented by forwarding");
                    a[8] = b[8];
                    a[10] = b[10];
                    a[11] = b[11];
                }
                assertArrayEquals(a, b, "segment " + k + " (IP header, TCP header and checksum, payload)");
            }
        } finally {
            dump.destroy();
            dump.waitFor(5, TimeUnit.SECONDS);
            Files.deleteIfExists(pcap);
        }
    }
}
