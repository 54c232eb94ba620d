package io.tunnelbox.l2switch;

import io.tunnelbox.mac.MacEntry;
import io.tunnelbox.packet.Ipv4Address;
import io.tunnelbox.packet.MacAddress;
import java.util.List;

/**
 * Text dumps of a {@link SwitchDatapath}: its tables in the format of {@code ovs-ofctl dump-flows}
 * (one line per entry: duration, table, counters, priority and match, actions) and its MAC table.
 * Every line is made from the counters the forwarding code increments, so it shows what runs.
 */
final class FlowDump {
    private static final String LEARN_LAN = "learn(table=20,hard_timeout=%d,priority=1,"
            + "NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],output:NXM_OF_IN_PORT[])";
    private static final String LEARN_TUNNEL = "learn(table=20,hard_timeout=%d,priority=1,"
            + "NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0->NXM_OF_VLAN_TCI[],"
            + "load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],%soutput:NXM_OF_IN_PORT[])";

    private final SwitchDatapath sw;
    private final long now;
    private final StringBuilder out = new StringBuilder();

    FlowDump(SwitchDatapath sw, long now) {
        this.sw = sw;
        this.now = now;
    }

    String flows() {
        out.append("NXST_FLOW reply (").append(sw.name()).append("):\n");
        SegmentState[] segs = sw.segmentStates();
        TunnelPort[] ports = sw.tunnelPorts();

        // Table 0: classify by ingress port.
        for (SegmentState s : segs) {
            if (s == null) {
                continue;
            }
            int ageing = (int) s.spec.ageing().toSeconds();
            String learn = String.format(LEARN_LAN, ageing);
            if (s.spec.untagged()) {
                line(s.lanIn, 0, "priority=2,in_port=1,vlan_tci=0x0000/0x0fff",
                        "mod_vlan_vid:" + s.spec.vlan() + "," + learn + ",resubmit(,1)");
            } else {
                line(s.lanIn, 0, "priority=2,in_port=1,dl_vlan=" + s.spec.vlan(), learn + ",resubmit(,1)");
            }
        }
        line(sw.lanUnknownVlanFlow(), 0, "priority=1,in_port=1", "drop");
        for (TunnelPort p : ports) {
            if (p != null) {
                line(p.classify, 0, "priority=1,in_port=" + p.number, "resubmit(,2)");
            }
        }
        line(sw.unknownPortFlow(), 0, "priority=0", "drop");

        // Table 1: unicast or not.
        line(sw.unicastSplitFlow(), 1, "priority=0,dl_dst=00:00:00:00:00:00/01:00:00:00:00:00", "resubmit(,20)");
        line(sw.multicastSplitFlow(), 1, "priority=0,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00", "resubmit(,21)");

        // Table 2: tunnel id -> local VLAN, from the remotes the segment accepts.
        for (SegmentState s : segs) {
            if (s == null) {
                continue;
            }
            String actions = "mod_vlan_vid:" + s.spec.vlan() + ",resubmit(,10)";
            String tunId = "tun_id=" + hex(s.spec.id());
            if (s.spec.flood() == FloodMode.HEAD_END) {
                for (int k = 0; k < s.peerPorts.length; k++) {
                    line(s.accept[k], 2, "priority=1,in_port=" + s.peerPorts[k] + "," + tunId, actions);
                }
            } else {
                for (int k = 0; k < s.peerAddresses.length; k++) {
                    line(s.accept[k], 2, "priority=1," + tunId + ",tun_src=" + Ipv4Address.format(s.peerAddresses[k]),
                            actions);
                }
            }
            for (int k = 0; k < s.allowAddress.length; k++) {
                line(s.accept[s.firstAllowIndex() + k], 2, "priority=1," + tunId + ",tun_src="
                        + Ipv4Address.format(s.allowAddress[k]) + "/" + Integer.bitCount(s.allowMask[k]), actions);
            }
        }
        line(sw.unknownTunnelIdFlow(), 2, "priority=0", "drop");

        // Table 10: learn, then output to the LAN.
        for (SegmentState s : segs) {
            if (s == null) {
                continue;
            }
            String tunDst = s.spec.flood() == FloodMode.MULTICAST
                    ? "load:NXM_NX_TUN_IPV4_SRC[]->NXM_NX_TUN_IPV4_DST[]," : "";
            String learn = String.format(LEARN_TUNNEL, (int) s.spec.ageing().toSeconds(), tunDst);
            if (s.spec.macMove() == MacMove.DENY) {
                // Not OpenFlow: the sticky check against the MAC table, shown where it runs.
                line(s.moveDenied, 10, "priority=2,dl_vlan=" + s.spec.vlan() + ",dl_src=learned@in_port:1", "drop");
            }
            line(s.learn, 10, "priority=1,dl_vlan=" + s.spec.vlan(),
                    learn + (s.spec.untagged() ? ",strip_vlan" : "") + ",output:1");
        }

        // Table 20: learned (and static) unicast.
        for (MacEntry e : sw.macTable().entries(now)) {
            SegmentState s = segs[e.segment()];
            if (s == null) {
                continue;
            }
            String match = "priority=" + (e.isStatic() ? 2 : 1) + ",vlan_tci=" + String.format("0x%04x/0x0fff", s.spec.vlan())
                    + ",dl_dst=" + MacAddress.format(e.mac());
            String actions;
            if (e.port() == SwitchDatapath.LAN_PORT) {
                actions = "output:1";
            } else {
                TunnelPort p = ports[e.port()];
                String tunDst = p != null && p.remote == 0 ? "load:" + hex(e.remote()) + "->NXM_NX_TUN_IPV4_DST[]," : "";
                actions = "load:0->NXM_OF_VLAN_TCI[],load:" + hex(s.spec.id()) + "->NXM_NX_TUN_ID[]," + tunDst
                        + "output:" + e.port();
            }
            out.append(" cookie=0x0, duration=").append(seconds(e.duration())).append(", table=20, n_packets=")
                    .append(e.packets()).append(", n_bytes=").append(e.bytes());
            if (!e.isStatic()) {
                out.append(", hard_timeout=").append(e.hardTimeout() / 1_000_000_000L);
            }
            out.append(", idle_age=").append(e.idleAge() / 1_000_000_000L);
            if (!e.isStatic()) {
                out.append(", hard_age=").append(e.hardAge() / 1_000_000_000L);
            }
            out.append(", ").append(match).append(" actions=").append(actions).append('\n');
        }
        line(sw.tableMissFlow(), 20, "priority=0", "resubmit(,21)");

        // Table 21: flood.
        for (SegmentState s : segs) {
            if (s == null) {
                continue;
            }
            StringBuilder a = new StringBuilder("strip_vlan,set_tunnel:").append(hex(s.spec.id()));
            if (s.spec.flood() == FloodMode.MULTICAST) {
                TunnelPort flowPort = null;
                for (TunnelPort p : ports) {
                    if (p != null && p.remote == 0 && p.transport == s.spec.transport()) {
                        flowPort = p;
                    }
                }
                a.append(",set_field:").append(Ipv4Address.format(s.spec.group())).append("->tun_dst,output:")
                        .append(flowPort == null ? "?" : flowPort.number);
            } else {
                for (int p : s.peerPorts) {
                    a.append(",output:").append(p);
                }
            }
            line(s.flood, 21, "priority=1,dl_vlan=" + s.spec.vlan(), a.toString());
        }
        line(sw.floodDropFlow(), 21, "priority=0", "drop");
        return out.toString();
    }

