package io.tunnelbox.hal.port;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A vector of up to {@link #CAPACITY} packets in one off-heap arena, the unit every
 * {@link PacketPort} receives and sends (VPP-style batching: one system call or one pass through a
 * pipeline table per batch, not per packet).
 *
 * <p>Slot {@code i} owns the bytes {@code [i * SLOT_SIZE, (i + 1) * SLOT_SIZE)} of {@link #memory()}.
 * A port writes a received packet at {@code slotBase(i) + HEADROOM}, so that the engine can prepend
 * outer headers (encapsulation) by moving {@link #offset(int)} backwards, without copying the
 * payload; decapsulation moves it forwards. Offsets are absolute positions in {@link #memory()}.
 *
 * <p>Not thread-safe: a batch belongs to one thread at a time. Nothing here allocates after
 * construction.
 */
public final class PacketBatch {
    /** Packets per batch (VPP's vector size). */
    public static final int CAPACITY = 256;
    /** Free bytes in front of a received packet: outer Ethernet + VLAN + IPv6 + UDP + VXLAN fit. */
    public static final int HEADROOM = 128;
    /** Bytes per slot: headroom plus the largest frame a port hands over. */
    public static final int SLOT_SIZE = 2048;
    /** Largest packet a port may write behind the headroom. */
    public static final int MAX_PACKET = SLOT_SIZE - HEADROOM;

    private final MemorySegment memory;
    private final int[] offset = new int[CAPACITY];
    private final int[] length = new int[CAPACITY];
    /** Index of the port a packet came in on (set by whoever drives the ports). */
    private final int[] ingress = new int[CAPACITY];
    /** Underlay peer of a packet (IPv4 as an int) where a port knows it; 0 otherwise. */
    private final int[] peer = new int[CAPACITY];
    /** Underlay peer's UDP port where a datagram port knows it; 0 otherwise. */
    private final int[] peerPort = new int[CAPACITY];
    private int count;

    /** A batch whose memory lives as long as {@code arena}. */
    public PacketBatch(Arena arena) {
        this.memory = arena.allocate((long) CAPACITY * SLOT_SIZE, 64);
    }

    /** A batch in the automatic (GC-managed) arena; for tests and tools. */
    public static PacketBatch allocate() {
        return new PacketBatch(Arena.ofAuto());
    }

    public MemorySegment memory() {
        return memory;
    }

    public int count() {
        return count;
    }

    public boolean isFull() {
        return count == CAPACITY;
    }

    /** Forgets all packets; the memory is reused. */
    public void clear() {
        count = 0;
    }

    /** Absolute offset of the first byte of slot {@code i}. */
    public static long slotBase(int i) {
        return (long) i * SLOT_SIZE;
    }

    /**
     * Claims the next slot for a packet of {@code len} bytes written at the default position
     * (behind the headroom) and returns its index; the caller writes the bytes at {@link #offset(int)}.
     */
    public int add(int len) {
        if (count == CAPACITY) {
            throw new IllegalStateException("batch full (" + CAPACITY + " packets)");
        }
        if (len < 0 || len > MAX_PACKET) {
            throw new IllegalArgumentException("packet length " + len + " outside 0.." + MAX_PACKET);
        }
        int i = count++;
        offset[i] = (int) slotBase(i) + HEADROOM;
        length[i] = len;
        ingress[i] = 0;
        peer[i] = 0;
        peerPort[i] = 0;
        return i;
    }

    /** Copies {@code len} bytes of {@code src} from {@code srcOffset} into a new slot; returns its index. */
    public int add(MemorySegment src, long srcOffset, int len) {
        int i = add(len);
        MemorySegment.copy(src, srcOffset, memory, offset[i], len);
        return i;
    }

    /** Copies a packet given as bytes into a new slot (tests, tools, control plane). */
    public int add(byte[] bytes) {
        return add(MemorySegment.ofArray(bytes), 0, bytes.length);
    }

    public int offset(int i) {
        return offset[i];
    }

    public int length(int i) {
        return length[i];
    }

    /** Sets where packet {@code i} starts and how long it is; must stay inside slot {@code i}. */
    public void set(int i, int newOffset, int newLength) {
        long base = slotBase(i);
        if (newOffset < base || newLength < 0 || newOffset + (long) newLength > base + SLOT_SIZE) {
            throw new IndexOutOfBoundsException("packet " + i + " at " + newOffset + "+" + newLength
                    + " leaves its slot [" + base + ", " + (base + SLOT_SIZE) + ")");
        }
        offset[i] = newOffset;
        length[i] = newLength;
    }

    /** Free bytes in front of packet {@code i} (for prepending headers). */
    public int headroom(int i) {
        return (int) (offset[i] - slotBase(i));
    }

    /** Free bytes behind packet {@code i}. */
    public int tailroom(int i) {
        return (int) (slotBase(i) + SLOT_SIZE - offset[i] - length[i]);
    }

    public int ingress(int i) {
        return ingress[i];
    }

    public void ingress(int i, int portIndex) {
        ingress[i] = portIndex;
    }

    public int peer(int i) {
        return peer[i];
    }

    public void peer(int i, int ipv4) {
        peer[i] = ipv4;
    }

    public int peerPort(int i) {
        return peerPort[i];
    }

    public void peerPort(int i, int udpPort) {
        peerPort[i] = udpPort;
    }

    /** Copies packet {@code i} out as a new array (tests and control plane only: allocates). */
    public byte[] toArray(int i) {
        byte[] out = new byte[length[i]];
        MemorySegment.copy(memory, offset[i], MemorySegment.ofArray(out), 0, length[i]);
        return out;
    }

    /** A view of packet {@code i}; a slice costs an object, so keep it off the hot path. */
    public MemorySegment slice(int i) {
        return memory.asSlice(offset[i], length[i]);
    }
}
