package io.tunnelbox.hal.linux;

import static io.tunnelbox.hal.linux.TestPackets.ipv4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tunnelbox.hal.port.PacketBatch;
import io.tunnelbox.hal.port.PacketPort;
import io.tunnelbox.hal.port.memory.MemoryPort;

class PortPollerTest {
    static final int LO = ipv4("127.0.0.1");
    @RegisterExtension
    static final TestNamespace NET = new TestNamespace("poller");

    @Test
    void shouldWakeForWhicheverPortHasPackets() throws Exception {
        try (TunPort tun = NET.in().call(() -> TunPort.open("tblpoll0", 1400));
                GrePort gre = NET.in().call(() -> GrePort.open("gre", LO, null, 1500));
                PortPoller poller = new PortPoller(List.of(tun, gre))) {
            // No IPv6 on it: the kernel's own router solicitations would make the first wait succeed.
            assertTrue(NET.ip().exec("sysctl", "-qw", "net.ipv6.conf.tblpoll0.disable_ipv6=1").ok());
            tun.setUp(true);
            NET.ip().run("addr", "add", "10.93.0.1/24", "dev", "tblpoll0");
            drain(tun);
            assertFalse(poller.await(50_000_000L), "nothing to read: times out");

            PortProbe.send(gre, TestPackets.greDelivery(LO, LO, 0, 64, false, 0x0800, 1, new byte[40]));
            assertTrue(poller.await(Duration.ofSeconds(10).toNanos()), "GRE packet ready");
            assertEquals(1, gre.receive(PacketBatch.allocate()));

            NET.ip().exec("ping", "-c", "1", "-W", "1", "10.93.0.2");
            assertTrue(poller.await(Duration.ofSeconds(10).toNanos()), "the ping is waiting in the TUN device");
            assertTrue(tun.receive(PacketBatch.allocate()) >= 1);
        }
    }

    @Test
    void shouldReturnOnWakeupFromAnotherThread() throws Exception {
        try (TunPort tun = NET.in().call(() -> TunPort.open("tblpoll1", 1400));
                PortPoller poller = new PortPoller(List.of(tun))) {
            AtomicReference<Object> outcome = new AtomicReference<>();
            Thread waiter = Thread.ofPlatform().start(() -> {
                try {
                    outcome.set(poller.await(Duration.ofMinutes(10).toNanos()));
                } catch (Throwable t) {
                    outcome.set(t);
                }
            });
            Thread.sleep(100);
            poller.wakeup();
            assertTrue(waiter.join(Duration.ofSeconds(20)), "wakeup() did not end the wait");
            assertEquals(Boolean.TRUE, outcome.get());
            assertFalse(poller.await(0), "the wake-up is consumed");
        }
    }

    @Test
    void shouldReturnWhenAPortClosesAndSkipItAfterwards() throws Exception {
        TunPort tun = NET.in().call(() -> TunPort.open("tblpoll2", 1400));
        try (PortPoller poller = new PortPoller(List.of(tun))) {
            AtomicReference<Object> outcome = new AtomicReference<>();
            Thread waiter = Thread.ofPlatform().start(() -> {
                try {
                    outcome.set(poller.await(Duration.ofMinutes(10).toNanos()));
                } catch (Throwable t) {
                    outcome.set(t);
                }
            });
            Thread.sleep(100);
            tun.close();
            assertTrue(waiter.join(Duration.ofSeconds(20)), "closing the port did not end the wait");
            assertEquals(Boolean.FALSE, outcome.get());
            assertFalse(poller.await(0));
        } finally {
            tun.close();
        }
    }

    @Test
    void shouldRefuseAPortItCannotPoll() {
        MemoryPort memory = new MemoryPort("mem", PacketPort.Layer.IP, 1500);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PortPoller(List.of(memory)));
        assertEquals("port mem is not a Linux port; cannot poll it", e.getMessage());
    }

    private static void drain(PacketPort port) {
        PacketBatch batch = PacketBatch.allocate();
        while (port.receive(batch) > 0) {
            batch.clear();
        }
    }
}