    private void line(Flow f, int table, String match, String actions) {
        out.append(" cookie=0x0, duration=").append(seconds(now - f.created)).append(", table=").append(table)
                .append(", n_packets=").append(f.packets).append(", n_bytes=").append(f.bytes)
                .append(", idle_age=").append((now - f.lastUsed) / 1_000_000_000L)
                .append(", ").append(match).append(" actions=").append(actions).append('\n');
    }

    String macs() {
        out.append(String.format("%-14s %4s  %-17s  %-16s  %-15s  %6s  %s%n",
                "segment", "vlan", "mac", "port", "remote", "age", "type"));
        SegmentState[] segs = sw.segmentStates();
        TunnelPort[] ports = sw.tunnelPorts();
        List<MacEntry> entries = sw.macTable().entries(now);
        for (MacEntry e : entries) {
            SegmentState s = segs[e.segment()];
            if (s == null) {
                continue;
            }
            String port = e.port() == SwitchDatapath.LAN_PORT ? "1 (" + sw.lanName() + ")"
                    : e.port() + (ports[e.port()] == null ? "" : " (" + ports[e.port()].name + ")");
            out.append(String.format("%-14s %4d  %-17s  %-16s  %-15s  %6d  %s%n", s.spec.label(), s.spec.vlan(),
                    MacAddress.format(e.mac()), port, e.remote() == 0 ? "-" : Ipv4Address.format(e.remote()),
                    e.hardAge() / 1_000_000_000L, e.isStatic() ? "static" : "learned"));
        }
        return out.toString();
    }

    private static String hex(int v) {
        return "0x" + Long.toHexString(v & 0xFFFF_FFFFL);
    }

    private static String seconds(long nanos) {
        long ms = nanos / 1_000_000L;
        return String.format("%d.%03ds", ms / 1000, ms % 1000);
    }
}
