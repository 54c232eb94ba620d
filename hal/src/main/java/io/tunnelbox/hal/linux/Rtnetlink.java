package io.tunnelbox.hal.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Consumer;

import org.tinylog.Logger;

/**
 * The kernel's link and IPv4 address events (rtnetlink, RTMGRP_LINK and RTMGRP_IPV4_IFADDR)
 * through FFM: a NETLINK_ROUTE socket joined to those groups, read by one daemon thread that hands
 * each event to a listener. The box reacts to a NIC that disappears or comes back, a DHCP address
 * that arrives or changes and a TUN device someone deleted within milliseconds, instead of polling.
 *
 * <p>If the kernel drops events because the socket's buffer overflowed (ENOBUFS), the listener
 * gets an {@link Event.Kind#OVERRUN}: state may have changed unseen, look at everything again.
 * The socket and the thread live in the network namespace the monitor was started in.
 */
public final class Rtnetlink implements AutoCloseable {
    static final int AF_NETLINK = 16, NETLINK_ROUTE = 0;
    static final int RTMGRP_LINK = 0x1, RTMGRP_IPV4_IFADDR = 0x10;
    static final short RTM_NEWLINK = 16, RTM_DELLINK = 17, RTM_NEWADDR = 20, RTM_DELADDR = 21;
    static final short NLMSG_ERROR = 2, NLMSG_DONE = 3;
    static final int NLMSG_HDRLEN = 16, IFINFOMSG_LEN = 16, IFADDRMSG_LEN = 8;
    static final short IFLA_IFNAME = 3, IFA_ADDRESS = 1, IFA_LOCAL = 2;
    static final int IFF_UP = 0x1, IFF_LOWER_UP = 0x10000;
    static final int ENOBUFS = 105;
    private static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int BUFFER = 64 * 1024;

    /**
     * One change the kernel announced.
     *
     * @param index   the interface index
     * @param name    the interface name (link events; null for address events)
     * @param up      administratively up with carrier (link events)
     * @param address the IPv4 address (address events), 0 otherwise
     */
    public record Event(Kind kind, int index, String name, boolean up, int address, int prefixLength) {
        public enum Kind { LINK_CHANGED, LINK_REMOVED, ADDRESS_ADDED, ADDRESS_REMOVED, OVERRUN }
    }

    private final Arena arena = Arena.ofShared();
    private final int fd;
    private final MemorySegment buffer;
    private final Readiness readiness;
    private final Consumer<Event> listener;
    private final Thread thread;
    private volatile boolean open = true;

    private Rtnetlink(int fd, Readiness readiness, Consumer<Event> listener) {
        this.fd = fd;
        this.readiness = readiness;
        this.listener = listener;
        this.buffer = arena.allocate(BUFFER, 8);
        this.thread = Thread.ofPlatform().daemon().name("rtnetlink").unstarted(this::loop);
    }

    /** Opens the socket in the calling thread's namespace and starts delivering events to {@code listener}. */
    public static Rtnetlink start(Consumer<Event> listener) {
        Objects.requireNonNull(listener, "listener");
        int fd = Libc.check(Libc.socket(AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC | Libc.SOCK_NONBLOCK,
                NETLINK_ROUTE), "socket", "rtnetlink");
        Readiness ready = null;
        try (Arena a = Arena.ofConfined()) {
            // struct sockaddr_nl { sa_family_t nl_family; unsigned short nl_pad; __u32 nl_pid; __u32 nl_groups; }
            MemorySegment addr = a.allocate(12, 4);
            addr.set(JAVA_SHORT, 0, (short) AF_NETLINK);
            addr.set(JAVA_INT, 8, RTMGRP_LINK | RTMGRP_IPV4_IFADDR);
            Libc.check(Libc.bind(fd, addr), "bind", "rtnetlink");
            ready = new Readiness(1, "rtnetlink");
        } catch (RuntimeException e) {
            if (ready != null) {
                ready.close();
            }
            Libc.close(fd);
            throw e;
        }
        Rtnetlink r = new Rtnetlink(fd, ready, listener);
        r.thread.start();
        return r;
    }

