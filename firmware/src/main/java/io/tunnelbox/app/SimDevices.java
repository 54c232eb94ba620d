package io.tunnelbox.app;

import io.tunnelbox.config.Config;
import io.tunnelbox.config.Flood;
import io.tunnelbox.console.Probes;
import io.tunnelbox.engine.DatapathRunner;
import io.tunnelbox.hal.port.PacketPort.Layer;
import io.tunnelbox.hal.port.memory.MemoryPort;
import io.tunnelbox.hal.port.memory.MemoryWan;
import io.tunnelbox.hal.time.Clock;
import io.tunnelbox.lab.SimHost;
import io.tunnelbox.packet.Ipv4Address;
import io.tunnelbox.packet.Ipv4Prefix;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.tinylog.Logger;

/**
 * The {@code sim} board's devices: instead of a TUN, a TAP and WAN sockets, in-memory ports on an
 * in-memory internet ({@link MemoryWan}), with a simulated peer site at every remote address the
 * configuration names and hosts on both sides that ping each other. The box's own engines run as
 * on hardware; only the wires are simulated. No root, no kernel devices.
 */
final class SimDevices implements Devices, Probes {
    /** The WAN address a DHCP WAN "gets" in the simulation (a documentation address). */
    static final int SIM_DHCP_ADDRESS = Ipv4Address.parse("198.51.100.10");

    private final Clock clock;
    private final MemoryWan wan = new MemoryWan();
    private final SimWorld world = new SimWorld();
    private final DatapathRunner runner;
    private final List<SimPeerSite> peers = new ArrayList<>();
    private final List<Runnable> trafficStops = new ArrayList<>();
    private MemoryPort wanPort;
    private WanDemux demux;
    private volatile SimHost wanStack;
    private volatile SimHost lanStack;
    private SimHost l2Host;
    private int wanAddress;
    private int wanMtu = 1500;
    /** The simulated host on the box's LAN that pings across. */
    private volatile int lanHost;

    SimDevices(Clock clock) {
        this.clock = clock;
        this.runner = new DatapathRunner(world, clock).start();
    }

    @Override
    public synchronized int configureWan(Config next) {
        var w = next.interfaces().wan();
        int address = !w.dhcp() && w.address() != null ? w.address().address() : SIM_DHCP_ADDRESS;
        wanMtu = w.mtu() > 0 ? w.mtu() : 1500;
        if (wanPort == null) {
            wanPort = wan.attach("sim-wan", address, wanMtu);
            demux = new WanDemux("box", wanPort);
            world.add(demux);
            wanStack = new SimHost("box-wan", demux.icmp, 0, List.of(address));
            world.add(wanStack);
        } else if (address != wanAddress) {
            wan.readdress(wanPort, address);
            world.remove(wanStack);
            wanStack = new SimHost("box-wan", demux.icmp, 0, List.of(address));
            world.add(wanStack);
        }
        wanAddress = address;
        rebuildPeers(next);
        return address;
    }

    /**
     * The far end of each tunnel as first configured: a real far end is not reconfigured when this
     * box changes a key, so neither is the simulated one (change a key and the tunnel breaks; that
     * is what commit confirmed is for).
     */
    private final java.util.Map<String, io.tunnelbox.config.TunnelConfig> farEnds = new java.util.HashMap<>();

    /** The tunnels as the far ends know them: each as first seen (a new remote is a new far end). */
    private Config asFarEndsKnowIt(Config next) {
        java.util.Map<String, io.tunnelbox.config.TunnelConfig> now = new java.util.HashMap<>();
        List<io.tunnelbox.config.TunnelConfig> known = new ArrayList<>();
        for (var t : next.tunnels()) {
            var first = farEnds.get(t.name());
            var kept = first != null && first.remote() == t.remote() ? first : t;
            now.put(t.name(), kept);
            known.add(kept);
        }
        farEnds.clear();
        farEnds.putAll(now);
        return new Config(next.system(), next.interfaces(), known, next.segments(), next.routes(), next.web(), next.console(),
                next.firewall());
    }

