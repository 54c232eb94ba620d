package io.tunnelbox.hal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tunnelbox.hal.port.PacketPort;

class TunTapPortTest {
    @RegisterExtension
    static final TestNamespace NET = new TestNamespace("tuntap");

    @Test
    void shouldCarryAPingBothWaysThroughATunDevice() throws Exception {
        try (TunPort tun = NET.in().call(() -> TunPort.open("tbltun0", 1400))) {
            assertEquals(PacketPort.Layer.IP, tun.layer());
            assertEquals(1400, tun.mtu());
            assertFalse(tun.isUp());
            NET.ip().run("addr", "add", "10.77.0.1/24", "dev", "tbltun0");
            tun.setUp(true);
            assertTrue(tun.isUp());
            assertTrue(NET.ip().run("link", "show", "tbltun0").contains("mtu 1400"));

            CompletableFuture<Ip.Result> ping = CompletableFuture.supplyAsync(
                    () -> NET.ip().exec("ping", "-c", "1", "-W", "5", "10.77.0.2"));
            byte[] request = PortProbe.await(tun, p -> TestPackets.isIcmpEchoRequest(p, 0)
                    && TestPackets.u32(p, 16) == TestPackets.ipv4("10.77.0.2"));
            assertNotNull(request, "the kernel's echo request never came out of the TUN device");
            assertEquals(1, PortProbe.send(tun, TestPackets.echoReply(request, 0, request.length)));

            Ip.Result result = ping.get();
            assertTrue(result.ok(), "ping did not get our reply: " + result.stdout() + result.stderr());
            assertTrue(tun.counters().rxPackets() >= 1);
            assertEquals(1, tun.counters().txPackets());
        }
        assertFalse(NET.ip().exec("ip", "link", "show", "tbltun0").ok(), "closing the port removes the device");
    }

    @Test
    void shouldAnswerArpAndPingThroughATapDevice() throws Exception {
        long peerMac = 0x02_00_00_00_00_77L;
        try (TapPort tap = NET.in().call(() -> TapPort.open("tbltap0", 1500))) {
            assertEquals(PacketPort.Layer.ETHERNET, tap.layer());
            long tapMac = tap.mac();
            NET.ip().run("addr", "add", "10.78.0.1/24", "dev", "tbltap0");
            tap.setUp(true);
            CompletableFuture<Ip.Result> ping = CompletableFuture.supplyAsync(
                    () -> NET.ip().exec("ping", "-c", "1", "-W", "5", "10.78.0.2"));

            byte[] arp = PortProbe.await(tap, f -> TestPackets.u16(f, 12) == 0x0806 && TestPackets.u16(f, 20) == 1
                    && TestPackets.u32(f, 38) == TestPackets.ipv4("10.78.0.2"));
            assertNotNull(arp, "no ARP request for 10.78.0.2 on the TAP device");
            assertEquals(tapMac, TestPackets.mac(arp, 6), "the frame's source is the device's MAC");
            byte[] reply = arp.clone();
            TestPackets.putMac(reply, 0, tapMac);
            TestPackets.putMac(reply, 6, peerMac);
            reply[21] = 2;
            TestPackets.putMac(reply, 22, peerMac);
            System.arraycopy(arp, 38, reply, 28, 4);
            TestPackets.putMac(reply, 32, tapMac);
            System.arraycopy(arp, 28, reply, 38, 4);
            assertEquals(1, PortProbe.send(tap, reply));

            byte[] echo = PortProbe.await(tap, f -> TestPackets.u16(f, 12) == 0x0800 && TestPackets.isIcmpEchoRequest(f, 14));
            assertNotNull(echo, "no echo request after our ARP reply");
            assertEquals(peerMac, TestPackets.mac(echo, 0), "the kernel learnt our ARP reply");
            byte[] ipReply = TestPackets.echoReply(echo, 14, echo.length - 14);
            byte[] frame = new byte[14 + ipReply.length];
            TestPackets.putMac(frame, 0, tapMac);
            TestPackets.putMac(frame, 6, peerMac);
            frame[12] = 0x08;
            System.arraycopy(ipReply, 0, frame, 14, ipReply.length);
            assertEquals(1, PortProbe.send(tap, frame));

            Ip.Result result = ping.get();
            assertTrue(result.ok(), "ping through the TAP failed: " + result.stdout() + result.stderr());
        }
    }

