package io.tunnelbox.hal.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import org.tinylog.Logger;

import io.tunnelbox.hal.port.PacketBatch;

/**
 * Sends runs of VXLAN delivery packets of one flow (same outer addresses, ports, TOS, TTL and DF,
 * equal UDP payload sizes but a shorter last one) as one UDP_SEGMENT send: the kernel carries the
 * run as one super-packet as far as it can (through veth and bridges without looking at each
 * datagram) and cuts it into the datagrams the engine built, with the same headers, as late as
 * possible. The UDP socket of a run is bound to the run's source address and port, so the per-flow
 * source port the engine chose (RFC 7348 section 5) is kept; sockets are kept for the most recent
 * {@link #SOCKETS} flows. The outer TTL and TOS go with each send as control messages; DF is the
 * socket's path-MTU mode. The UDP checksum is filled in (the kernel requires it for segmentation).
 *
 * <p>Payloads are not copied: one iovec per datagram, pointing into the batch. A kernel that
 * refuses UDP_SEGMENT gets one log line and the sender stays off; a run it cannot take is left to
 * the caller's raw socket.
 */
final class UdpGsoSender implements AutoCloseable {
    static final int SOL_UDP = 17, UDP_SEGMENT = 103, IP_PMTUDISC_DONT = 0, IP_PMTUDISC_DO = 2;
    /** Shorter runs are not worth a socket per flow. */
    static final int MIN_RUN = 4;
    /** The kernel's UDP_MAX_SEGMENTS on older kernels (newer ones take 128). */
    static final int MAX_RUN = 64;
    private static final int MAX_PAYLOAD = 65507;
    private static final int SOCKETS = 16;
    private static final int MMSGHDR = 64, NAME = 16, CMSG = 24, CONTROL = 3 * CMSG;
    private static final ValueLayout.OfInt BE_INT = JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort BE_SHORT = JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort HOST_SHORT = JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.nativeOrder());
    private static final ValueLayout.OfInt HOST_INT = JAVA_INT_UNALIGNED.withOrder(ByteOrder.nativeOrder());
    private static final ValueLayout.OfLong HOST_LONG = JAVA_LONG_UNALIGNED.withOrder(ByteOrder.nativeOrder());

    private final NetNamespace home;
    private final String portName;
    /** Per cached socket: source port and DF (port << 1 | df), -1 when free; its address and fd (-1: cannot bind). */
    private final int[] key = new int[SOCKETS];
    private final int[] address = new int[SOCKETS];
    private final int[] fd = new int[SOCKETS];
    private final long[] lastUse = new long[SOCKETS];
    private long uses;
    private final MemorySegment msg;
    private final long nameAt, controlAt, iovAt;
    private boolean disabled;

    UdpGsoSender(Arena arena, NetNamespace home, String portName) {
        this.home = home;
        this.portName = portName;
        java.util.Arrays.fill(key, -1);
        java.util.Arrays.fill(fd, -1);
        msg = arena.allocate(MMSGHDR + NAME + CONTROL + (long) MAX_RUN * 16, 8);
        nameAt = MMSGHDR;
        controlAt = nameAt + NAME;
        iovAt = controlAt + CONTROL;
    }

    /**
     * How many packets from {@code slots[from]} on can go out as one send: at least
     * {@link #MIN_RUN}, or 0 when the run is shorter or the first packet is not unicast VXLAN.
     */
    int run(PacketBatch b, int[] slots, int from, int n) {
        if (disabled) {
            return 0;
        }
        MemorySegment m = b.memory();
        int first = slots[from];
        long p0 = b.offset(first);
        int len0 = b.length(first);
        if (!plainUdp(m, p0, len0) || (m.get(JAVA_BYTE, p0 + 16) & 0xf0) >= 0xe0) {
            return 0; // multicast leaves through the raw socket's interface settings
        }
        int size = len0 - 28;
        int total = size;
        int count = 1;
        for (int k = from + 1; k < n && count < MAX_RUN; k++) {
            int i = slots[k];
            long p = b.offset(i);
            int len = b.length(i);
            int payload = len - 28;
            if (payload > size || payload <= 0 || total + payload > MAX_PAYLOAD || !plainUdp(m, p, len)
                    // equality in machine order: C1 calls a byte swap for every big-endian read
                    || m.get(HOST_SHORT, p0) != m.get(HOST_SHORT, p) // version, IHL, TOS
                    || (m.get(JAVA_BYTE, p0 + 6) & 0x40) != (m.get(JAVA_BYTE, p + 6) & 0x40) // DF
                    || m.get(JAVA_BYTE, p0 + 8) != m.get(JAVA_BYTE, p + 8) // TTL
                    || m.get(HOST_LONG, p0 + 12) != m.get(HOST_LONG, p + 12) // addresses
                    || m.get(HOST_INT, p0 + 20) != m.get(HOST_INT, p + 20)) { // ports
                break;
            }
            count++;
            total += payload;
            if (payload < size) {
                break; // a shorter datagram can only be the last
            }
        }
        return count >= MIN_RUN ? count : 0;
    }

    /** IPv4 without options or fragments, UDP, lengths consistent with the slot. */
    private static boolean plainUdp(MemorySegment m, long p, int len) {
        return len > 28 && m.get(JAVA_BYTE, p) == 0x45 && m.get(JAVA_BYTE, p + 9) == 17
                && (m.get(BE_SHORT, p + 2) & 0xffff) == len && (m.get(BE_SHORT, p + 6) & 0x3fff) == 0
                && (m.get(BE_SHORT, p + 24) & 0xffff) == len - 20;
    }

    /** Sends a run found by {@link #run}; false if it must go the usual way. */
    boolean send(PacketBatch b, int[] slots, int from, int count) {
        MemorySegment m = b.memory();
        long p0 = b.offset(slots[from]);
        int src = m.get(BE_INT, p0 + 12);
        int srcPort = m.get(BE_SHORT, p0 + 20) & 0xffff;
        boolean df = (m.get(BE_SHORT, p0 + 6) & 0x4000) != 0;
        int socket = socket(src, srcPort, df);
        if (socket < 0) {
            return false;
        }
        long base = m.address();
        SockAddr.put(msg, nameAt, m.get(BE_INT, p0 + 16), m.get(BE_SHORT, p0 + 22) & 0xffff);
        for (int j = 0; j < count; j++) {
            int i = slots[from + j];
            long iov = iovAt + 16L * j;
            msg.set(JAVA_LONG, iov, base + b.offset(i) + 28);
            msg.set(JAVA_LONG, iov + 8, b.length(i) - 28);
        }
        control(0, SOL_UDP, UDP_SEGMENT, 18);
        msg.set(JAVA_SHORT, controlAt + 16, (short) (b.length(slots[from]) - 28));
        control(1, Libc.IPPROTO_IP, Libc.IP_TTL, 20);
        msg.set(JAVA_INT, controlAt + CMSG + 16, m.get(JAVA_BYTE, p0 + 8) & 0xff);
        control(2, Libc.IPPROTO_IP, Libc.IP_TOS, 20);
        msg.set(JAVA_INT, controlAt + 2 * CMSG + 16, m.get(JAVA_BYTE, p0 + 1) & 0xff);
        msg.set(JAVA_LONG, 0, msg.address() + nameAt);
        msg.set(JAVA_INT, 8, SockAddr.SIZE);
        msg.set(JAVA_LONG, 16, msg.address() + iovAt);
        msg.set(JAVA_LONG, 24, count);
        msg.set(JAVA_LONG, 32, msg.address() + controlAt);
        msg.set(JAVA_LONG, 40, CONTROL);
        msg.set(JAVA_INT, 48, 0);
        if (Libc.sendmmsg(fd[socket], msg.address(), 1, Libc.MSG_DONTWAIT) == 1) {
            return true;
        }
        int errno = Libc.errno();
        if (errno == Errno.EINVAL || errno == Errno.ENOPROTOOPT || errno == Errno.EOPNOTSUPP) {
            disabled = true;
            Logger.warn("port {}: the kernel refuses UDP segmentation ({}); sending datagram by datagram",
                    portName, Errno.name(errno));
        }
        return false;
    }

    private void control(int k, int level, int type, int length) {
        long c = controlAt + (long) CMSG * k;
        msg.set(JAVA_LONG, c, length);
        msg.set(JAVA_INT, c + 8, level);
        msg.set(JAVA_INT, c + 12, type);
    }

    /** The cached socket for this source, opened (in the port's namespace) on first use; -1 if none. */
    private int socket(int src, int port, boolean df) {
        int wanted = port << 1 | (df ? 1 : 0);
        int oldest = 0;
        for (int k = 0; k < SOCKETS; k++) {
            if (key[k] == wanted && address[k] == src) {
                lastUse[k] = ++uses;
                return fd[k] >= 0 ? k : -1;
            }
            if (lastUse[k] < lastUse[oldest]) {
                oldest = k;
            }
        }
        if (fd[oldest] >= 0) {
            Libc.close(fd[oldest]);
        }
        key[oldest] = wanted;
        address[oldest] = src;
        lastUse[oldest] = ++uses;
        fd[oldest] = home.call(() -> open(src, port, df));
        return fd[oldest] >= 0 ? oldest : -1;
    }

    /** A UDP socket bound to src:port, or -1 (logged once per source) if it cannot be had. */
    private int open(int src, int port, boolean df) {
        String what = "UDP segmentation from " + SockAddr.text(src, port);
        int s = Libc.socket(Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, Libc.IPPROTO_UDP);
        if (s < 0) {
            return -1;
        }
        try (Arena a = Arena.ofConfined()) {
            Libc.check(Libc.setsockopt(s, Libc.IPPROTO_IP, Libc.IP_MTU_DISCOVER, df ? IP_PMTUDISC_DO : IP_PMTUDISC_DONT),
                    "IP_MTU_DISCOVER", what);
            Libc.check(Libc.setsockopt(s, Libc.SOL_SOCKET, Libc.SO_SNDBUF, 4 << 20), "SO_SNDBUF", what);
            Libc.check(Libc.bind(s, SockAddr.of(a, src, port)), "bind", what);
            return s;
        } catch (LinuxIoException e) {
            Logger.debug("port {}: {}", portName, e.getMessage());
            Libc.close(s);
            return -1;
        }
    }

    @Override
    public void close() {
        for (int k = 0; k < SOCKETS; k++) {
            if (fd[k] >= 0) {
                Libc.close(fd[k]);
                fd[k] = -1;
            }
        }
    }
}
