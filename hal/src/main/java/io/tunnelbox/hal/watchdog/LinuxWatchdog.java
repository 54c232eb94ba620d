package io.tunnelbox.hal.watchdog;

import io.tunnelbox.hal.linux.Errno;
import io.tunnelbox.hal.linux.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import org.tinylog.Logger;

/**
 * The Linux watchdog character device ({@code /dev/watchdog}, path injectable). Opening it arms
 * the timer; any write is a kick; writing 'V' and then closing disarms it ("magic close"), unless
 * the kernel was built with nowayout. Through FFM (open/write/ioctl/close) because the timeout is
 * set with an ioctl, which a Java channel cannot do. A plain file works as a fake device: writes
 * append, and the timeout ioctl fails with ENOTTY, which is logged and ignored.
 */
public final class LinuxWatchdog implements WatchdogDevice {
    private static final int O_WRONLY = 1;
    private static final int ENOTTY = 25;
    /** _IOWR('W', 6, int) from linux/watchdog.h. */
    static final long WDIOC_SETTIMEOUT = 0xC0045706L;

    private final String path;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment kick = arena.allocateFrom(ValueLayout.JAVA_BYTE, (byte) '.');
    private final MemorySegment magic = arena.allocateFrom(ValueLayout.JAVA_BYTE, (byte) 'V');
    private int fd;
    private boolean kickFailed;

    private LinuxWatchdog(String path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /** Opens (arms) the device and asks for {@code timeout}; throws {@link io.tunnelbox.hal.linux.LinuxIoException} if it cannot be opened. */
    public static LinuxWatchdog open(String path, Duration timeout) {
        int fd = Libc.check(Libc.open(path, O_WRONLY | Libc.O_CLOEXEC), "open", path);
        LinuxWatchdog w = new LinuxWatchdog(path, fd);
        w.setTimeout((int) timeout.toSeconds());
        Logger.info("Watchdog {} armed, timeout {} s", path, timeout.toSeconds());
        return w;
    }

    private void setTimeout(int seconds) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment value = a.allocateFrom(ValueLayout.JAVA_INT, seconds);
            if (Libc.ioctl(fd, WDIOC_SETTIMEOUT, value) < 0) {
                int errno = Libc.errno();
                if (errno == ENOTTY) {
                    Logger.debug("{} is not a watchdog device (ENOTTY): timeout not set", path);
                } else {
                    Logger.warn("Watchdog {}: cannot set timeout {} s: {}; the driver's default applies", path,
                            seconds, Errno.name(errno));
                }
            } else {
                // The driver may round: it writes back what it chose.
                Logger.info("Watchdog {} timeout is {} s", path, value.get(ValueLayout.JAVA_INT, 0));
            }
        }
    }

    @Override
    public synchronized void kick() {
        if (fd < 0) {
            return;
        }
        if (Libc.write(fd, kick.address(), 1) != 1) {
            if (!kickFailed) {
                Logger.error("Watchdog {}: kick failed: {}", path, Errno.name(Libc.errno()));
                kickFailed = true;
            }
        } else {
            kickFailed = false;
        }
    }

    @Override
    public synchronized void disarm() {
        if (fd < 0) {
            return;
        }
        if (Libc.write(fd, magic.address(), 1) != 1) {
            Logger.error("Watchdog {}: magic close write failed: {}; the box may reboot", path,
                    Errno.name(Libc.errno()));
        }
        Libc.close(fd);
        fd = -1;
        arena.close();
        Logger.info("Watchdog {} disarmed (magic close)", path);
    }
}
