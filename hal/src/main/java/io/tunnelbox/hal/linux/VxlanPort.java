package io.tunnelbox.hal.linux;

import io.tunnelbox.hal.port.Ipv4Text;
import io.tunnelbox.hal.port.PacketBatch;
import java.lang.foreign.Arena;
import java.util.Arrays;
import org.tinylog.Logger;

/**
 * The VXLAN underlay. Receive: a UDP socket bound to WAN address:port (4789 unless configured),
 * read with recvmmsg, plus one socket per multicast group joined on the WAN interface. The port
 * hands over what the socket delivered, the UDP payload (VXLAN header and inner frame), with the
 * sender's address and port as the batch's peer and peer port ({@link Layer#UDP_PAYLOAD}): the
 * kernel has already checked the outer IPv4 and UDP headers, so nothing is rebuilt for the engine
 * to check again. With UDP_GRO ({@link UdpGroReceiver}) a run of datagrams of one flow comes in as
 * one read and is cut back into its datagrams before the engine sees them.
 *
 * <p>Send: through the header-included raw socket like GRE (one sendmmsg per batch). A UDP
 * socket can only send from its bound port, which would throw away the per-flow source port that
 * RFC 7348 section 5 asks for (ECMP entropy), and the per-segment TTL/TOS/DF; the raw socket sends
 * the datapath's outer header as built, at the same one-system-call-per-batch cost.
 */
public final class VxlanPort extends UnderlayPort {
    public static final int DEFAULT_PORT = 4789;
    private static final int MAX_GROUPS = MAX_RECEIVE_SOCKETS - 1;

    private final int udpPort;
    /** Destination address of what socket k receives: the WAN address, then the groups. */
    private final int[] boundAddress = new int[MAX_RECEIVE_SOCKETS];
    private volatile int[] groups = new int[0];

    /** Sends runs of one flow with UDP_SEGMENT; null when that offload is off. */
    private final UdpGsoSender gso;
    private final int[] rawSlots = new int[PacketBatch.CAPACITY];
    /** Reads with UDP_GRO (runs cut back into datagrams); null when that offload is off. */
    private final UdpGroReceiver gro;
    /** True once a receive socket took UDP_GRO: from then on every socket is read through {@link #gro}. */
    private volatile boolean groActive;
    private boolean groRefusalLogged;

    private VxlanPort(String name, int localAddress, int udpPort, String wanInterface, int mtu, boolean udpSegmentation,
                      boolean udpGro) {
        super(name, localAddress, wanInterface, mtu);
        if (udpPort <= 0 || udpPort > 65535) {
            abandon();
            throw new IllegalArgumentException("UDP port " + udpPort + " outside 1..65535");
        }
        this.udpPort = udpPort;
        this.gso = udpSegmentation ? new UdpGsoSender(arena, home, name) : null;
        this.gro = udpGro ? new UdpGroReceiver(arena) : null;
        try {
            openReceiveSocketsOrWait();
        } catch (RuntimeException e) {
            abandon();
            throw e;
        }
    }

    /**
     * Opens a VXLAN port on {@code localAddress}:{@code udpPort} in the calling thread's namespace;
     * {@code wanInterface} is where multicast groups are joined and sent (null: no multicast).
     */
    public static VxlanPort open(String name, int localAddress, int udpPort, String wanInterface, int mtu) {
        return new VxlanPort(name, localAddress, udpPort, wanInterface, mtu, false, false);
    }

    /**
     * As {@link #open(String, int, int, String, int)}; with {@code udpSegmentation} a run of
     * equal-sized delivery packets of one flow in a batch leaves in one UDP_SEGMENT send.
     */
    public static VxlanPort open(String name, int localAddress, int udpPort, String wanInterface, int mtu,
                                 boolean udpSegmentation) {
        return new VxlanPort(name, localAddress, udpPort, wanInterface, mtu, udpSegmentation, false);
    }

