package io.tunnelbox.hal.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.tunnelbox.hal.port.Ipv4Text;
import io.tunnelbox.hal.port.PacketBatch;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The GRE underlay: a raw IPPROTO_GRE (47) socket bound to the WAN address receives every GRE
 * packet for that address, and Linux hands raw sockets the whole IPv4 packet, outer header
 * included, which is exactly what a WAN port delivers. Sending goes through the shared
 * header-included raw socket, so each tunnel's TTL, TOS and DF leave as the datapath set them.
 *
 * <p>Every raw GRE socket on an address gets a copy of every GRE packet to it. A box with both
 * roles has two GRE ports on one address; each can take only its own payloads ({@link Payload}),
 * sorted out in the kernel by a classic BPF filter on the GRE protocol type, so that neither
 * datapath sees (and counts as not its business) every packet of the other.
 *
 * <p>No kernel GRE module is involved (none is needed, and with a raw socket open the kernel does
 * not answer GRE with "protocol unreachable").
 */
public final class GrePort extends UnderlayPort {
    static final int SO_ATTACH_FILTER = 26;

    /** Which GRE payloads (protocol types) a port receives. */
    public enum Payload {
        /** Everything. */
        ANY,
        /**
         * IPv4 (0x0800) and IPv6 (0x86DD): the router role. Also 0: a reflected Cisco keepalive
         * comes back with the protocol type 0 of the inner header we built.
         */
        IP,
        /** Transparent Ethernet bridging (0x6558): the L2 switch role. */
        ETHERNET
    }

    private final Payload payload;

    private GrePort(String name, int localAddress, String wanInterface, int mtu, Payload payload) {
        super(name, localAddress, wanInterface, mtu);
        this.payload = payload;
        try {
            openReceiveSocketsOrWait();
        } catch (RuntimeException e) {
            abandon();
            throw e;
        }
    }

    /**
     * Opens a GRE port for the WAN address {@code localAddress} (IPv4 as an int) in the calling
     * thread's namespace; {@code wanInterface} (may be null) is only used to pin multicast.
     */
    public static GrePort open(String name, int localAddress, String wanInterface, int mtu) {
        return new GrePort(name, localAddress, wanInterface, mtu, Payload.ANY);
    }

    /** {@link #open(String, int, String, int)} receiving only {@code payload}. */
    public static GrePort open(String name, int localAddress, String wanInterface, int mtu, Payload payload) {
        return new GrePort(name, localAddress, wanInterface, mtu, payload);
    }

    public Payload payload() {
        return payload;
    }

    @Override
    void openReceiveSockets() {
        String what = "GRE " + Ipv4Text.format(localAddress());
        int fd = Libc.check(Libc.socket(Libc.AF_INET, Libc.SOCK_RAW | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, Libc.IPPROTO_GRE),
                "socket", what);
        try (Arena a = Arena.ofConfined()) {
            if (payload != Payload.ANY) {
                Libc.check(Libc.setsockopt(fd, Libc.SOL_SOCKET, SO_ATTACH_FILTER, filter(a, payload)), "SO_ATTACH_FILTER", what);
            }
            Libc.check(Libc.bind(fd, SockAddr.of(a, localAddress(), 0)), "bind", what);
            // Until bind, a raw socket takes GRE for any address: throw that away.
            drain(fd, a);
        } catch (RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
        receiveFds[0] = fd;
        receiveCount = 1;
    }

    /**
     * A classic BPF program over the IPv4 packet a raw socket sees: X = IPv4 header length, load
     * the GRE protocol type at X + 2, accept the wanted ones. Returns a struct sock_fprog.
     */
    static MemorySegment filter(Arena arena, Payload payload) {
        final short ldxMsh = 0xb1, ldhInd = 0x48, jeqK = 0x15, retK = 0x06;
        final int accept = 0xffff, drop = 0;
        int[][] program = payload == Payload.IP
                ? new int[][] {
                    {ldxMsh, 0, 0, 0}, {ldhInd, 0, 0, 2},
                    {jeqK, 3, 0, 0x0800}, {jeqK, 2, 0, 0x86dd}, {jeqK, 1, 0, 0x0000},
                    {retK, 0, 0, drop}, {retK, 0, 0, accept}}
                : new int[][] {
                    {ldxMsh, 0, 0, 0}, {ldhInd, 0, 0, 2},
                    {jeqK, 0, 1, 0x6558},
                    {retK, 0, 0, accept}, {retK, 0, 0, drop}};
        MemorySegment code = arena.allocate(8L * program.length, 8);
        for (int i = 0; i < program.length; i++) {
            long at = 8L * i;
            code.set(JAVA_SHORT, at, (short) program[i][0]);
            code.set(JAVA_BYTE, at + 2, (byte) program[i][1]);
            code.set(JAVA_BYTE, at + 3, (byte) program[i][2]);
            code.set(JAVA_INT, at + 4, program[i][3]);
        }
        MemorySegment fprog = arena.allocate(16, 8);
        fprog.set(JAVA_SHORT, 0, (short) program.length);
        fprog.set(ADDRESS, 8, code);
        return fprog;
    }

    /** Throws away what the socket queued before it was bound and filtered (bounded). */
    private static void drain(int fd, Arena arena) {
        MemorySegment scratch = arena.allocate(PacketBatch.MAX_PACKET);
        for (int k = 0; k < 1024; k++) {
            if (Libc.recvfrom(fd, scratch.address(), scratch.byteSize(), Libc.MSG_DONTWAIT, MemorySegment.NULL,
                    MemorySegment.NULL) < 0) {
                return;
            }
        }
    }

    /** Raw IP sockets hand over the whole delivery packet, outer IPv4 header included. */
    @Override
    public Layer layer() {
        return Layer.IP;
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
