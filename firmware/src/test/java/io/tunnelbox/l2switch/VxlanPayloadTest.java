package io.tunnelbox.l2switch;

import static io.tunnelbox.l2switch.Frames.ip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.hal.port.PacketBatch;
import io.tunnelbox.hal.port.PacketPort;
import io.tunnelbox.hal.port.PortCounters;
import io.tunnelbox.hal.port.memory.MemoryPort;
import io.tunnelbox.hal.time.ManualClock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The switch takes VXLAN from a port that hands over what a UDP socket delivers (the VXLAN header
 * and the inner frame, the sender as metadata), as the Linux VXLAN port does: no outer headers.
 */
class VxlanPayloadTest {
    static final int VNI = 5000;
    static final int LOCAL = ip("192.0.2.1");
    static final int PEER = ip("192.0.2.2");
    static final int STRANGER = ip("192.0.2.99");
    static final long HOST = 0x02_00_00_00_00_01L;
    static final long FAR = 0x02_00_00_00_00_02L;

    /** A UDP-payload port: datagrams queued with their sender; sends are kept as whole packets. */
    static final class DatagramPort implements PacketPort {
        record Datagram(byte[] payload, int peer, int peerPort) {
        }

        final ArrayDeque<Datagram> inbox = new ArrayDeque<>();
        final List<byte[]> sent = new ArrayList<>();
        final PortCounters counters = new PortCounters();

        @Override
        public String name() {
            return "vxlan";
        }

        @Override
        public Layer layer() {
            return Layer.UDP_PAYLOAD;
        }

        @Override
        public int mtu() {
            return 1500;
        }

        @Override
        public int receive(PacketBatch batch) {
            int n = 0;
            while (!inbox.isEmpty() && !batch.isFull()) {
                Datagram d = inbox.poll();
                int i = batch.add(d.payload());
                batch.peer(i, d.peer());
                batch.peerPort(i, d.peerPort());
                n++;
            }
            return n;
        }

        @Override
        public boolean awaitReadable(long timeoutNanos) {
            return !inbox.isEmpty();
        }

        @Override
        public int send(PacketBatch batch, int[] slots, int n) {
            for (int k = 0; k < n; k++) {
                sent.add(batch.toArray(slots[k]));
            }
            return n;
        }

        @Override
        public PortCounters counters() {
            return counters;
        }

        @Override
        public void close() {
        }
    }

    final ManualClock clock = new ManualClock();
    final DatagramPort wan = new DatagramPort();
    final MemoryPort lan = new MemoryPort("lan", PacketPort.Layer.ETHERNET, 1500);
    final MemoryPort host = new MemoryPort("host", PacketPort.Layer.ETHERNET, 1500);
    SwitchDatapath sw;

    @BeforeEach
    void box() {
        MemoryPort.wire(lan, host);
        sw = new SwitchDatapath("box", clock, LOCAL, lan, wan, null, 1000);
        sw.addSegment(SegmentSpec.headEnd(Transport.VXLAN, VNI, 100, List.of(PEER)).withUntagged(true));
        sw.poll();
    }

    /** The UDP payload of a VXLAN packet: what the socket hands over. */
    static byte[] payload(byte[] delivery) {
        return Arrays.copyOfRange(delivery, 28, delivery.length);
    }

    @Test
    void shouldDeliverTheInnerFrameAndLearnTheSenderFromTheMetadata() {
        byte[] frame = Frames.ping(HOST, FAR, ip("10.0.0.2"), ip("10.0.0.1"), 0, 64);
        wan.inbox.add(new DatagramPort.Datagram(payload(Frames.vxlan(PEER, LOCAL, VNI, frame)), PEER, 51000));
        assertEquals(1, sw.poll());
        List<byte[]> got = host.drain();
        assertEquals(1, got.size());
        assertArrayEquals(frame, got.get(0));

        // The answer goes back to the VTEP the sender's MAC was learned from, as a delivery packet.
        host.sendBytes(Frames.ping(FAR, HOST, ip("10.0.0.1"), ip("10.0.0.2"), 0, 64));
        sw.poll();
        assertEquals(1, wan.sent.size());
        byte[] out = wan.sent.get(0);
        assertEquals(PEER, Frames.outerDst(out));
        assertEquals(VNI, Frames.tunnelId(out));
    }

    @Test
    void shouldCountPayloadsFromUnknownVtepsAndBadHeadersAsDrops() {
        byte[] frame = Frames.ping(HOST, FAR, ip("10.0.0.2"), ip("10.0.0.1"), 0, 64);
        byte[] good = payload(Frames.vxlan(PEER, LOCAL, VNI, frame));
        wan.inbox.add(new DatagramPort.Datagram(good, STRANGER, 51000));
        byte[] noIFlag = good.clone();
        noIFlag[0] = 0;
        wan.inbox.add(new DatagramPort.Datagram(noIFlag, PEER, 51000));
        wan.inbox.add(new DatagramPort.Datagram(Arrays.copyOf(good, 5), PEER, 51000));
        sw.poll();
        assertTrue(host.drain().isEmpty());
        Map<String, Long> drops = sw.drops();
        assertEquals(1L, drops.get("unknown-remote"), drops.toString());
        assertEquals(1L, drops.get("vxlan-flags"), drops.toString());
        assertEquals(1L, drops.get("truncated"), drops.toString());
    }

    @Test
    void shouldRefuseAnEthernetPortAsItsUnderlay() {
        MemoryPort ethernet = new MemoryPort("eth", PacketPort.Layer.ETHERNET, 1500);
        assertThrows(IllegalArgumentException.class, () -> new SwitchDatapath("x", clock, LOCAL, lan, ethernet, null, 10));
    }
}
