package io.tunnelbox.hal.linux;

import io.tunnelbox.hal.port.Ipv4Text;
import io.tunnelbox.hal.port.PacketBatch;
import io.tunnelbox.hal.port.PacketPort;
import io.tunnelbox.hal.port.PortCounters;
import java.lang.foreign.Arena;
import java.util.concurrent.locks.ReentrantLock;
import org.tinylog.Logger;

/**
 * A WAN port made of sockets, sending complete IPv4 delivery packets (outer header included):
 * receive sockets bound to the WAN address (what they are depends on the encapsulation) and one
 * unbound {@link RawIpSender} for everything sent. The sender is bound to no address, so it
 * survives address changes; the receive sockets can be re-created with {@link #rebind} or
 * {@link #reopen} (after a DHCP renewal changed the address, or the WAN NIC was re-created), in
 * the network namespace the port was opened in.
 *
 * <p>Threads: one thread receives (receive, awaitReadable), one sends (send); they may be the
 * same. rebind, reopen, VXLAN group changes and close() may come from any thread (the
 * configuration's): a lock, uncontended on the packet path, keeps a receive from reading a
 * descriptor that is being replaced.
 */
public abstract sealed class UnderlayPort implements PacketPort, Pollable permits GrePort, VxlanPort {
    static final int MAX_RECEIVE_SOCKETS = 65;

    private final String name;
    private final int mtu;
    private final String wanInterface;
    final NetNamespace home;
    final Arena arena = Arena.ofShared();
    final PortGate gate = new PortGate();
    final PortCounters counters = new PortCounters();
    final MessageVector receiveVector;
    private final Readiness readiness;
    private final RawIpSender sender;
    /** Held while receiving and while the receive descriptors change. */
    final ReentrantLock sockets = new ReentrantLock();
    /** Receive descriptors; changed only under {@link #sockets}. */
    final int[] receiveFds = new int[MAX_RECEIVE_SOCKETS];
    volatile int receiveCount;
    /** True while the receive sockets for the WAN address are open. */
    volatile boolean bound;
    private volatile int localAddress;
    private volatile long rebinds;
    /** While the port has no receive socket: when to try binding again (System.nanoTime). */
    private long nextBindAttempt;
    private static final long BIND_RETRY_NANOS = 1_000_000_000L;

    /**
     * Opens the common parts in the calling thread's namespace; subclasses then open their
     * receive sockets with {@link #openReceiveSockets()}.
     */
    UnderlayPort(String name, int localAddress, String wanInterface, int mtu) {
        if (mtu < 68 || mtu > PacketBatch.MAX_PACKET) {
            throw new IllegalArgumentException("WAN MTU " + mtu + " outside 68.." + PacketBatch.MAX_PACKET);
        }
        this.name = name;
        this.mtu = mtu;
        this.wanInterface = wanInterface;
        this.localAddress = localAddress;
        NetNamespace ns = null;
        Readiness ready = null;
        RawIpSender raw = null;
        try {
            ns = NetNamespace.current();
            ready = new Readiness(MAX_RECEIVE_SOCKETS, name);
            raw = new RawIpSender(arena, name, wanIfindex());
        } catch (RuntimeException e) {
            if (ready != null) {
                ready.close();
            }
            if (ns != null) {
                ns.close();
            }
            arena.close();
            throw e;
        }
        this.home = ns;
        this.readiness = ready;
        this.sender = raw;
        this.receiveVector = new MessageVector(arena);
    }

    /** Index of the WAN interface in the calling thread's namespace, 0 if none was named. */
    int wanIfindex() {
        if (wanInterface == null) {
            return 0;
        }
        int index = Libc.ifNameToIndex(wanInterface);
        if (index == 0) {
            throw new LinuxIoException("if_nametoindex", wanInterface, Libc.errno());
        }
        return index;
    }

    /** Opens the receive sockets for {@link #localAddress()} into {@link #receiveFds}. */
    abstract void openReceiveSockets();

    /**
     * Re-creates what depends on the WAN interface (not on the address) while the address stays
     * bound: the unicast socket is kept, because a thread may still sit in poll() on it, which
     * holds the socket and its port open a little longer, so a new bind to the same address and
     * port would fail with EADDRINUSE. By default nothing depends on the interface.
     */
    void refreshReceiveSockets() {
    }

    /**
     * The first bind, in the constructor: if the WAN address is not there yet (a box booting
     * before DHCP has answered), the port starts without receive sockets and binds once the
     * address appears (see {@link #bindIfMissing()}); any other failure is thrown.
     */
    final void openReceiveSocketsOrWait() {
        try {
            openReceiveSockets();
            bound = true;
        } catch (LinuxIoException e) {
            if (e.errno() != Errno.EADDRNOTAVAIL) {
                throw e;
            }
            closeReceiveSockets();
            counters.rxError();
            nextBindAttempt = System.nanoTime() + BIND_RETRY_NANOS;
            Logger.warn("port {}: {}; will bind when the address appears", name, e.getMessage());
        }
    }