    @Test
    void shouldStopABlockedReaderWhenClosed() throws Exception {
        TunPort tun = NET.in().call(() -> TunPort.open("tbltun1", 1400));
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                outcome.set(tun.awaitReadable(Duration.ofMinutes(10).toNanos()));
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        Thread.sleep(100); // let it reach poll(); closing earlier is also correct, just less interesting
        tun.close();
        assertTrue(reader.join(Duration.ofSeconds(20)), "the reader is still blocked after close");
        assertEquals(Boolean.FALSE, outcome.get());
        assertEquals(0, tun.receive(io.tunnelbox.hal.port.PacketBatch.allocate()), "a closed port receives nothing");
        assertFalse(tun.awaitReadable(1_000_000_000L), "a closed port is never readable");
        tun.close(); // twice is harmless
        assertEquals("port tbltun1 is closed", assertThrows(IllegalStateException.class, () -> tun.setUp(true)).getMessage());
    }

    @Test
    void shouldLeakNoDescriptorsOrThreadsOver200OpenCloseCycles() throws Exception {
        long fdsBefore = openDescriptors();
        int threadsBefore = Thread.activeCount();
        NET.in().run(() -> {
            for (int k = 0; k < 200; k++) {
                try (TunTapPort port = k % 2 == 0 ? TunPort.open("tblleak%d", 1400) : TapPort.open("tblleak%d", 1500)) {
                    port.setUp(true);
                    port.awaitReadable(0);
                    port.receive(io.tunnelbox.hal.port.PacketBatch.allocate());
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        assertEquals(fdsBefore, openDescriptors(), "file descriptors leaked");
        assertTrue(Thread.activeCount() <= threadsBefore, "threads leaked: " + threadsBefore + " -> " + Thread.activeCount());
        assertFalse(NET.ip().run("link", "show").contains("tblleak"), "a device outlived its port");
    }

    @Test
    void shouldNameTheDeviceAndErrnoWhenTheNameIsTaken() {
        try (TunPort first = NET.in().call(() -> TunPort.open("tbltun2", 1400))) {
            LinuxIoException e = assertThrows(LinuxIoException.class,
                    () -> NET.in().call(() -> TapPort.open(first.name(), 1400)));
            assertEquals("TUNSETIFF", e.operation());
            assertEquals("tbltun2", e.device());
            assertTrue(e.getMessage().startsWith("TUNSETIFF tbltun2: E"), e.getMessage());
        }
    }

    @Test
    void shouldSetAndRereadTheMtuAndDropPacketsLargerThanIt() {
        try (TunPort tun = NET.in().call(() -> TunPort.open("tbltun4", 1400))) {
            tun.setUp(true);
            tun.setMtu(1300);
            assertEquals(1300, tun.mtu());
            assertTrue(NET.ip().run("link", "show", "tbltun4").contains("mtu 1300"));
            NET.ip().run("link", "set", "tbltun4", "mtu", "1280");
            assertEquals(1300, tun.mtu(), "cached until refreshed");
            assertEquals(1280, tun.refreshMtu());
            byte[] big = TestPackets.echoRequest(TestPackets.ipv4("10.0.0.1"), TestPackets.ipv4("10.0.0.2"), 1, 1, 1300);
            assertEquals(0, PortProbe.send(tun, big));
            assertEquals(1, tun.counters().txDrops());
            assertThrows(IllegalArgumentException.class, () -> tun.setMtu(5000));
        }
    }

    @Test
    void shouldRejectAnMtuThatDoesNotFitABatchSlot() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NET.in().call(() -> TunPort.open("tbltun3", 9000)));
        assertTrue(e.getMessage().contains("MTU 9000"), e.getMessage());
    }

    private static long openDescriptors() throws Exception {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void shouldCarryTrafficAgainAfterTheDeviceWasDeletedAndRecreated() throws Exception {
        try (TunPort tun = NET.in().call(() -> TunPort.open("tbltun5", 1400))) {
            tun.setUp(true);
            assertTrue(tun.deviceExists());
            NET.ip().run("link", "del", "tbltun5");
            assertFalse(tun.deviceExists(), "deleted under the port");

            NET.in().run(tun::recreate);
            assertTrue(tun.deviceExists());
            assertTrue(NET.ip().run("link", "show", "tbltun5").contains("mtu 1400"), "MTU put back");
            tun.setUp(true);
            NET.ip().run("addr", "add", "10.77.5.1/24", "dev", "tbltun5");
            CompletableFuture<Ip.Result> ping = CompletableFuture.supplyAsync(
                    () -> NET.ip().exec("ping", "-c", "1", "-W", "5", "10.77.5.2"));
            byte[] request = PortProbe.await(tun, p -> TestPackets.isIcmpEchoRequest(p, 0)
                    && TestPackets.u32(p, 16) == TestPackets.ipv4("10.77.5.2"));
            assertNotNull(request, "the same port reads the new device");
            assertEquals(1, PortProbe.send(tun, TestPackets.echoReply(request, 0, request.length)));
            assertTrue(ping.get().ok(), "and writes to it");
        }
        assertFalse(NET.ip().exec("ip", "link", "show", "tbltun5").ok(), "closing the port removes the new device too");
    }
}
