package io.tunnelbox.hal.watchdog;

import io.tunnelbox.hal.linux.Errno;
import io.tunnelbox.hal.linux.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.tinylog.Logger;

/**
 * systemd's notify protocol: one datagram per message ("READY=1", "WATCHDOG=1", "STOPPING=1",
 * "STATUS=...") to the AF_UNIX datagram socket named in {@code $NOTIFY_SOCKET}. The JDK's
 * {@code UnixDomainSocketAddress} works only with stream channels, so the datagram socket is
 * made through FFM (socket/sendto). A name starting with '@' is in the abstract namespace.
 */
public final class SdNotify implements AutoCloseable {
    static final int AF_UNIX = 1;
    static final int SUN_PATH = 108;

    private final String socketName;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment address;
    private int fd;
    private boolean failed;

    public SdNotify(String socketName) {
        this.socketName = socketName;
        this.address = sockaddr(arena, socketName);
        this.fd = Libc.check(Libc.socket(AF_UNIX, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0), "socket", socketName);
    }

    /** From {@code $NOTIFY_SOCKET}; empty when not started by systemd with Type=notify. */
    public static Optional<SdNotify> fromEnvironment() {
        String name = System.getenv("NOTIFY_SOCKET");
        return name == null || name.isBlank() ? Optional.empty() : Optional.of(new SdNotify(name));
    }

    /** struct sockaddr_un, sized exactly (the abstract namespace counts every byte of the length). */
    static MemorySegment sockaddr(Arena arena, String name) {
        byte[] path = name.getBytes(StandardCharsets.UTF_8);
        boolean abstractName = name.startsWith("@");
        if (path.length >= SUN_PATH) {
            throw new IllegalArgumentException("notify socket name too long: " + name);
        }
        long length = 2 + path.length + (abstractName ? 0 : 1);
        MemorySegment sa = arena.allocate(length);
        sa.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
        MemorySegment.copy(path, 0, sa, ValueLayout.JAVA_BYTE, 2, path.length);
        if (abstractName) {
            sa.set(ValueLayout.JAVA_BYTE, 2, (byte) 0);
        }
        return sa;
    }

    /** Sends one message; returns false (logged once per failure streak) if systemd is not listening. */
    public synchronized boolean send(String message) {
        if (fd < 0) {
            return false;
        }
        try (Arena a = Arena.ofConfined()) {
            byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
            MemorySegment buf = a.allocate(bytes.length);
            MemorySegment.copy(bytes, 0, buf, ValueLayout.JAVA_BYTE, 0, bytes.length);
            // Never block: a systemd that does not read must not stall the watchdog thread.
            long n = Libc.sendto(fd, buf.address(), bytes.length, Libc.MSG_DONTWAIT, address);
            if (n != bytes.length) {
                if (!failed) {
                    Logger.warn("sd_notify to {} failed: {}", socketName, Errno.name(Libc.errno()));
                    failed = true;
                }
                return false;
            }
            failed = false;
            return true;
        }
    }

    @Override
    public synchronized void close() {
        if (fd >= 0) {
            Libc.close(fd);
            fd = -1;
            arena.close();
        }
    }
}