    /** The peer sites mirror the configuration being applied: rebuilt on every commit. */
    private void rebuildPeers(Config applied) {
        Config next = asFarEndsKnowIt(applied);
        peers.forEach(SimPeerSite::close);
        peers.clear();
        trafficStops.forEach(Runnable::run);
        trafficStops.clear();
        Set<Integer> addresses = new LinkedHashSet<>();
        next.tunnels().forEach(t -> addresses.add(t.remote()));
        next.segments().forEach(s -> {
            if (s.flood().mode() == Flood.Mode.PEERS) {
                addresses.addAll(s.flood().peers());
            }
        });
        addresses.remove(wanAddress);
        int index = 0;
        for (int a : addresses) {
            try {
                SimPeerSite site = new SimPeerSite(a, index++, next, wanAddress, wan, world, clock);
                peers.add(site);
            } catch (RuntimeException e) {
                Logger.warn("sim: no peer site at {}: {}", Ipv4Address.format(a), e.getMessage());
            }
        }
        Logger.info("sim: {} peer site(s) on the simulated WAN: {}", peers.size(),
                addresses.stream().map(Ipv4Address::format).toList());
        trafficStops.add(world.every(this::backgroundPings));
    }

    /** The hosts behind the box ping those behind the peers, so counters and MAC tables move. */
    private void backgroundPings() {
        SimHost lan = lanStack;
        SimHost l2 = l2Host;
        for (SimPeerSite p : peers) {
            if (lan != null) {
                p.hosts.forEach(h -> lan.pingQuietly(lanHost, h));
            }
            if (l2 != null) {
                p.l2Hosts.forEach(h -> l2.pingQuietly(SimPeerSite.L2_NET + 1, h));
            }
        }
    }

    @Override
    public int wanMtu(Config next) {
        return wanMtu;
    }

    @Override
    public synchronized RouterPorts openRouter(Config next, int wanAddress, int wanMtu) {
        MemoryPort tun = new MemoryPort("tb-gre", Layer.IP, wanMtu);
        MemoryPort kernel = new MemoryPort("sim-kernel", Layer.IP, wanMtu);
        MemoryPort.wire(tun, kernel);
        Ipv4Prefix lan = next.interfaces().lan().address();
        int lanAddress = lan == null ? Ipv4Address.parse("192.168.1.1") : lan.address();
        int net = lan == null ? Ipv4Address.parse("192.168.1.0") : lan.address() & lan.mask();
        lanHost = net + 10 == lanAddress ? net + 11 : net + 10;
        // The box's Linux side of the TUN: its LAN address, and a LAN host behind it.
        lanStack = new SimHost("box-lan", kernel, 0, List.of(lanAddress, lanHost));
        world.add(lanStack);
        Logger.info("sim: router role up on in-memory ports (LAN {} with host {})", Ipv4Address.format(lanAddress),
                Ipv4Address.format(lanHost));
        return new RouterPorts(tun, demux.router);
    }

    @Override
    public synchronized SwitchPorts openSwitch(Config next, int wanAddress, int wanMtu) {
        MemoryPort tap = new MemoryPort("tb-l2", Layer.ETHERNET, 1500);
        MemoryPort hostEnd = new MemoryPort("sim-l2-host", Layer.ETHERNET, 1500);
        MemoryPort.wire(tap, hostEnd);
        l2Host = new SimHost("box-l2-host", hostEnd, 0x02_00_5e_00_00_01L, List.of(SimPeerSite.L2_NET + 1));
        world.add(l2Host);
        Logger.info("sim: switch role up on in-memory ports (host 10.0.0.1 on the untagged segment)");
        return new SwitchPorts(tap, demux.vxlan, demux.gre);
    }

    @Override
    public void routeAdded(String prefix) {
        // The simulated kernel sends everything into the TUN already.
    }

    @Override
    public void routeRemoved(String prefix) {
    }

    @Override
    public void groupJoined(int group) {
        wan.join(wanPort, group);
    }

    @Override
    public void groupLeft(int group) {
        wan.leave(wanPort, group);
    }

    /** ping and traceroute of the sim box: from its LAN side (through the tunnels) or its WAN address. */
    @Override
    public Reply echo(Request r) throws InterruptedException {
        SimHost s = r.source() == Source.WAN ? wanStack : lanStack;
        if (s == null) {
            return new Reply(Kind.ERROR, "", 0, r.source() == Source.LAN
                    ? "no LAN route into a tunnel yet (the sim's LAN side starts with the first tunnel)"
                    : "the WAN is not configured yet");
        }
        return s.echo(r);
    }

    @Override
    public synchronized void close() {
        runner.close();
        peers.forEach(SimPeerSite::close);
        peers.clear();
    }
}