    private void loop() {
        int[] scratch = new int[1];
        while (open) {
            if (!readiness.await(fd, 1_000_000_000L, scratch) && open) {
                continue;
            }
            if (!open) {
                return;
            }
            while (true) {
                long n = Libc.read(fd, buffer.address(), BUFFER);
                if (n < 0) {
                    int errno = Libc.errno();
                    if (errno == ENOBUFS) {
                        deliver(new Event(Event.Kind.OVERRUN, 0, null, false, 0, 0));
                        continue;
                    }
                    break; // EAGAIN: all read
                }
                if (n == 0) {
                    break;
                }
                parse(buffer, (int) n, this::deliver);
            }
        }
    }

    private void deliver(Event e) {
        try {
            listener.accept(e);
        } catch (RuntimeException ex) {
            Logger.error(ex, "rtnetlink listener failed on {}", e);
        }
    }

    /** Splits one datagram of netlink messages into events; anything malformed ends the datagram. */
    static void parse(MemorySegment m, int length, Consumer<Event> out) {
        int at = 0;
        while (at + NLMSG_HDRLEN <= length) {
            int len = m.get(JAVA_INT, at);
            short type = m.get(JAVA_SHORT, at + 4);
            if (len < NLMSG_HDRLEN || at + len > length) {
                return;
            }
            int body = at + NLMSG_HDRLEN;
            int end = at + len;
            switch (type) {
                case RTM_NEWLINK, RTM_DELLINK -> {
                    if (end - body >= IFINFOMSG_LEN) {
                        int index = m.get(JAVA_INT, body + 4);
                        int flags = m.get(JAVA_INT, body + 8);
                        String name = linkName(m, body + IFINFOMSG_LEN, end);
                        boolean up = (flags & IFF_UP) != 0 && (flags & IFF_LOWER_UP) != 0;
                        out.accept(new Event(type == RTM_DELLINK ? Event.Kind.LINK_REMOVED : Event.Kind.LINK_CHANGED,
                                index, name, type == RTM_NEWLINK && up, 0, 0));
                    }
                }
                case RTM_NEWADDR, RTM_DELADDR -> {
                    if (end - body >= IFADDRMSG_LEN && m.get(JAVA_BYTE, body) == Libc.AF_INET) {
                        int prefix = m.get(JAVA_BYTE, body + 1) & 0xff;
                        int index = m.get(JAVA_INT, body + 4);
                        int address = ipv4Address(m, body + IFADDRMSG_LEN, end);
                        out.accept(new Event(type == RTM_DELADDR ? Event.Kind.ADDRESS_REMOVED : Event.Kind.ADDRESS_ADDED,
                                index, null, false, address, prefix));
                    }
                }
                default -> {
                    // NLMSG_DONE, NLMSG_ERROR and route messages: nothing we asked for
                }
            }
            at += (len + 3) & ~3;
        }
    }

    /** IFLA_IFNAME among the link attributes, or null. */
    private static String linkName(MemorySegment m, int at, int end) {
        while (at + 4 <= end) {
            int len = m.get(JAVA_SHORT, at) & 0xffff;
            int type = m.get(JAVA_SHORT, at + 2) & 0x3fff;
            if (len < 4 || at + len > end) {
                return null;
            }
            if (type == IFLA_IFNAME) {
                int n = 0;
                while (n < len - 4 && m.get(JAVA_BYTE, at + 4 + n) != 0) {
                    n++;
                }
                byte[] bytes = new byte[n];
                MemorySegment.copy(m, JAVA_BYTE, at + 4, bytes, 0, n);
                return new String(bytes, StandardCharsets.US_ASCII);
            }
            at += (len + 3) & ~3;
        }
        return null;
    }

    /** IFA_LOCAL (the interface's own address), else IFA_ADDRESS; 0 if neither. */
    private static int ipv4Address(MemorySegment m, int at, int end) {
        int address = 0;
        while (at + 4 <= end) {
            int len = m.get(JAVA_SHORT, at) & 0xffff;
            int type = m.get(JAVA_SHORT, at + 2) & 0x3fff;
            if (len < 4 || at + len > end) {
                break;
            }
            if (len >= 8 && type == IFA_LOCAL) {
                return m.get(BE_INT, at + 4);
            }
            if (len >= 8 && type == IFA_ADDRESS) {
                address = m.get(BE_INT, at + 4);
            }
            at += (len + 3) & ~3;
        }
        return address;
    }

    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        readiness.wakeForever();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Libc.close(fd);
        readiness.close();
        arena.close();
    }
}
