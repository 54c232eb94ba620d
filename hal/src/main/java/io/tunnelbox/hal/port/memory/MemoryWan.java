package io.tunnelbox.hal.port.memory;

import io.tunnelbox.hal.port.Ipv4Text;
import io.tunnelbox.hal.port.PacketPort.Layer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory IPv4 underlay: the "internet" between boxes in tests and the {@code sim} board.
 * Each box gets a WAN port with one address; a delivery packet sent on it goes to the port that owns
 * its destination address, or, for a multicast destination, to every port that joined the group
 * except the sender. Every packet put on the wire is captured in order, so tests can assert exactly
 * what the WAN saw.
 */
public final class MemoryWan {
    /** Captures beyond this many are counted, not kept: a flood test must not exhaust the heap. */
    public static final int CAPTURE_LIMIT = 200_000;

    private final Map<MemoryPort, Integer> addressOf = new HashMap<>();
    private final Map<Integer, MemoryPort> byAddress = new HashMap<>();
    private final Map<Integer, Set<MemoryPort>> groups = new HashMap<>();
    private final Set<MemoryPort> down = new LinkedHashSet<>();
    private final List<byte[]> captured = new ArrayList<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong uncaptured = new AtomicLong();

    /** Creates a box's WAN port owning {@code address}. */
    public synchronized MemoryPort attach(String name, int address, int mtu) {
        if (byAddress.containsKey(address)) {
            throw new IllegalArgumentException("address " + Ipv4Text.format(address) + " already attached");
        }
        MemoryPort port = new MemoryPort(name, Layer.IP, mtu);
        addressOf.put(port, address);
        byAddress.put(address, port);
        port.connect(this::route);
        return port;
    }

    /** Makes {@code port} a member of multicast group {@code group} (IP_ADD_MEMBERSHIP). */
    public synchronized void join(MemoryPort port, int group) {
        groups.computeIfAbsent(group, g -> new LinkedHashSet<>()).add(port);
    }

    public synchronized void leave(MemoryPort port, int group) {
        Set<MemoryPort> members = groups.get(group);
        if (members != null) {
            members.remove(port);
        }
    }

    /** Link up or down: a down port neither sends nor receives (both are counted drops). */
    public synchronized void setUp(MemoryPort port, boolean up) {
        if (up) {
            down.remove(port);
        } else {
            down.add(port);
        }
    }

    /** Gives {@code port} a new address (a DHCP renewal with another lease); 0 removes it. */
    public synchronized void readdress(MemoryPort port, int newAddress) {
        Integer old = addressOf.remove(port);
        if (old != null) {
            byAddress.remove(old);
        }
        if (newAddress != 0) {
            if (byAddress.containsKey(newAddress)) {
                throw new IllegalArgumentException("address " + Ipv4Text.format(newAddress) + " already attached");
            }
            addressOf.put(port, newAddress);
            byAddress.put(newAddress, port);
        }
    }

    private void route(MemoryPort from, byte[] packet) {
        List<MemoryPort> targets = new ArrayList<>(2);
        synchronized (this) {
            if (down.contains(from) || packet.length < 20 || (packet[0] & 0xF0) != 0x40) {
                dropped.incrementAndGet();
                return;
            }
            if (captured.size() < CAPTURE_LIMIT) {
                captured.add(packet);
            } else {
                uncaptured.incrementAndGet();
            }
            int dst = ((packet[16] & 0xFF) << 24) | ((packet[17] & 0xFF) << 16)
                    | ((packet[18] & 0xFF) << 8) | (packet[19] & 0xFF);
            if ((dst & 0xF0000000) == 0xE0000000) {
                for (MemoryPort member : groups.getOrDefault(dst, Set.of())) {
                    if (member != from && !down.contains(member)) {
                        targets.add(member);
                    }
                }
            } else {
                MemoryPort to = byAddress.get(dst);
                if (to != null && !down.contains(to)) {
                    targets.add(to);
                }
            }
            if (targets.isEmpty()) {
                dropped.incrementAndGet();
                return;
            }
        }
        for (MemoryPort to : targets) {
            to.deliver(packet);
        }
    }

    /** Every delivery packet put on the wire so far, oldest first (copies). */
    public synchronized List<byte[]> captured() {
        List<byte[]> out = new ArrayList<>(captured.size());
        for (byte[] p : captured) {
            out.add(p.clone());
        }
        return out;
    }

    public synchronized void clearCaptured() {
        captured.clear();
    }

    /** Packets that could not be delivered: no such address, link down, not IPv4. */
    public long dropped() {
        return dropped.get();
    }

    /** Packets seen but not kept because the capture was full. */
    public long uncaptured() {
        return uncaptured.get();
    }
}
