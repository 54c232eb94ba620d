package io.tunnelbox.hal.linux;

import java.lang.foreign.Arena;

import io.tunnelbox.hal.port.PacketBatch;

/**
 * The GRE underlay: a raw IPPROTO_GRE (47) socket bound to the WAN address receives every GRE
 * packet for that address, and Linux hands raw sockets the whole IPv4 packet, outer header
 * included, which is exactly what a WAN port delivers. Sending goes through the shared
 * header-included raw socket, so each tunnel's TTL, TOS and DF leave as the datapath set them.
 *
 * <p>No kernel GRE module is involved (none is needed, and with a raw socket open the kernel does
 * not answer GRE with "protocol unreachable").
 */
public final class GrePort extends UnderlayPort {

    private GrePort(String name, int localAddress, String wanInterface, int mtu) {
        super(name, localAddress, wanInterface, mtu);
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
        return new GrePort(name, localAddress, wanInterface, mtu);
    }

    @Override
    void openReceiveSockets() {
        String what = "GRE " + Ipv4Text.format(localAddress());
        int fd = Libc.check(Libc.socket(Libc.AF_INET, Libc.SOCK_RAW | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, Libc.IPPROTO_GRE),
                "socket", what);
        try (Arena a = Arena.ofConfined()) {
            Libc.check(Libc.bind(fd, SockAddr.of(a, localAddress(), 0)), "bind", what);
        } catch (RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
        receiveFds[0] = fd;
        receiveCount = 1;
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
                added += Datagrams.receive(receiveFds[k], receiveVector, batch, 0, counters, peerPorts);
            }
            return added;
        } finally {
            sockets.unlock();
            gate.exit();
        }
    }
}
