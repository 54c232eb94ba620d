package io.tunnelbox.hal.port.memory;

import io.tunnelbox.hal.port.PacketBatch;
import io.tunnelbox.hal.port.PacketPort;
import io.tunnelbox.hal.port.PortCounters;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A packet port that lives in memory: what it sends goes to a {@link Sink} (the other end of a
 * wire, or a {@link MemoryWan}), what is delivered to it waits in a bounded inbox until
 * {@link #receive} takes it. Lets tests and the {@code sim} board wire boxes, hosts and a WAN together
 * in one process.
 *
 * <p>Packets are copied into byte arrays when they cross a port: this is test and simulation
 * plumbing, not the hot path. Thread-safe: the engine may poll while a test thread injects.
 */
public final class MemoryPort implements PacketPort {

    /** Where a port's sent packets go. */
    @FunctionalInterface
    public interface Sink {
        void accept(MemoryPort from, byte[] packet);
    }

    /** Inbox bound: a real NIC ring is finite too, and an unbounded one would hide floods. */
    public static final int INBOX_LIMIT = 4096;

    private static final Sink NOWHERE = (from, packet) -> from.counters.txDropped(1);

    private final String name;
    private final Layer layer;
    private final int mtu;
    private final PortCounters counters = new PortCounters();
    private final ArrayDeque<byte[]> inbox = new ArrayDeque<>();
    private volatile Sink sink = NOWHERE;
    private volatile MemoryPort peer;
    private volatile boolean closed;

    public MemoryPort(String name, Layer layer, int mtu) {
        this.name = Objects.requireNonNull(name, "name");
        this.layer = Objects.requireNonNull(layer, "layer");
        if (mtu < 68 || mtu > PacketBatch.MAX_PACKET) {
            throw new IllegalArgumentException("mtu " + mtu + " outside 68.." + PacketBatch.MAX_PACKET);
        }
        this.mtu = mtu;
    }

    /** Joins two ports like a cable: each one's sends land in the other's inbox. */
    public static void wire(MemoryPort a, MemoryPort b) {
        if (a.layer != b.layer) {
            throw new IllegalArgumentException("cannot wire " + a.layer + " port " + a.name
                    + " to " + b.layer + " port " + b.name);
        }
        a.peer = b;
        b.peer = a;
        a.connect((from, p) -> b.deliver(p));
        b.connect((from, p) -> a.deliver(p));
    }

    /** Sends this port's packets to {@code sink} from now on. */
    public void connect(Sink sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** The port at the other end of the wire, or null. */
    public MemoryPort peer() {
        return peer;
    }

    /** Puts a packet into the inbox, as if the device had received it; a full inbox drops it. */
    public void deliver(byte[] packet) {
        if (closed) {
            counters.rxDropped(1);
            return;
        }
        synchronized (inbox) {
            if (inbox.size() >= INBOX_LIMIT) {
                counters.rxDropped(1);
                return;
            }
            inbox.addLast(packet.clone());
            inbox.notifyAll();
        }
    }

    /** Alias of {@link #deliver} for tests that play the device. */
    public void inject(byte[] packet) {
        deliver(packet);
    }

    /** Test side: sends one packet out of this port (to its wired peer or sink). */
    public void sendBytes(byte[] packet) {
        if (!fits(packet.length)) {
            counters.txDropped(1);
            return;
        }
        counters.sent(1, packet.length);
        sink.accept(this, packet.clone());
    }

    /** Test side: takes everything waiting in the inbox, oldest first. */
    public List<byte[]> drain() {
        synchronized (inbox) {
            List<byte[]> out = new ArrayList<>(inbox);
            inbox.clear();
            return out;
        }
    }

    /** Packets waiting in the inbox. */
    public int pending() {
        synchronized (inbox) {
            return inbox.size();
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Layer layer() {
        return layer;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public int receive(PacketBatch batch) {
        int added = 0;
        long bytes = 0;
        synchronized (inbox) {
            while (!inbox.isEmpty() && !batch.isFull()) {
                byte[] p = inbox.pollFirst();
                if (p.length > PacketBatch.MAX_PACKET) {
                    counters.rxDropped(1);
                    continue;
                }
                batch.add(p);
                added++;
                bytes += p.length;
            }
        }
        if (added > 0) {
            counters.received(added, bytes);
        }
        return added;
    }

    @Override
    public boolean awaitReadable(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        synchronized (inbox) {
            while (inbox.isEmpty() && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                inbox.wait(Math.max(1, left / 1_000_000), 0);
            }
            return !inbox.isEmpty();
        }
    }

    @Override
    public int send(PacketBatch batch, int[] slots, int n) {
        if (closed) {
            counters.txDropped(n);
            return 0;
        }
        MemorySegment mem = batch.memory();
        int sent = 0;
        for (int k = 0; k < n; k++) {
            int i = slots[k];
            int len = batch.length(i);
            if (!fits(len)) {
                counters.txDropped(1);
                continue;
            }
            byte[] copy = new byte[len];
            MemorySegment.copy(mem, batch.offset(i), MemorySegment.ofArray(copy), 0, len);
            counters.sent(1, len);
            sink.accept(this, copy);
            sent++;
        }
        return sent;
    }

    /** The MTU excludes the Ethernet header on Ethernet ports; allow one 802.1Q tag as well. */
    private boolean fits(int len) {
        return layer == Layer.IP ? len <= mtu : len <= mtu + 18;
    }

    @Override
    public PortCounters counters() {
        return counters;
    }

    @Override
    public void close() {
        closed = true;
        synchronized (inbox) {
            inbox.clear();
            inbox.notifyAll();
        }
    }

    @Override
    public String toString() {
        return "MemoryPort[" + name + ", " + layer + ", mtu " + mtu + "]";
    }
}
