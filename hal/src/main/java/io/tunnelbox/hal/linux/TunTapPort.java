package io.tunnelbox.hal.linux;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.tinylog.Logger;

import io.tunnelbox.hal.offload.Offloads;
import io.tunnelbox.hal.offload.TcpCoalescer;
import io.tunnelbox.hal.offload.TcpSegmenter;
import io.tunnelbox.hal.offload.UdpCoalescer;
import io.tunnelbox.hal.offload.VnetHeader;
import io.tunnelbox.hal.port.PacketBatch;
import io.tunnelbox.hal.port.PacketPort;
import io.tunnelbox.hal.port.PortCounters;

/**
 * A TUN or TAP device as a {@link PacketPort}: one read(2) or write(2) per packet on a
 * non-blocking descriptor, packets read straight into batch slots behind
 * {@link PacketBatch#HEADROOM} so that the engine can prepend tunnel headers without a copy.
 *
 * <p>With {@link Offloads} the device carries a virtio-net header on every packet (IFF_VNET_HDR).
 * Segmentation (TUNSETOFFLOAD with TSO): one read brings a TCP super-frame of up to 64 KB, which
 * {@link TcpSegmenter} cuts into MTU-sized packets in the batch, and checksums the kernel left
 * open are completed; the engine never sees a super-frame. Coalescing: {@link TcpCoalescer} joins
 * in-order segments of one flow into one writev with a GSO header. A kernel that refuses an
 * offload gets one log line and the port goes on without it.
 *
 * <p>The device is not persistent: closing the port removes it from the system. It is created in
 * the calling thread's network namespace (see {@link NetNamespace#call}).
 */
