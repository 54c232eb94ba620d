package io.tunnelbox.hal.button;

import io.tunnelbox.hal.linux.Errno;
import io.tunnelbox.hal.linux.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.tinylog.Logger;

/**
 * A button the kernel already owns (a gpio-keys node in the device tree, as on the NanoPi R4S),
 * read from its input device: non-blocking reads of {@code struct input_event} (24 bytes on
 * 64-bit Linux: a 16-byte timeval, u16 type, u16 code, s32 value). EV_KEY events with the
 * button's code track whether it is held (value 1 = pressed, 2 = auto-repeat, 0 = released).
 * A plain file works as a fake device in tests: events appended to it are read on the next poll.
 */
public final class InputEventButton implements ButtonInput, AutoCloseable {
    static final int EVENT_SIZE = 24;
    static final int EV_KEY = 1;

    private final String device;
    private final int keyCode;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffer = arena.allocate(EVENT_SIZE * 16L);
    private int fd;
    private boolean held;

    public InputEventButton(String device, int keyCode) {
        this.device = device;
        this.keyCode = keyCode;
        this.fd = Libc.open(device, Libc.O_RDONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
        if (fd < 0) {
            Logger.warn("Reset button: cannot open {} ({}); the button is ignored", device, Errno.name(Libc.errno()));
        }
    }

    @Override
    public synchronized boolean pressed() {
        if (fd < 0) {
            return false;
        }
        while (true) {
            long n = Libc.read(fd, buffer.address(), buffer.byteSize());
            if (n <= 0) {
                return held; // EAGAIN (no event) or end of a fake file
            }
            for (long off = 0; off + EVENT_SIZE <= n; off += EVENT_SIZE) {
                int type = Short.toUnsignedInt(buffer.get(ValueLayout.JAVA_SHORT_UNALIGNED, off + 16));
                int code = Short.toUnsignedInt(buffer.get(ValueLayout.JAVA_SHORT_UNALIGNED, off + 18));
                int value = buffer.get(ValueLayout.JAVA_INT_UNALIGNED, off + 20);
                if (type == EV_KEY && code == keyCode) {
                    held = value != 0;
                }
            }
        }
    }

    @Override
    public synchronized void close() {
        if (fd >= 0) {
            Libc.close(fd);
            fd = -1;
        }
        arena.close();
    }
}
