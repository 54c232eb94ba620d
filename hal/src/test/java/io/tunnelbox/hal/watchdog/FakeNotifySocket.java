package io.tunnelbox.hal.watchdog;

import io.tunnelbox.hal.linux.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What systemd does with $NOTIFY_SOCKET: a bound AF_UNIX datagram socket; here read without blocking. */
public final class FakeNotifySocket implements AutoCloseable {
    private final Arena arena = Arena.ofConfined();
    private final int fd;
    public final String name;

    public FakeNotifySocket(Path path) {
        this.name = path.toString();
        fd = Libc.check(Libc.socket(SdNotify.AF_UNIX, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0), "socket", name);
        Libc.check(Libc.bind(fd, SdNotify.sockaddr(arena, name)), "bind", name);
    }

    /** Every datagram received so far, in order. */
    public List<String> received() {
        List<String> out = new ArrayList<>();
        MemorySegment buf = arena.allocate(4096);
        while (true) {
            long n = Libc.recvfrom(fd, buf.address(), buf.byteSize(), Libc.MSG_DONTWAIT, MemorySegment.NULL,
                    MemorySegment.NULL);
            if (n < 0) {
                return out;
            }
            out.add(new String(buf.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                    StandardCharsets.UTF_8));
        }
    }

    @Override
    public void close() throws java.io.IOException {
        if (arena.scope().isAlive()) {
            Libc.close(fd);
            arena.close();
        }
        Files.deleteIfExists(Path.of(name));
    }
}
