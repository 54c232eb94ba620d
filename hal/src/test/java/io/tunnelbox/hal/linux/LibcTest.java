package io.tunnelbox.hal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LibcTest {

    @Test
    void shouldCaptureErrnoOfTheFailedCall() {
        assertEquals(-1, Libc.open("/nonexistent/tunnelbox", Libc.O_RDONLY));
        assertEquals(Errno.ENOENT, Libc.errno());
        assertEquals(-1, Libc.close(-1));
        assertEquals(Errno.EBADF, Libc.errno());
    }

    @Test
    void shouldKeepErrnoPerThread() throws Exception {
        assertEquals(-1, Libc.close(-1));
        Thread other = Thread.ofPlatform().start(() -> Libc.open("/nonexistent/tunnelbox", Libc.O_RDONLY));
        other.join();
        assertEquals(Errno.EBADF, Libc.errno(), "another thread's failure must not change ours");
    }

    @Test
    void shouldSayOperationDeviceErrnoAndHint() {
        assertEquals("open /dev/net/tun: EPERM (run as root or give CAP_NET_ADMIN)",
                new LinuxIoException("open", "/dev/net/tun", Errno.EPERM).getMessage());
        assertEquals("bind 10.0.0.1:4789: EADDRINUSE (another socket already has this address and port)",
                new LinuxIoException("bind", "10.0.0.1:4789", Errno.EADDRINUSE).getMessage());
        assertEquals("read tun0: errno 200", new LinuxIoException("read", "tun0", 200).getMessage());
    }

    @Test
    void shouldThrowWithErrnoNameFromCheck() {
        LinuxIoException e = assertThrows(LinuxIoException.class,
                () -> Libc.check(Libc.open("/nonexistent/x", Libc.O_RDONLY), "open", "/nonexistent/x"));
        assertEquals("ENOENT", e.errnoName());
        assertTrue(e.getMessage().startsWith("open /nonexistent/x: ENOENT"));
    }

    @Test
    void shouldReadAndWriteThroughAnEventfd() {
        int fd = Libc.check(Libc.eventfd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC), "eventfd", "");
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            var buf = arena.allocate(8);
            assertEquals(-1, Libc.read(fd, buf.address(), 8), "nothing to read yet");
            assertEquals(Errno.EAGAIN, Libc.errno());
            buf.set(java.lang.foreign.ValueLayout.JAVA_LONG, 0, 5L);
            assertEquals(8, Libc.write(fd, buf.address(), 8));
            buf.set(java.lang.foreign.ValueLayout.JAVA_LONG, 0, 0L);
            assertEquals(8, Libc.read(fd, buf.address(), 8));
            assertEquals(5L, buf.get(java.lang.foreign.ValueLayout.JAVA_LONG, 0));
        } finally {
            Libc.close(fd);
        }
    }
}
