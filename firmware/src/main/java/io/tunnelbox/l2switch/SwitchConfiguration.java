package io.tunnelbox.l2switch;

import io.tunnelbox.mac.MacTable;
import io.tunnelbox.packet.Ethernet;
import io.tunnelbox.packet.Ipv4Address;
import io.tunnelbox.packet.MacAddress;
import java.util.Arrays;
import java.util.Map;
import org.tinylog.Logger;

/**
 * The switch's running configuration in the form the forwarding code reads it: segments by index,
 * by LAN VLAN and by tunnel id, and the tunnel ports (one per remote VTEP, plus a flow-based one per
 * transport for multicast segments) by number and by remote address. Changed only on the datapath
 * thread, between batches; checks a change completely before touching anything.
 */
final class SwitchConfiguration {
    private final String name;
    private final int local;
    private final boolean hasVxlan;
    private final boolean hasGre;
    private final MacTable macs;

    /** Segments by index (the MAC table's segment number); null where free. */
    final SegmentState[] segments = new SegmentState[SwitchDatapath.MAX_SEGMENTS];
    /** LAN VLAN -> segment index, -1 for none. */
    final int[] segmentByVlan = new int[4096];
    /** The segment of untagged LAN frames, -1 for none. */
    int untaggedSegment = -1;
    /** Tunnel ports by number (2 and up); null where free. */
    final TunnelPort[] ports = new TunnelPort[SwitchDatapath.MAX_TUNNEL_PORTS + 2];
    private final IntIntMap vxlanSegments = new IntIntMap();
    private final IntIntMap greSegments = new IntIntMap();
    private final IntIntMap vxlanPorts = new IntIntMap();
    private final IntIntMap grePorts = new IntIntMap();
    private int vxlanFlowPort, greFlowPort;

    SwitchConfiguration(String name, int local, boolean hasVxlan, boolean hasGre, MacTable macs) {
        this.name = name;
        this.local = local;
        this.hasVxlan = hasVxlan;
        this.hasGre = hasGre;
        this.macs = macs;
        Arrays.fill(segmentByVlan, -1);
    }

    SegmentState segment(Transport transport, int id) {
        int i = (transport == Transport.VXLAN ? vxlanSegments : greSegments).get(id);
        return i == IntIntMap.MISSING ? null : segments[i];
    }

    /**
     * Adds {@code spec}, or replaces the segment with its transport and id: in place, keeping its
     * learned MACs, if only the MAC limit changed (a lower limit trims the entries closest to
     * their timeout, see {@link MacTable#limit(int, int)}); otherwise its learned MACs go (they
     * may name tunnel ports the new spec no longer has).
     */
    void add(SegmentSpec spec, long now) {
        SegmentState same = segment(spec.transport(), spec.id());
        if (same != null && same.spec.withMacLimit(spec.macLimit()).equals(spec)) {
            macs.limit(same.index, spec.macLimit());
            same.spec = spec;
            Logger.info("{}: segment {} MAC limit {} ({} entries kept)", name, spec.label(), spec.macLimit(),
                    macs.size(same.index));
            return;
        }
        if (!(spec.transport() == Transport.VXLAN ? hasVxlan : hasGre)) {
            throw new IllegalArgumentException(spec.label() + ": this switch has no " + spec.transport().label()
                    + " WAN port");
        }
        if (spec.peers().contains(local)) {
            throw new IllegalArgumentException(spec.label() + ": peer " + Ipv4Address.format(local)
                    + " is this box's own address");
        }
        SegmentState old = segment(spec.transport(), spec.id());
        int vlanUser = segmentByVlan[spec.vlan()];
        if (vlanUser >= 0 && segments[vlanUser] != old) {
            throw new IllegalArgumentException(spec.label() + ": local VLAN " + spec.vlan() + " is already used by "
                    + segments[vlanUser].spec.label());
        }
        if (spec.untagged() && untaggedSegment >= 0 && segments[untaggedSegment] != old) {
            throw new IllegalArgumentException(spec.label() + ": " + segments[untaggedSegment].spec.label()
                    + " is already the untagged segment of the LAN port");
        }
        int newPorts = 0;
        for (int peer : spec.peers()) {
            if (spec.flood() == FloodMode.HEAD_END && portMap(spec.transport()).get(peer) == IntIntMap.MISSING) {
                newPorts++;
            }
        }
        if (countPorts() + newPorts + 1 > SwitchDatapath.MAX_TUNNEL_PORTS) {
            throw new IllegalArgumentException(spec.label() + ": more than " + SwitchDatapath.MAX_TUNNEL_PORTS + " tunnel ports");
        }
        Map<Long, Integer> statics = Map.of();
        if (old != null) {
            statics = new java.util.LinkedHashMap<>(old.staticMacs);
            remove(old);
        }
        int index = freeSegmentIndex();
        int[] peerPorts = new int[spec.flood() == FloodMode.HEAD_END ? spec.peers().size() : 0];
        for (int k = 0; k < peerPorts.length; k++) {
            peerPorts[k] = acquirePort(spec.transport(), spec.peers().get(k), now);
        }
        if (spec.needsFlowPort()) {
            acquirePort(spec.transport(), 0, now);
        }
        SegmentState s = new SegmentState(spec, index, peerPorts, now);
        segments[index] = s;
        segmentByVlan[spec.vlan()] = index;
        if (spec.untagged()) {
            untaggedSegment = index;
        }
        (spec.transport() == Transport.VXLAN ? vxlanSegments : greSegments).put(spec.id(), index);
        macs.limit(index, spec.macLimit());
        macs.ageing(index, spec.ageing().toNanos());
        for (Map.Entry<Long, Integer> e : statics.entrySet()) {
            try {
                putStatic(s, e.getKey(), e.getValue(), now);
                s.staticMacs.put(e.getKey(), e.getValue());
            } catch (IllegalArgumentException ex) {
                Logger.warn("{}: static MAC dropped on reconfiguration: {}", name, ex.getMessage());
            }
        }
        Logger.info("{}: segment {} on VLAN {}{} ({} flooding, {} peers, allowed {}, MAC moves from tunnels {})",
                name, spec.label(), spec.vlan(), spec.untagged() ? " (untagged)" : "",
                spec.flood() == FloodMode.HEAD_END ? "head-end" : "group", spec.peers().size(),
                spec.allow().isEmpty() ? "peers only" : spec.allow(), spec.macMove().text());
    }

