package io.tunnelbox.hal.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * Interface settings through the classic ioctls on a datagram socket (index, MTU, up/down, MAC).
 * The socket ties these calls to the network namespace it was created in, so a port keeps one
 * from its creation and can change its device later from any thread.
 */
public final class LinkControl implements AutoCloseable {
    static final long SIOCGIFFLAGS = 0x8913, SIOCSIFFLAGS = 0x8914, SIOCGIFMTU = 0x8921,
            SIOCSIFMTU = 0x8922, SIOCGIFHWADDR = 0x8927, SIOCGIFINDEX = 0x8933;
    /** struct ifreq: char ifr_name[16]; then a union (flags, mtu, index, sockaddr). */
    static final int IFREQ_SIZE = 40, IFNAMSIZ = 16, UNION = 16;
    static final short IFF_UP = 0x1;

    private final int fd;

    /** A control socket in the calling thread's namespace. */
    public LinkControl() {
        fd = Libc.check(Libc.socket(Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0), "socket", "AF_INET control");
    }

    /** An ifreq with {@code name} filled in; the name must fit the kernel's 15 characters. */
    static MemorySegment ifreq(Arena arena, String name) {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length == 0 || bytes.length >= IFNAMSIZ || name.chars().anyMatch(c -> c <= ' ' || c == '/' || c > 126)) {
            throw new IllegalArgumentException("not an interface name (1-15 printable characters, no '/' or blank): \"" + name + "\"");
        }
        MemorySegment ifr = arena.allocate(IFREQ_SIZE);
        MemorySegment.copy(bytes, 0, ifr, JAVA_BYTE, 0, bytes.length);
        return ifr;
    }

    /** The name the kernel left in an ifreq (it fills in patterns such as {@code tun%d}). */
    static String name(MemorySegment ifr) {
        return ifr.getString(0, StandardCharsets.US_ASCII);
    }

    private MemorySegment call(Arena arena, String name, long request, String operation) {
        MemorySegment ifr = ifreq(arena, name);
        Libc.check(Libc.ioctl(fd, request, ifr), operation, name);
        return ifr;
    }

    public int index(String name) {
        try (Arena arena = Arena.ofConfined()) {
            return call(arena, name, SIOCGIFINDEX, "SIOCGIFINDEX").get(JAVA_INT, UNION);
        }
    }

    public int mtu(String name) {
        try (Arena arena = Arena.ofConfined()) {
            return call(arena, name, SIOCGIFMTU, "SIOCGIFMTU").get(JAVA_INT, UNION);
        }
    }

    public void setMtu(String name, int mtu) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ifr = ifreq(arena, name);
            ifr.set(JAVA_INT, UNION, mtu);
            Libc.check(Libc.ioctl(fd, SIOCSIFMTU, ifr), "SIOCSIFMTU " + mtu, name);
        }
    }

    public boolean isUp(String name) {
        try (Arena arena = Arena.ofConfined()) {
            return (call(arena, name, SIOCGIFFLAGS, "SIOCGIFFLAGS").get(JAVA_SHORT, UNION) & IFF_UP) != 0;
        }
    }

    public void setUp(String name, boolean up) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ifr = call(arena, name, SIOCGIFFLAGS, "SIOCGIFFLAGS");
            short flags = ifr.get(JAVA_SHORT, UNION);
            ifr.set(JAVA_SHORT, UNION, (short) (up ? flags | IFF_UP : flags & ~IFF_UP));
            Libc.check(Libc.ioctl(fd, SIOCSIFFLAGS, ifr), up ? "set up" : "set down", name);
        }
    }

    /** The hardware address (low 48 bits), for Ethernet-like devices. */
    public long mac(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ifr = call(arena, name, SIOCGIFHWADDR, "SIOCGIFHWADDR");
            long mac = 0;
            for (int k = 0; k < 6; k++) {
                mac = (mac << 8) | (ifr.get(JAVA_BYTE, UNION + 2 + k) & 0xff);
            }
            return mac;
        }
    }

    @Override
    public void close() {
        Libc.close(fd);
    }
}
