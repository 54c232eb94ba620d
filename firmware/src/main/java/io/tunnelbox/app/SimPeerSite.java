package io.tunnelbox.app;

import io.tunnelbox.config.Config;
import io.tunnelbox.config.Flood;
import io.tunnelbox.config.RouteConfig;
import io.tunnelbox.config.SegmentConfig;
import io.tunnelbox.config.TunnelConfig;
import io.tunnelbox.hal.port.PacketPort.Layer;
import io.tunnelbox.hal.port.memory.MemoryPort;
import io.tunnelbox.hal.port.memory.MemoryWan;
import io.tunnelbox.hal.time.Clock;
import io.tunnelbox.l2switch.SegmentSpec;
import io.tunnelbox.l2switch.SwitchDatapath;
import io.tunnelbox.lab.SimHost;
import io.tunnelbox.packet.Ipv4Address;
import io.tunnelbox.packet.Ipv4Prefix;
import io.tunnelbox.router.GreTunnelSpec;
import io.tunnelbox.router.RouterDatapath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The other end of the sim box's tunnels and segments at one WAN address: a TunnelBox engine
 * configured as the mirror of the box's configuration (same keys the other way round, a route back
 * to the box's LAN, the same segments), with hosts behind it that answer pings: the first address
 * of each remote LAN routed to it, and 10.0.0.x on the untagged segment.
 */
final class SimPeerSite implements AutoCloseable {
    /** Hosts of the untagged segment: the box side is .1, peer sites .2 and up. */
    static final int L2_NET = Ipv4Address.parse("10.0.0.0");

    private final int address;
    private final MemoryWan wan;
    private final SimWorld world;
    private final MemoryPort wanPort;
    private final List<io.tunnelbox.engine.Datapath> parts = new ArrayList<>();
    /** Addresses behind this site that answer pings, for the background traffic and the README. */
    final List<Integer> hosts = new ArrayList<>();
    final List<Integer> l2Hosts = new ArrayList<>();

    SimPeerSite(int address, int index, Config box, int boxWan, MemoryWan wan, SimWorld world, Clock clock) {
        this.address = address;
        this.wan = wan;
        this.world = world;
        this.wanPort = wan.attach("peer-" + Ipv4Address.format(address), address, 1500);
        WanDemux demux = new WanDemux("peer-" + Ipv4Address.format(address), wanPort);
        parts.add(demux);
        SimHost wanStack = new SimHost("peer-wan", demux.icmp, 0, List.of(address));
        parts.add(wanStack);
        router(box, boxWan, demux, clock);
        segments(box, boxWan, index, demux, clock);
        parts.forEach(world::add);
    }

    private void router(Config box, int boxWan, WanDemux demux, Clock clock) {
        List<TunnelConfig> mine = box.tunnels().stream().filter(t -> t.remote() == address).toList();
        if (mine.isEmpty()) {
            return;
        }
        MemoryPort lan = new MemoryPort("peer-lan", Layer.IP, 1500);
        MemoryPort hostsEnd = new MemoryPort("peer-hosts", Layer.IP, 1500);
        MemoryPort.wire(lan, hostsEnd);
        RouterDatapath r = new RouterDatapath("peer-" + Ipv4Address.format(address), lan, demux.router, clock);
        for (TunnelConfig t : mine) {
            GreTunnelSpec forward = SpecMapping.tunnel(t, boxWan, 1500);
            r.addTunnel(new GreTunnelSpec(t.name(), address, forward.local(), okeyOf(forward), ikeyOf(forward),
                    forward.sequence(), forward.checksum(), GreTunnelSpec.DEFAULT_TTL, 0, forward.df(),
                    GreTunnelSpec.MTU_AUTO, Duration.ZERO, GreTunnelSpec.DEFAULT_KEEPALIVE_RETRIES, GreTunnelSpec.MSS_OFF));
            for (RouteConfig route : box.routes()) {
                if (route.tunnel().equals(t.name()) && route.prefix() instanceof Ipv4Prefix p) {
                    hosts.add(p.address() + 1);
                }
            }
        }
        if (box.interfaces().lan().address() != null) {
            Ipv4Prefix lanNet = box.interfaces().lan().address();
            r.addRoute(new Ipv4Prefix(lanNet.address() & lanNet.mask(), lanNet.length()), mine.getFirst().name());
        }
        if (!hosts.isEmpty()) {
            r.setLanAddress(hosts.getFirst() + 253); // x.y.z.254 when the host is x.y.z.1
        }
        parts.add(r);
        if (!hosts.isEmpty()) {
            parts.add(new SimHost("peer-hosts", hostsEnd, 0, hosts));
        }
    }

    /** The peer expects the key the box sends, and sends the key the box expects. */
    private static OptionalInt okeyOf(GreTunnelSpec boxSide) {
        return boxSide.outputKey();
    }

    private static OptionalInt ikeyOf(GreTunnelSpec boxSide) {
        return boxSide.inputKey();
    }

    private void segments(Config box, int boxWan, int index, WanDemux demux, Clock clock) {
        List<SegmentConfig> mine = box.segments().stream().filter(s -> reaches(s.flood())).toList();
        if (mine.isEmpty()) {
            return;
        }
        MemoryPort lan = new MemoryPort("peer-l2", Layer.ETHERNET, 1500);
        MemoryPort hostEnd = new MemoryPort("peer-l2-host", Layer.ETHERNET, 1500);
        MemoryPort.wire(lan, hostEnd);
        int udpPort = mine.stream().filter(s -> s.transport() == SegmentConfig.Transport.VXLAN)
                .mapToInt(SegmentConfig::udpPort).findFirst().orElse(SegmentConfig.VXLAN_PORT);
        SwitchDatapath sw = new SwitchDatapath("peer-" + Ipv4Address.format(address), clock, address, lan,
                demux.vxlan, demux.gre, 10_000, udpPort);
        for (SegmentConfig s : mine) {
            SegmentSpec spec = SpecMapping.segment(s, box);
            if (spec.group() != 0) {
                wan.join(wanPort, spec.group());
            } else {
                spec = spec.withPeers(List.of(boxWan));
            }
            sw.addSegment(spec);
        }
        parts.add(sw);
        int host = L2_NET + 2 + index;
        l2Hosts.add(host);
        parts.add(new SimHost("peer-l2-host", hostEnd, 0x02_00_5e_00_00_02L + index, List.of(host)));
    }

    private boolean reaches(Flood f) {
        return f.mode() == Flood.Mode.GROUP || f.peers().contains(address);
    }

    @Override
    public void close() {
        parts.forEach(world::remove);
        wan.readdress(wanPort, 0);
        wanPort.close();
    }
}
