package io.tunnelbox.hal.linux;

import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import io.tunnelbox.hal.port.PacketBatch;
import io.tunnelbox.hal.port.PacketPort;
import io.tunnelbox.hal.port.PortCounters;

/**
 * A TUN or TAP device as a {@link PacketPort}: one read(2) or write(2) per packet on a
 * non-blocking descriptor (the tun driver has no batched calls without virtio headers), packets
 * read straight into batch slots behind {@link PacketBatch#HEADROOM} so that the engine can
 * prepend tunnel headers without a copy.
 *
 * <p>The device is not persistent: closing the port removes it from the system. It is created in
 * the calling thread's network namespace (see {@link NetNamespace#call}).
 */
public abstract sealed class TunTapPort implements PacketPort, Pollable permits TunPort, TapPort {
    static final long TUNSETIFF = 0x400454caL;
    static final short IFF_TUN = 0x0001, IFF_TAP = 0x0002, IFF_NO_PI = 0x1000;

    private final String name;
    private final short mode;
    private final int fd;
    private final LinkControl link;
    private final Readiness readiness;
    private final PortGate gate = new PortGate();
    private final PortCounters counters = new PortCounters();
    private final int[] pollScratch = new int[1];
    /** Link header bytes a packet may carry beyond the MTU (TAP: Ethernet and one VLAN tag). */
    private final int overhead;
    /** The MTU as last set or read: the engine may ask per packet, an ioctl per packet is too dear. */
    private volatile int mtu;

    TunTapPort(String requestedName, short mode, int mtu, int overhead) {
        if (mtu < 68 || mtu + overhead > PacketBatch.MAX_PACKET) {
            throw new IllegalArgumentException("MTU " + mtu + " outside 68.." + (PacketBatch.MAX_PACKET - overhead)
                    + " (a packet must fit a batch slot)");
        }
        String device = "/dev/net/tun";
        int tunFd = Libc.check(Libc.open(device, Libc.O_RDWR | Libc.O_NONBLOCK | Libc.O_CLOEXEC), "open", device);
        LinkControl control = null;
        Readiness ready = null;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ifr = LinkControl.ifreq(arena, requestedName);
            ifr.set(JAVA_SHORT, LinkControl.UNION, (short) (mode | IFF_NO_PI));
            Libc.check(Libc.ioctl(tunFd, TUNSETIFF, ifr), "TUNSETIFF", requestedName);
            this.name = LinkControl.name(ifr);
            control = new LinkControl();
            control.setMtu(name, mtu);
            ready = new Readiness(1, name);
        } catch (RuntimeException e) {
            if (ready != null) {
                ready.close();
            }
            if (control != null) {
                control.close();
            }
            Libc.close(tunFd);
            throw e;
        }
        this.fd = tunFd;
        this.mode = mode;
        this.link = control;
        this.readiness = ready;
        this.overhead = overhead;
        this.mtu = mtu;
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * MTU of the device (the IP MTU; TAP frames carry 14 bytes of Ethernet header more), as set
     * through this port or last read by {@link #refreshMtu()}.
     */
    @Override
    public int mtu() {
        return mtu;
    }

    /** Sets the device's MTU; it may not exceed the MTU the port was opened with (slot size). */
    public void setMtu(int newMtu) {
        if (newMtu < 68 || newMtu + overhead > PacketBatch.MAX_PACKET) {
            throw new IllegalArgumentException("MTU " + newMtu + " outside 68.." + (PacketBatch.MAX_PACKET - overhead)
                    + " (a packet must fit a batch slot)");
        }
        control(() -> {
            link.setMtu(name, newMtu);
            return null;
        });
        mtu = newMtu;
    }

    /** Reads the device's MTU again (someone may have changed it with {@code ip link}). */
    public int refreshMtu() {
        mtu = control(() -> link.mtu(name));
        return mtu;
    }

    public boolean isUp() {
        return control(() -> link.isUp(name));
    }

    /** Sets the device administratively up or down (as {@code ip link set dev NAME up}). */
    public void setUp(boolean up) {
        control(() -> {
            link.setUp(name, up);
            return null;
        });
    }

    /** True while the device exists (someone may delete it with {@code ip link del}). */
    public boolean deviceExists() {
        return control(() -> {
            try {
                return link.index(name) > 0; // asked through the port's own socket: its namespace
            } catch (LinuxIoException e) {
                return false;
            }
        });
    }

    /**
     * Creates the device again after someone deleted it (its descriptor then only reports errors).
     * The new descriptor takes the old one's number (dup2), so a thread reading or polling at the
     * same moment never touches an unrelated file. The device comes back down, with the port's
     * MTU; the caller brings it up and puts its addresses and routes back. Call it in the port's
     * network namespace (the device is made where /dev/net/tun is opened).
     */
    public void recreate() {
        control(() -> {
            int fresh = Libc.check(Libc.open("/dev/net/tun", Libc.O_RDWR | Libc.O_NONBLOCK | Libc.O_CLOEXEC),
                    "open", "/dev/net/tun");
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment ifr = LinkControl.ifreq(arena, name);
                ifr.set(JAVA_SHORT, LinkControl.UNION, (short) (mode | IFF_NO_PI));
                Libc.check(Libc.ioctl(fresh, TUNSETIFF, ifr), "TUNSETIFF", name);
                Libc.check(Libc.dup2(fresh, fd), "dup2", name);
            } finally {
                Libc.close(fresh);
            }
            link.setMtu(name, mtu);
            return null;
        });
    }

