package io.tunnelbox.hal.linux;

import java.util.function.Predicate;

import io.tunnelbox.hal.port.PacketBatch;
import io.tunnelbox.hal.port.PacketPort;

/** Waits (a bounded number of rounds) for a packet matching a test on a real port. */
final class PortProbe {
    private PortProbe() {
    }

    /** The first packet received on {@code port} that {@code wanted} accepts, or null after ~10 s. */
    static byte[] await(PacketPort port, Predicate<byte[]> wanted) throws InterruptedException {
        PacketBatch batch = PacketBatch.allocate();
        for (int round = 0; round < 100; round++) {
            port.awaitReadable(100_000_000L);
            batch.clear();
            port.receive(batch);
            for (int i = 0; i < batch.count(); i++) {
                if (batch.offset(i) != PacketBatch.slotBase(i) + PacketBatch.HEADROOM) {
                    throw new AssertionError("packet " + i + " not at the headroom: offset " + batch.offset(i));
                }
                byte[] packet = batch.toArray(i);
                if (wanted.test(packet)) {
                    return packet;
                }
            }
        }
        return null;
    }

    /** A received packet with what the port said about it. */
    record Received(byte[] bytes, int peer, int peerPort, int offset, int slotBase) {
    }

    /** Like {@link #await}, keeping the peer address and the position in the batch. */
    static Received awaitReceived(PacketPort port, Predicate<byte[]> wanted) throws InterruptedException {
        PacketBatch batch = PacketBatch.allocate();
        for (int round = 0; round < 100; round++) {
            port.awaitReadable(100_000_000L);
            batch.clear();
            port.receive(batch);
            for (int i = 0; i < batch.count(); i++) {
                byte[] packet = batch.toArray(i);
                if (wanted.test(packet)) {
                    return new Received(packet, batch.peer(i), batch.peerPort(i), batch.offset(i), (int) PacketBatch.slotBase(i));
                }
            }
        }
        return null;
    }

    /** Sends one packet given as bytes; returns what send() returned. */
    static int send(PacketPort port, byte[] packet) {
        PacketBatch batch = PacketBatch.allocate();
        batch.add(packet);
        return port.send(batch, new int[] {0}, 1);
    }
}
