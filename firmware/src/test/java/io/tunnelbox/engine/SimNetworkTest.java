package io.tunnelbox.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tunnelbox.hal.port.PacketBatch;
import io.tunnelbox.hal.port.PacketPort.Layer;
import io.tunnelbox.hal.port.memory.MemoryPort;
import io.tunnelbox.hal.time.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SimNetworkTest {

    /** A datapath that forwards everything from one port to another: a cable with a counter. */
    static final class Repeater implements Datapath {
        final MemoryPort in;
        final MemoryPort out;
        final PacketBatch batch = PacketBatch.allocate();
        final int[] slots = new int[PacketBatch.CAPACITY];
        int ticks;

        Repeater(MemoryPort in, MemoryPort out) {
            this.in = in;
            this.out = out;
        }

        @Override
        public String name() {
            return "repeater";
        }

        @Override
        public int poll() {
            batch.clear();
            int n = in.receive(batch);
            for (int i = 0; i < n; i++) {
                slots[i] = i;
            }
            out.send(batch, slots, n);
            return n;
        }

        @Override
        public void tick() {
            ticks++;
        }
    }

    @Test
    void settleMovesPacketsThroughAChainUntilQuiet() {
        MemoryPort hostA = new MemoryPort("a", Layer.IP, 1500);
        MemoryPort r1In = new MemoryPort("r1in", Layer.IP, 1500);
        MemoryPort r1Out = new MemoryPort("r1out", Layer.IP, 1500);
        MemoryPort r2In = new MemoryPort("r2in", Layer.IP, 1500);
        MemoryPort r2Out = new MemoryPort("r2out", Layer.IP, 1500);
        MemoryPort hostB = new MemoryPort("b", Layer.IP, 1500);
        MemoryPort.wire(hostA, r1In);
        MemoryPort.wire(r1Out, r2In);
        MemoryPort.wire(r2Out, hostB);
        SimNetwork net = new SimNetwork(new ManualClock());
        net.add(new Repeater(r2In, r2Out)).add(new Repeater(r1In, r1Out));

        hostA.sendBytes(new byte[] {42});
        assertEquals(2, net.settle());
        assertEquals(1, hostB.drain().size());
        assertEquals(0, net.settle());
    }

    @Test
    void aForwardingLoopIsReportedInsteadOfHanging() {
        MemoryPort a = new MemoryPort("a", Layer.IP, 1500);
        MemoryPort b = new MemoryPort("b", Layer.IP, 1500);
        MemoryPort.wire(a, b);
        SimNetwork net = new SimNetwork(new ManualClock());
        net.add(new Repeater(b, b));
        a.sendBytes(new byte[] {1});
        // b's sends come back to a; a repeater from a to a closes the loop
        net.add(new Repeater(a, a));
        assertThrows(IllegalStateException.class, net::settle);
    }

    @Test
    void advanceTicksEveryStepOnVirtualTime() {
        ManualClock clock = new ManualClock();
        MemoryPort a = new MemoryPort("a", Layer.IP, 1500);
        Repeater r = new Repeater(a, a);
        SimNetwork net = new SimNetwork(clock).add(r);
        net.advance(Duration.ofSeconds(10), Duration.ofSeconds(1));
        assertEquals(10, r.ticks);
        assertEquals(Duration.ofSeconds(10).toNanos(), clock.nanoTime());
        net.advance(Duration.ofMillis(2500), Duration.ofSeconds(1));
        assertEquals(13, r.ticks);
        assertEquals(Duration.ofMillis(12500).toNanos(), clock.nanoTime());
    }
}