    public int ifindex() {
        return control(() -> link.index(name));
    }

    LinkControl link() {
        return link;
    }

    /** Runs a device setting call while the port is open (its control socket is closed with it). */
    <T> T control(java.util.function.Supplier<T> call) {
        if (!gate.enter()) {
            throw new IllegalStateException("port " + name + " is closed");
        }
        try {
            return call.get();
        } finally {
            gate.exit();
        }
    }

    @Override
    public PortGate gate() {
        return gate;
    }

    @Override
    public int pollFds(int[] into, int at) {
        into[at] = readiness.wakeFd();
        into[at + 1] = fd;
        return 2;
    }

    @Override
    public int receive(PacketBatch batch) {
        if (!gate.enter()) {
            return 0;
        }
        try {
            long base = batch.memory().address();
            int received = 0;
            long bytes = 0;
            while (!batch.isFull()) {
                int slot = batch.count();
                long n = Libc.read(fd, base + PacketBatch.slotBase(slot) + PacketBatch.HEADROOM, PacketBatch.MAX_PACKET);
                if (n <= 0) {
                    if (n < 0 && Libc.errno() != Errno.EAGAIN && Libc.errno() != Errno.EINTR) {
                        counters.rxError();
                    }
                    break;
                }
                batch.add((int) n);
                received++;
                bytes += n;
            }
            if (received > 0) {
                counters.received(received, bytes);
            }
            return received;
        } finally {
            gate.exit();
        }
    }

    @Override
    public boolean awaitReadable(long timeoutNanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (!gate.enter()) {
            return false;
        }
        try {
            return readiness.await(fd, timeoutNanos, pollScratch);
        } finally {
            gate.exit();
        }
    }

    @Override
    public int send(PacketBatch batch, int[] slots, int n) {
        if (!gate.enter()) {
            counters.txDropped(n);
            return 0;
        }
        try {
            long base = batch.memory().address();
            int maxPacket = mtu + overhead;
            int sent = 0;
            long bytes = 0;
            for (int k = 0; k < n; k++) {
                int i = slots[k];
                int length = batch.length(i);
                if (length > maxPacket) {
                    counters.txDropped(1);
                    continue;
                }
                long w = Libc.write(fd, base + batch.offset(i), length);
                if (w < 0) {
                    // EIO: device down; EAGAIN: its queue is full; either way this packet is lost.
                    counters.txDropped(1);
                    if (Libc.errno() != Errno.EAGAIN && Libc.errno() != Errno.EIO) {
                        counters.txError();
                    }
                    continue;
                }
                sent++;
                bytes += length;
            }
            if (sent > 0) {
                counters.sent(sent, bytes);
            }
            return sent;
        } finally {
            gate.exit();
        }
    }

    @Override
    public PortCounters counters() {
        return counters;
    }

    @Override
    public void close() {
        if (gate.close(name, readiness::wakeForever)) {
            Libc.close(fd);
            link.close();
            readiness.close();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + " " + name;
    }
}