public abstract sealed class TunTapPort implements PacketPort, Pollable permits TunPort, TapPort {
    static final long TUNSETIFF = 0x400454caL;
    static final long TUNSETOFFLOAD = 0x400454d0L;
    static final short IFF_TUN = 0x0001, IFF_TAP = 0x0002, IFF_NO_PI = 0x1000, IFF_VNET_HDR = 0x4000;
    static final int TUN_F_CSUM = 0x01, TUN_F_TSO4 = 0x02, TUN_F_TSO6 = 0x04, TUN_F_USO4 = 0x20, TUN_F_USO6 = 0x40;
    /** The largest frame a device with TSO hands over: a 64 KB IP packet and its link header. */
    private static final int SUPER_FRAME = VnetHeader.SIZE + 65535 + 64;
    private static final int IOVEC = 16;
    private static final java.lang.foreign.ValueLayout.OfShort BE_SHORT =
            java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);

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
    private final Offloads offloads;
    /** Virtio-net headers on the device (some offload is on); the fields below exist only then. */
    private final boolean vnet;
    private final Arena arena;
    private final MemorySegment superFrame;
    private final MemorySegment iov;
    private final MemorySegment zeroHeader;
    private final MemorySegment gsoHeader;
    private final TcpSegmenter segmenter;
    private final TcpCoalescer coalescer;
    private final UdpCoalescer udpCoalescer;
    /** The kernel takes UDP super-frames written to the device (see {@link #udpSuperFramesAccepted}). */
    private final boolean udpCoalescing;

    TunTapPort(String requestedName, short mode, int mtu, int overhead, Offloads requested) {
        if (mtu < 68 || mtu + overhead > PacketBatch.MAX_PACKET) {
            throw new IllegalArgumentException("MTU " + mtu + " outside 68.." + (PacketBatch.MAX_PACKET - overhead)
                    + " (a packet must fit a batch slot)");
        }
        String device = "/dev/net/tun";
        int tunFd = Libc.check(Libc.open(device, Libc.O_RDWR | Libc.O_NONBLOCK | Libc.O_CLOEXEC), "open", device);
        LinkControl control = null;
        Readiness ready = null;
        Offloads granted = Offloads.NONE;
        boolean udpRuns = false;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ifr = LinkControl.ifreq(arena, requestedName);
            boolean vnetAsked = requested.any();
            ifr.set(JAVA_SHORT, LinkControl.UNION, (short) (mode | IFF_NO_PI | (vnetAsked ? IFF_VNET_HDR : 0)));
            int rc = Libc.ioctl(tunFd, TUNSETIFF, ifr);
            if (rc < 0 && vnetAsked && Libc.errno() == Errno.EINVAL) {
                Logger.warn("{}: the kernel refuses virtio-net headers (EINVAL); offloads off", requestedName);
                vnetAsked = false;
                ifr.set(JAVA_SHORT, LinkControl.UNION, (short) (mode | IFF_NO_PI));
                rc = Libc.ioctl(tunFd, TUNSETIFF, ifr);
            }
            Libc.check(rc, "TUNSETIFF", requestedName);
            this.name = LinkControl.name(ifr);
            if (vnetAsked) {
                int flags = requested.segmentation() ? segmentationFlags(tunFd, name) : 0;
                granted = new Offloads(flags != 0, requested.coalescing(), false, false);
                udpRuns = requested.coalescing() && udpSuperFramesAccepted(tunFd, name, flags);
            }
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
        this.offloads = granted;
        this.vnet = granted.any();
        if (vnet) {
            arena = Arena.ofShared();
            superFrame = arena.allocate(SUPER_FRAME, 64);
            iov = arena.allocate((long) IOVEC * (Math.max(TcpCoalescer.MAX_RUN, UdpCoalescer.MAX_RUN) + 1), 8);
            zeroHeader = arena.allocate(VnetHeader.SIZE, 8);
            gsoHeader = arena.allocate(VnetHeader.SIZE + 256, 8);
            segmenter = new TcpSegmenter();
            coalescer = new TcpCoalescer(mode == IFF_TAP);
            udpCoalescer = new UdpCoalescer(mode == IFF_TAP);
            udpCoalescing = udpRuns;
        } else {
            arena = null;
            superFrame = null;
            iov = null;
            zeroHeader = null;
            gsoHeader = null;
            segmenter = null;
            coalescer = null;
            udpCoalescer = null;
            udpCoalescing = false;
        }
    }

    /**
     * Asks the kernel for TCP super-frames with open checksums (IPv4 and IPv6, else IPv4 only) and
     * returns the offload flags it took; 0, with one log line, if it refuses both.
     */
    private static int segmentationFlags(int fd, String device) {
        int both = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6;
        if (Libc.ioctl(fd, TUNSETOFFLOAD, MemorySegment.ofAddress(both)) == 0) {
            return both;
        }
        int ipv4 = TUN_F_CSUM | TUN_F_TSO4;
        if (Libc.ioctl(fd, TUNSETOFFLOAD, MemorySegment.ofAddress(ipv4)) == 0) {
            Logger.info("{}: the kernel offers TSO for IPv4 only", device);
            return ipv4;
        }
        Logger.warn("{}: the kernel refuses TSO and checksum offload ({}); segmentation off", device,
                Errno.name(Libc.errno()));
        return 0;
    }

    /**
     * Whether the kernel takes UDP super-frames (virtio-net {@code GSO_UDP_L4}) written to the
     * device. Only kernels that know USO for TUN/TAP (Linux 6.2 on) do; an older one refuses each
     * such write (EINVAL), so there runs of UDP datagrams are written one by one. Asked by offering
     * USO and taking it back at once: left on, it would also bring UDP super-frames on reads, which
     * the port does not cut. {@code flags}: the offloads to keep.
     */
    private static boolean udpSuperFramesAccepted(int fd, String device, int flags) {
        boolean known = Libc.ioctl(fd, TUNSETOFFLOAD, MemorySegment.ofAddress(flags | TUN_F_CSUM | TUN_F_USO4 | TUN_F_USO6)) == 0;
        Libc.ioctl(fd, TUNSETOFFLOAD, MemorySegment.ofAddress(flags));
        if (!known) {
            Logger.info("{}: the kernel takes no UDP super-frames (USO for TUN/TAP came in Linux 6.2): UDP datagrams are written one by one",
                    device);
        }
        return known;
    }

    /** Whether runs of UDP datagrams go to the device as one super-frame (gro on and the kernel takes them). */
    public boolean coalescesUdp() {
        return udpCoalescing;
    }

    /** The offloads in use (what was asked, less what the kernel refused). */
    public Offloads offloads() {
        return offloads;
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
                // The same device as before: with the virtio-net header and the segmentation the
                // port's read and write paths were built for.
                ifr.set(JAVA_SHORT, LinkControl.UNION, (short) (mode | IFF_NO_PI | (vnet ? IFF_VNET_HDR : 0)));
                Libc.check(Libc.ioctl(fresh, TUNSETIFF, ifr), "TUNSETIFF", name);
                if (offloads.segmentation() && segmentationFlags(fresh, name) == 0) {
                    throw new IllegalStateException(name + ": the re-created device refuses the segmentation it had");
                }
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
            if (vnet) {
                return receiveWithHeaders(batch);
            }
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

    /**
     * Receive on a device with virtio-net headers: each read brings one header and one frame into
     * {@link #superFrame}; a super-frame is segmented into the batch (what does not fit waits for
     * the next call), a plain frame is copied into its slot with its checksum completed if the
     * kernel left it open.
     */
    private int receiveWithHeaders(PacketBatch batch) {
        MemorySegment m = superFrame;
        int received = 0;
        long bytes = 0;
        int first = batch.count();
        while (!batch.isFull()) {
            if (segmenter.hasMore()) {
                received += segmenter.emit(batch);
                continue;
            }
            long n = Libc.read(fd, m.address(), SUPER_FRAME);
            if (n <= 0) {
                if (n < 0 && Libc.errno() != Errno.EAGAIN && Libc.errno() != Errno.EINTR) {
                    counters.rxError();
                }
                break;
            }
            int length = (int) n - VnetHeader.SIZE;
            if (length <= 0) {
                counters.rxDropped(1);
                continue;
            }
            int gsoType = VnetHeader.gsoType(m, 0);
            if (gsoType != VnetHeader.GSO_NONE) {
                int l3 = offloadL3(m, VnetHeader.SIZE, length);
                if (!segmenter.load(m, VnetHeader.SIZE, length, l3, gsoType, VnetHeader.gsoSize(m, 0))) {
                    counters.rxDropped(1);
                }
                continue;
            }
            if (length > PacketBatch.MAX_PACKET || ((VnetHeader.flags(m, 0) & VnetHeader.F_NEEDS_CSUM) != 0
                    && !segmenter.completeChecksum(m, VnetHeader.SIZE, length, VnetHeader.csumStart(m, 0),
                            VnetHeader.csumOffset(m, 0)))) {
                counters.rxDropped(1);
                continue;
            }
            batch.add(m, VnetHeader.SIZE, length);
            received++;
        }
        for (int i = first; i < batch.count(); i++) {
            bytes += batch.length(i);
        }
        if (received > 0) {
            counters.received(received, bytes);
        }
        return received;
    }

    /** Where the IP header of a frame read from this device starts (behind Ethernet and a tag on a TAP). */
    private int offloadL3(MemorySegment m, long frame, int length) {
        if (overhead == 0) {
            return 0;
        }
        if (length < 14) {
            return -1;
        }
        int type = Short.toUnsignedInt(m.get(BE_SHORT, frame + 12));
        return type == 0x8100 ? 18 : 14;
    }

    /**
     * Send on a device with virtio-net headers: runs of in-order segments of one TCP flow, and runs
     * of equal-sized datagrams of one IPv4 UDP flow, go out as one super-frame each (when coalescing
     * is on; the kernel cuts them again where they are delivered), everything else one packet per
     * writev behind a zero header.
     */
    private int sendWithHeaders(PacketBatch batch, int[] slots, int n) {
        long base = batch.memory().address();
        int maxPacket = mtu + overhead;
        int sent = 0;
        long bytes = 0;
        for (int k = 0; k < n; ) {
            int run = 1;
            boolean udp = false;
            if (offloads.coalescing()) {
                run = coalescer.run(batch, slots, k, n);
                if (run == 1 && udpCoalescing) {
                    run = udpCoalescer.run(batch, slots, k, n);
                    udp = run > 1;
                }
            }
            long w;
            int packets;
            int length;
            if (run > 1) {
                int header = udp ? udpCoalescer.writeHeader(batch, slots[k], gsoHeader, 0)
                        : coalescer.writeHeader(batch, slots[k], gsoHeader, 0);
                int skip = udp ? udpCoalescer.headerLength() : coalescer.headerLength();
                iov.set(JAVA_LONG, 0, gsoHeader.address());
                iov.set(JAVA_LONG, 8, header);
                length = header - VnetHeader.SIZE;
                for (int j = 0; j < run; j++) {
                    int i = slots[k + j];
                    long at = (long) (j + 1) * IOVEC;
                    iov.set(JAVA_LONG, at, base + batch.offset(i) + skip);
                    iov.set(JAVA_LONG, at + 8, batch.length(i) - skip);
                    length += batch.length(i) - skip;
                }
                w = Libc.writev(fd, iov.address(), run + 1);
                packets = run;
            } else {
                int i = slots[k];
                length = batch.length(i);
                if (length > maxPacket) {
                    counters.txDropped(1);
                    k++;
                    continue;
                }
                iov.set(JAVA_LONG, 0, zeroHeader.address());
                iov.set(JAVA_LONG, 8, VnetHeader.SIZE);
                iov.set(JAVA_LONG, IOVEC, base + batch.offset(i));
                iov.set(JAVA_LONG, IOVEC + 8, length);
                w = Libc.writev(fd, iov.address(), 2);
                packets = 1;
            }
            k += run;
            if (w < 0) {
                // EIO: device down; EAGAIN: its queue is full; either way these packets are lost.
                counters.txDropped(packets);
                if (Libc.errno() != Errno.EAGAIN && Libc.errno() != Errno.EIO) {
                    counters.txError();
                }
                continue;
            }
            sent += packets;
            bytes += length;
        }
        if (sent > 0) {
            counters.sent(sent, bytes);
        }
        return sent;
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
            if (vnet) {
                return sendWithHeaders(batch, slots, n);
            }
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
            if (arena != null) {
                arena.close();
            }
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + " " + name;
    }
}