    /**
     * As {@link #open(String, int, int, String, int, boolean)}; with {@code udpGro} the receive
     * sockets take UDP_GRO, so a run of datagrams of one flow comes in as one read (cut back into
     * datagrams before the engine sees them). A kernel that refuses gets one log line and the
     * port reads datagram by datagram.
     */
    public static VxlanPort open(String name, int localAddress, int udpPort, String wanInterface, int mtu,
                                 boolean udpSegmentation, boolean udpGro) {
        return new VxlanPort(name, localAddress, udpPort, wanInterface, mtu, udpSegmentation, udpGro);
    }

    /** Whether a receive socket took UDP_GRO (asked for and granted by the kernel). */
    public boolean udpGro() {
        return groActive;
    }

    /** Whether runs of one flow leave with UDP segmentation (asked for, and not refused by the kernel yet). */
    public boolean udpSegmentation() {
        return gso != null;
    }

    /**
     * Runs of one flow go out through {@link UdpGsoSender}, everything else through the raw
     * socket, in batch order (what waits for the raw socket is sent before a run).
     */
    @Override
    int sendBatch(PacketBatch batch, int[] slots, int n, RawIpSender raw) {
        if (gso == null) {
            return raw.send(batch, slots, n, counters);
        }
        int sent = 0;
        int pending = 0;
        for (int k = 0; k < n; ) {
            int run = gso.run(batch, slots, k, n);
            if (run == 0) {
                rawSlots[pending++] = slots[k++];
                continue;
            }
            if (pending > 0) {
                sent += raw.send(batch, rawSlots, pending, counters);
                pending = 0;
            }
            if (gso.send(batch, slots, k, run)) {
                long bytes = 0;
                for (int j = k; j < k + run; j++) {
                    bytes += batch.length(slots[j]);
                }
                counters.sent(run, bytes);
                sent += run;
            } else {
                for (int j = k; j < k + run; j++) {
                    rawSlots[pending++] = slots[j];
                }
            }
            k += run;
        }
        if (pending > 0) {
            sent += raw.send(batch, rawSlots, pending, counters);
        }
        return sent;
    }

    @Override
    void closeSenders() {
        if (gso != null) {
            gso.close();
        }
    }

    public int udpPort() {
        return udpPort;
    }

    /** Groups joined, in joining order. */
    public int[] groups() {
        return groups.clone();
    }

    /**
     * Joins multicast {@code group} on the WAN interface (IP_ADD_MEMBERSHIP) and receives what is
     * sent to it. Any thread. Joining a group twice does nothing.
     */
    public void join(int group) {
        if (wanInterface() == null) {
            throw new IllegalStateException("port " + name() + " has no WAN interface for multicast");
        }
        sockets.lock();
        try {
            joinLocked(group);
        } finally {
            sockets.unlock();
        }
    }

    private void joinLocked(int group) {
        if ((group >>> 28) != 0xe) {
            throw new IllegalArgumentException(Ipv4Text.format(group) + " is not a multicast group");
        }
        if (Arrays.stream(groups).anyMatch(g -> g == group)) {
            return;
        }
        if (groups.length == MAX_GROUPS) {
            throw new IllegalStateException("port " + name() + " already has " + MAX_GROUPS + " groups");
        }
        if (!gate.enter()) {
            throw new IllegalStateException("port " + name() + " is closed");
        }
        try {
            if (bound) {
                // Without the WAN address bound yet, the group socket comes with the bind.
                int fd = home.call(() -> openGroupSocket(group));
                receiveFds[receiveCount] = fd;
                boundAddress[receiveCount] = group;
                receiveCount++;
            }
            groups = Arrays.copyOf(groups, groups.length + 1);
            groups[groups.length - 1] = group;
        } finally {
            gate.exit();
        }
    }

    /** Leaves {@code group} (closing its socket drops the membership). Any thread. */
    public void leave(int group) {
        if (!gate.enter()) {
            return;
        }
        sockets.lock();
        try {
            leaveLocked(group);
        } finally {
            sockets.unlock();
            gate.exit();
        }
    }

    private void leaveLocked(int group) {
        for (int k = 1; k < receiveCount; k++) {
            if (boundAddress[k] == group) {
                Libc.close(receiveFds[k]);
                System.arraycopy(receiveFds, k + 1, receiveFds, k, receiveCount - k - 1);
                System.arraycopy(boundAddress, k + 1, boundAddress, k, receiveCount - k - 1);
                receiveCount--;
                break;
            }
        }
        groups = Arrays.stream(groups).filter(g -> g != group).toArray();
    }

