package io.tunnelbox.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.engine.Datapath;
import io.tunnelbox.engine.DatapathRunner;
import io.tunnelbox.hal.linux.GrePort;
import io.tunnelbox.hal.linux.Ip;
import io.tunnelbox.hal.linux.NetNamespace;
import io.tunnelbox.hal.linux.PortPoller;
import io.tunnelbox.hal.port.PacketBatch;
import io.tunnelbox.hal.testing.Requirements;
import io.tunnelbox.hal.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A datapath thread over real Linux ports sleeps in poll(2) while idle and forwards the first
 * packet after idle at once (root: a namespace {@code tbl-idle-<pid>} and raw GRE sockets on its
 * loopback).
 */
class PortPollerWaitTest {
    static final int LO = 0x7f000001;

    /** Takes what the port has; counts down when a packet arrives. */
    static final class Receiver implements Datapath {
        final GrePort port;
        final PacketBatch batch = PacketBatch.allocate();
        volatile long polls;
        volatile long arrived;
        volatile CountDownLatch taken = new CountDownLatch(1);

        Receiver(GrePort port) {
            this.port = port;
        }

        @Override
        public String name() {
            return "receiver";
        }

        @Override
        public int poll() {
            polls++;
            batch.clear();
            int n = port.receive(batch);
            if (n > 0) {
                arrived = System.nanoTime();
                taken.countDown();
            }
            return n;
        }

        @Override
        public void tick() {
        }
    }

    /** IPv4 (127.0.0.1 to itself, protocol 47) + a bare GRE header + 32 bytes. */
    static byte[] grePacket() {
        byte[] p = new byte[20 + 4 + 32];
        p[0] = 0x45;
        p[2] = 0;
        p[3] = (byte) p.length;
        p[8] = 64;
        p[9] = 47;
        p[12] = 127;
        p[15] = 1;
        p[16] = 127;
        p[19] = 1;
        p[22] = 0x08; // GRE protocol 0x0800
        return p;
    }

    @Test
    void shouldSleepWhileIdleAndForwardTheFirstPacketAtOnce() throws Exception {
        Requirements.root();
        Requirements.tool("ip");
        String ns = "tbl-idle-" + ProcessHandle.current().pid();
        Ip.deleteNamespace(ns);
        Ip.addNamespace(ns);
        try (NetNamespace netns = NetNamespace.named(ns);
                GrePort rx = netns.call(() -> GrePort.open("rx", LO, null, 1500));
                GrePort tx = netns.call(() -> GrePort.open("tx", LO, null, 1500))) {
            Receiver receiver = new Receiver(rx);
            try (DatapathRunner runner = new DatapathRunner(receiver, Clock.SYSTEM,
                    new PortPollerWait(new PortPoller(List.of(rx)))).start()) {
                Thread.sleep(300);
                long pollsBefore = receiver.polls;
                Thread.sleep(1_000);
                long idlePolls = receiver.polls - pollsBefore;
                // The timer tick wakes it ten times a second; the old loop polled ~5000 times.
                assertTrue(idlePolls < 200, "polls in one idle second: " + idlePolls);
                assertTrue(runner.sleeps() > 0, "the runner slept on the poller");

                PacketBatch out = PacketBatch.allocate();
                out.add(grePacket());
                long[] latency = new long[9];
                for (int k = 0; k < latency.length; k++) {
                    receiver.taken = new CountDownLatch(1);
                    long sent = System.nanoTime();
                    tx.send(out, new int[] {0}, 1);
                    assertTrue(receiver.taken.await(5, TimeUnit.SECONDS), "packet " + k + " arrived");
                    latency[k] = receiver.arrived - sent;
                    Thread.sleep(120); // asleep again, past a tick
                }
                Arrays.sort(latency);
                System.out.printf("first packet after idle: median %d us, worst %d us%n",
                        latency[latency.length / 2] / 1000, latency[latency.length - 1] / 1000);
                // What this asserts is that the poller woke the runner, not its 100 ms timer: a
                // median under half a tick. The 1 ms target is measured on a quiet box (the
                // printed figures, README); a loaded build machine must not fail on scheduling.
                assertTrue(latency[latency.length / 2] < DatapathRunner.TICK_NANOS / 2,
                        "median latency after idle " + latency[latency.length / 2] / 1000 + " us");
            }
        } finally {
            Ip.deleteNamespace(ns);
        }
    }
}