    /**
     * Called at the start of every receive: a port without receive sockets (its address was
     * missing) tries again, at most once a second, and counts each failure as one receive error.
     */
    final void bindIfMissing() {
        if (!bound && System.nanoTime() - nextBindAttempt >= 0) {
            if (!rebind(localAddress)) {
                nextBindAttempt = System.nanoTime() + BIND_RETRY_NANOS;
            }
        }
    }

    /** Cleans up after a failed constructor of a subclass. */
    final void abandon() {
        closeReceiveSockets();
        sender.close();
        readiness.close();
        home.close();
        arena.close();
    }

    final void closeReceiveSockets() {
        for (int k = 0; k < receiveCount; k++) {
            Libc.close(receiveFds[k]);
        }
        receiveCount = 0;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public abstract Layer layer();

    @Override
    public final int mtu() {
        return mtu;
    }

    public final int localAddress() {
        return localAddress;
    }

    public final String wanInterface() {
        return wanInterface;
    }

    /** How often the receive sockets were re-created. */
    public final long rebinds() {
        return rebinds;
    }

    /**
     * Re-creates the receive sockets bound to {@code newLocalAddress} (the WAN address changed).
     * Any thread. If binding fails (the address is not there yet), the port keeps no
     * receive socket, counts an error and returns false; it then retries by itself from
     * {@code receive}, once a second, and stays usable for sending meanwhile.
     */
    public final boolean rebind(int newLocalAddress) {
        if (!gate.enter()) {
            return false;
        }
        sockets.lock();
        try {
            rebinds++;
            if (bound && newLocalAddress == localAddress) {
                try {
                    home.run(this::refreshReceiveSockets);
                    return true;
                } catch (LinuxIoException e) {
                    Logger.warn("port {}: cannot refresh receive sockets: {}", name, e.getMessage());
                    // fall through: start again from nothing
                }
            }
            closeReceiveSockets();
            bound = false;
            localAddress = newLocalAddress;
            try {
                home.run(this::openReceiveSockets);
                bound = true;
                Logger.info("port {}: receive sockets re-created for {}", name, Ipv4Text.format(newLocalAddress));
                return true;
            } catch (LinuxIoException e) {
                closeReceiveSockets();
                counters.rxError();
                nextBindAttempt = System.nanoTime() + BIND_RETRY_NANOS;
                if (e.errno() == Errno.EADDRNOTAVAIL) {
                    Logger.debug("port {}: {}", name, e.getMessage());
                } else {
                    Logger.warn("port {}: cannot re-create receive sockets: {}", name, e.getMessage());
                }
                return false;
            }
        } finally {
            sockets.unlock();
            gate.exit();
        }
    }

    /**
     * {@link #rebind} to the same address: re-joins multicast groups on the WAN interface (it may
     * have been re-created, with a new index), or binds from scratch if the port is not bound.
     */
    public final boolean reopen() {
        if (wanInterface != null && gate.enter()) {
            try (Arena a = Arena.ofConfined()) {
                int index = home.call(this::wanIfindex);
                sender.multicastInterface(a, name, index);
            } catch (LinuxIoException e) {
                Logger.warn("port {}: multicast interface not set again: {}", name, e.getMessage());
            } finally {
                gate.exit();
            }
        }
        return rebind(localAddress);
    }

    @Override
    public final PortGate gate() {
        return gate;
    }

    @Override
    public final int pollFds(int[] into, int at) {
        into[at] = readiness.wakeFd();
        System.arraycopy(receiveFds, 0, into, at + 1, receiveCount);
        return receiveCount + 1;
    }

    /** True while the port has its receive sockets (false after a failed rebind). */
    public final boolean isReceiving() {
        return bound;
    }

    @Override
    public final boolean awaitReadable(long timeoutNanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (!gate.enter()) {
            return false;
        }
        try {
            return readiness.await(receiveFds, receiveCount, timeoutNanos);
        } finally {
            gate.exit();
        }
    }

    @Override
    public final int send(PacketBatch batch, int[] slots, int n) {
        if (!gate.enter()) {
            counters.txDropped(n);
            return 0;
        }
        try {
            return sendBatch(batch, slots, n, sender);
        } finally {
            gate.exit();
        }
    }

    /** How a batch leaves (inside the port's gate); the VXLAN port sends runs with UDP segmentation. */
    int sendBatch(PacketBatch batch, int[] slots, int n, RawIpSender raw) {
        return raw.send(batch, slots, n, counters);
    }

    /** Closes what a subclass opened for sending (inside close, after the gate shut). */
    void closeSenders() {
    }

    @Override
    public final PortCounters counters() {
        return counters;
    }

    @Override
    public final void close() {
        if (gate.close(name, readiness::wakeForever)) {
            sockets.lock();
            try {
                closeReceiveSockets();
            } finally {
                sockets.unlock();
            }
            closeSenders();
            sender.close();
            readiness.close();
            home.close();
            arena.close();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + " " + name + " " + Ipv4Text.format(localAddress);
    }
}