    @Override
    void openReceiveSockets() {
        int fd = openSocket(localAddress(), "VXLAN " + SockAddr.text(localAddress(), udpPort));
        receiveFds[0] = fd;
        boundAddress[0] = localAddress();
        receiveCount = 1;
        for (int group : groups) {
            receiveFds[receiveCount] = openGroupSocket(group);
            boundAddress[receiveCount] = group;
            receiveCount++;
        }
    }

    /** Closes the group sockets and joins the groups again (the WAN NIC may have a new index). */
    @Override
    void refreshReceiveSockets() {
        for (int k = 1; k < receiveCount; k++) {
            Libc.close(receiveFds[k]);
        }
        receiveCount = 1;
        for (int group : groups) {
            receiveFds[receiveCount] = openGroupSocket(group);
            boundAddress[receiveCount] = group;
            receiveCount++;
        }
    }

    private int openSocket(int address, String what) {
        int fd = Libc.check(Libc.socket(Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, Libc.IPPROTO_UDP),
                "socket", what);
        try (Arena a = Arena.ofConfined()) {
            Libc.check(Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, 4 << 20), "SO_RCVBUF", what);
            Libc.check(Libc.bind(fd, SockAddr.of(a, address, udpPort)), "bind", what);
            enableGro(fd, what);
            return fd;
        } catch (RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
    }

    private int openGroupSocket(int group) {
        String what = "VXLAN group " + SockAddr.text(group, udpPort) + " on " + wanInterface();
        int ifindex = wanIfindex();
        int fd = -1;
        try (Arena a = Arena.ofConfined()) {
            fd = Libc.check(Libc.socket(Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, Libc.IPPROTO_UDP),
                    "socket", what);
            // Several boxes (or a lab) on one host may bind the same group and port.
            Libc.check(Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_REUSEADDR, 1), "SO_REUSEADDR", what);
            // Only this socket's own memberships, not every group some other socket joined.
            Libc.check(Libc.setsockopt(fd, Libc.IPPROTO_IP, Libc.IP_MULTICAST_ALL, 0), "IP_MULTICAST_ALL", what);
            Libc.check(Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, 4 << 20), "SO_RCVBUF", what);
            Libc.check(Libc.bind(fd, SockAddr.of(a, group, udpPort)), "bind", what);
            Libc.check(Libc.setsockopt(fd, Libc.IPPROTO_IP, Libc.IP_ADD_MEMBERSHIP, SockAddr.mreqn(a, group, ifindex)),
                    "IP_ADD_MEMBERSHIP", what);
            enableGro(fd, what);
            return fd;
        } catch (RuntimeException e) {
            if (fd >= 0) {
                Libc.close(fd);
            }
            throw e;
        }
    }

    /** UDP_GRO on a new receive socket when asked for; a refusal is logged once per port. */
    private void enableGro(int fd, String what) {
        if (gro == null) {
            return;
        }
        if (UdpGroReceiver.enable(fd)) {
            groActive = true;
        } else if (!groRefusalLogged) {
            groRefusalLogged = true;
            Logger.warn("port {}: the kernel refuses UDP_GRO on {} ({}); receiving datagram by datagram",
                    name(), what, Errno.name(Libc.errno()));
        }
    }

    @Override
    public Layer layer() {
        return Layer.UDP_PAYLOAD;
    }

    @Override
    public int receive(PacketBatch batch) {
        if (!gate.enter()) {
            return 0;
        }
        sockets.lock();
        try {
            bindIfMissing();
            int added = 0;
            if (groActive) {
                // What an earlier read left staged goes first, before any socket is read again.
                added = gro.drain(batch, counters);
                for (int k = 0; k < receiveCount && !batch.isFull() && !gro.hasPending(); k++) {
                    added += gro.receive(receiveFds[k], batch, counters);
                }
                return added;
            }
            for (int k = 0; k < receiveCount && !batch.isFull(); k++) {
                added += Datagrams.receive(receiveFds[k], receiveVector, batch, counters);
            }
            return added;
        } finally {
            sockets.unlock();
            gate.exit();
        }
    }
}
