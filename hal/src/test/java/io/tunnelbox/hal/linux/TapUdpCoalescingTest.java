package io.tunnelbox.hal.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.tunnelbox.hal.offload.Offloads;
import io.tunnelbox.hal.port.PacketBatch;
import io.tunnelbox.hal.testing.Requirements;

/**
 * A run of UDP datagrams written to a TAP device as one super-frame (coalescing on) reaches a
 * socket behind the device as the very same datagrams, in order, the short last one included, while
 * the device counts one received packet per run.
 */
class TapUdpCoalescingTest {

    /** Ethernet + IPv4 (DF, id) + UDP 10.79.0.2:4000 -> 10.79.0.1:5201 with a correct checksum. */
    private static byte[] frame(long dstMac, int id, byte[] payload) {
        ByteBuffer f = ByteBuffer.allocate(42 + payload.length);
        f.putShort((short) (dstMac >>> 32)).putInt((int) dstMac);
        f.putShort((short) 0x0200).putInt(0x00007902).putShort((short) 0x0800);
        f.put((byte) 0x45).put((byte) 0).putShort((short) (28 + payload.length)).putShort((short) id)
                .putShort((short) 0x4000).put((byte) 64).put((byte) 17).putShort((short) 0)
                .putInt(TestPackets.ipv4("10.79.0.2")).putInt(TestPackets.ipv4("10.79.0.1"));
        f.putShort((short) 4000).putShort((short) 5201).putShort((short) (8 + payload.length)).putShort((short) 0);
        f.put(payload);
        byte[] b = f.array();
        putChecksum(b, 24, sum(b, 14, 20, 0));
        long pseudo = (TestPackets.ipv4("10.79.0.2") >>> 16) + (TestPackets.ipv4("10.79.0.2") & 0xffff)
                + (TestPackets.ipv4("10.79.0.1") >>> 16) + (TestPackets.ipv4("10.79.0.1") & 0xffff) + 17 + 8 + payload.length;
        putChecksum(b, 40, sum(b, 34, 8 + payload.length, pseudo));
        return b;
    }

    private static int sum(byte[] b, int off, int len, long start) {
        long s = start;
        for (int i = 0; i < len; i += 2) {
            s += ((b[off + i] & 0xff) << 8) | (i + 1 < len ? b[off + i + 1] & 0xff : 0);
        }
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return ~(int) s & 0xffff;
    }

    private static void putChecksum(byte[] b, int at, int c) {
        b[at] = (byte) (c >>> 8);
        b[at + 1] = (byte) c;
    }

    private static long rxPackets(String ns, String device) {
        Ip.Result r = Ip.in(ns).exec("cat", "/sys/class/net/" + device + "/statistics/rx_packets");
        assertTrue(r.ok(), r.stderr());
        return Long.parseLong(r.stdout().strip());
    }

    @Test
    void shouldDeliverARunWrittenAsOneSuperFrameAsTheSameDatagrams() throws Exception {
        Requirements.root();
        Requirements.tool("ip");
        try (Namespaces namespaces = new Namespaces()) {
            String ns = namespaces.add("udpgro");
            NetNamespace netns = namespaces.enter(ns);
            try (TapPort tap = netns.call(() -> TapPort.open("tbludp0", 1500, Offloads.ALL.withoutUdp()));
                    DatagramSocket socket = netns.call(() -> new DatagramSocket(null))) {
                assertTrue(tap.offloads().coalescing(), "the TAP took virtio-net headers");
                // The probe for UDP super-frames (USO for TUN/TAP came in Linux 6.2) answers as the kernel is.
                int[] version = Arrays.stream(System.getProperty("os.version").split("[.-]")).limit(2).mapToInt(Integer::parseInt).toArray();
                boolean uso = version[0] > 6 || (version[0] == 6 && version[1] >= 2);
                assertEquals(uso, tap.coalescesUdp(), "kernel " + System.getProperty("os.version"));
                Assumptions.assumeTrue(uso, "this kernel takes no UDP super-frames: datagrams go one by one (checked above)");
                Ip.in(ns).run("addr", "add", "10.79.0.1/24", "dev", "tbludp0");
                Ip.in(ns).run("neigh", "add", "10.79.0.2", "lladdr", "02:00:00:00:79:02", "dev", "tbludp0");
                tap.setUp(true);
                socket.bind(new InetSocketAddress("10.79.0.1", 5201));
                socket.setSoTimeout(5000);
                long rxBefore = rxPackets(ns, "tbludp0");

                byte[][] payloads = new byte[11][];
                PacketBatch batch = PacketBatch.allocate();
                for (int k = 0; k < payloads.length; k++) {
                    payloads[k] = new byte[k < 10 ? 64 : 17];
                    Arrays.fill(payloads[k], (byte) ('a' + k));
                    batch.add(frame(tap.mac(), 65530 + k, payloads[k])); // the id wraps inside the run
                }
                int[] slots = new int[batch.count()];
                Arrays.setAll(slots, k -> k);
                assertEquals(11, tap.send(batch, slots, slots.length));

                byte[] buffer = new byte[2048];
                for (byte[] expected : payloads) {
                    DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                    socket.receive(p);
                    assertArrayEquals(expected, Arrays.copyOf(p.getData(), p.getLength()));
                    assertEquals(4000, p.getPort());
                }
                assertEquals(1, rxPackets(ns, "tbludp0") - rxBefore, "one write, one packet for the device");
            }
        }
    }
}
