package io.tunnelbox.hal.linux;

import java.lang.foreign.Arena;

import org.tinylog.Logger;

import io.tunnelbox.hal.port.PacketBatch;
import io.tunnelbox.hal.port.PacketPort;
import io.tunnelbox.hal.port.PortCounters;

/**
 * A WAN port carrying complete IPv4 delivery packets (outer header included), made of sockets:
 * receive sockets bound to the WAN address (what they are depends on the encapsulation) and one
 * unbound {@link RawIpSender} for everything sent. The sender is bound to no address, so it
 * survives address changes; the receive sockets can be re-created with {@link #rebind} or
 * {@link #reopen} (after a DHCP renewal changed the address, or the WAN NIC was re-created), in
 * the network namespace the port was opened in.
 *
 * <p>Threads: one thread receives (receive, awaitReadable, rebind, reopen, and VXLAN group
 * changes), one sends (send); they may be the same. close() may come from any thread.
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
    final int[] peerPorts = new int[PacketBatch.CAPACITY];
    private final Readiness readiness;
    private final RawIpSender sender;
    /** Receive descriptors; only the receive thread changes them. */
    final int[] receiveFds = new int[MAX_RECEIVE_SOCKETS];
    int receiveCount;
    /** True while the receive sockets for the WAN address are open (receive thread). */
    boolean bound;
    private volatile int localAddress;
    private long rebinds;
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
    public final Layer layer() {
        return Layer.IP;
    }

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
     * Receive thread only. If binding fails (the address is not there yet), the port keeps no
     * receive socket, counts an error and returns false; it then retries by itself from
     * {@code receive}, once a second, and stays usable for sending meanwhile.
     */
    public final boolean rebind(int newLocalAddress) {
        if (!gate.enter()) {
            return false;
        }
        try {
            closeReceiveSockets();
            bound = false;
            localAddress = newLocalAddress;
            rebinds++;
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
            gate.exit();
        }
    }

    /** {@link #rebind} to the same address (the WAN NIC was re-created, say). */
    public final boolean reopen() {
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
            return sender.send(batch, slots, n, counters);
        } finally {
            gate.exit();
        }
    }

    @Override
    public final PortCounters counters() {
        return counters;
    }

    @Override
    public final void close() {
        if (gate.close(name, readiness::wakeForever)) {
            closeReceiveSockets();
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