    /** Removes a segment, its MAC entries and the tunnel ports only it used. */
    void remove(SegmentState s) {
        SegmentSpec spec = s.spec;
        macs.removeSegment(s.index);
        segments[s.index] = null;
        segmentByVlan[spec.vlan()] = -1;
        if (untaggedSegment == s.index) {
            untaggedSegment = -1;
        }
        rebuildSegmentMap(spec.transport());
        for (int p : s.peerPorts) {
            releasePort(p);
        }
        if (spec.needsFlowPort()) {
            releasePort(flowPort(spec.transport()));
        }
    }

    private void rebuildSegmentMap(Transport t) {
        IntIntMap map = t == Transport.VXLAN ? vxlanSegments : greSegments;
        map.clear();
        for (SegmentState s : segments) {
            if (s != null && s.spec.transport() == t) {
                map.put(s.spec.id(), s.index);
            }
        }
    }

    private int freeSegmentIndex() {
        for (int i = 0; i < SwitchDatapath.MAX_SEGMENTS; i++) {
            if (segments[i] == null) {
                return i;
            }
        }
        throw new IllegalArgumentException("more than " + SwitchDatapath.MAX_SEGMENTS + " segments");
    }

    /** Remote VTEP address -> tunnel port number, per transport. */
    IntIntMap portMap(Transport t) {
        return t == Transport.VXLAN ? vxlanPorts : grePorts;
    }

    /** VNI or GRE key -> segment index, per transport. */
    IntIntMap segmentMap(Transport t) {
        return t == Transport.VXLAN ? vxlanSegments : greSegments;
    }

    /** The flow-based port (remote_ip=flow) of {@code t}, 0 if no multicast segment uses one. */
    int flowPort(Transport t) {
        return t == Transport.VXLAN ? vxlanFlowPort : greFlowPort;
    }

    private int countPorts() {
        int n = 0;
        for (TunnelPort p : ports) {
            if (p != null) {
                n++;
            }
        }
        return n;
    }

    /** The port for (transport, remote), created if needed; remote 0 is the flow-based port. */
    private int acquirePort(Transport t, int remote, long now) {
        int existing = remote == 0 ? flowPort(t) : portMap(t).get(remote);
        if (existing > 0) {
            ports[existing].users++;
            return existing;
        }
        int number = 2;
        while (ports[number] != null) {
            number++;
        }
        TunnelPort p = new TunnelPort(number, t, remote, now);
        p.users = 1;
        ports[number] = p;
        if (remote == 0) {
            if (t == Transport.VXLAN) {
                vxlanFlowPort = number;
            } else {
                greFlowPort = number;
            }
        } else {
            portMap(t).put(remote, number);
        }
        return number;
    }

    private void releasePort(int number) {
        TunnelPort p = ports[number];
        if (p == null || --p.users > 0) {
            return;
        }
        ports[number] = null;
        if (p.remote == 0) {
            if (p.transport == Transport.VXLAN) {
                vxlanFlowPort = 0;
            } else {
                greFlowPort = 0;
            }
        } else {
            IntIntMap map = portMap(p.transport);
            map.clear();
            for (TunnelPort q : ports) {
                if (q != null && q.transport == p.transport && q.remote != 0) {
                    map.put(q.remote, q.number);
                }
            }
        }
    }

    /** Adds a static entry; {@code remote} 0 means the LAN. */
    void putStatic(SegmentState s, long mac, int remote, long now) {
        if (Ethernet.isMulticast(mac)) {
            throw new IllegalArgumentException("static MAC " + MacAddress.format(mac) + " is a multicast address");
        }
        int port;
        if (remote == 0) {
            port = SwitchDatapath.LAN_PORT;
        } else if (s.spec.flood() == FloodMode.HEAD_END) {
            int k = s.spec.peers().indexOf(remote);
            if (k < 0) {
                throw new IllegalArgumentException(s.spec.label() + ": static MAC's remote "
                        + Ipv4Address.format(remote) + " is not a peer of the segment");
            }
            port = s.peerPorts[k];
        } else {
            int dedicated = portMap(s.spec.transport()).get(remote);
            port = dedicated > 0 ? dedicated : flowPort(s.spec.transport());
        }
        if (!macs.putStatic(s.index, mac, port, remote, now)) {
            throw new IllegalArgumentException(s.spec.label() + ": MAC table full, static MAC not added");
        }
    }
}
