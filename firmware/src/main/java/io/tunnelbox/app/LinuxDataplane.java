package io.tunnelbox.app;

import io.tunnelbox.config.Config;
import io.tunnelbox.config.SegmentConfig;
import io.tunnelbox.engine.IdleWait;
import io.tunnelbox.hal.linux.GrePort;
import io.tunnelbox.hal.linux.Ip;
import io.tunnelbox.hal.linux.KernelRoutes;
import io.tunnelbox.hal.linux.LanBridge;
import io.tunnelbox.hal.linux.PortPoller;
import io.tunnelbox.hal.linux.TapPort;
import io.tunnelbox.hal.linux.TunPort;
import io.tunnelbox.hal.linux.VxlanPort;
import io.tunnelbox.hal.offload.Offloads;
import io.tunnelbox.hal.port.PacketPort;
import java.util.ArrayList;
import java.util.List;
import org.tinylog.Logger;

/**
 * The box's devices on Linux: WAN addressing, and the devices and sockets a role needs, opened the
 * first time the configuration asks for that role (a TUN and a raw GRE socket for the router; a TAP
 * bridged with the LAN NIC and a VXLAN socket for the switch), plus the kernel routes into the TUN.
 * Everything it opened or added is removed on close.
 */
final class LinuxDataplane implements Devices {
    static final String TUN = "tb-gre", TAP = "tb-l2", BRIDGE = "tb-lan";

    private final Ip ip = Ip.host();
    private final String wanNic;
    private final String lanNic;
    /** The command line's or environment's offloads; null: the configuration's. */
    private final Offloads override;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private VxlanPort vxlan;
    private final List<GrePort> grePorts = new ArrayList<>();
    private TunPort tun;
    private KernelRoutes kernelRoutes;
    private int wanAddress;
    private int wanMtu = 1500;
    /** The box's own LAN address as this box put it on ("192.168.1.1/24"), and on which device; or null. */
    private String lanCidr;
    private String lanDevice;
    /** The address was there before this box (put on by someone else): it stays at stop. */
    private boolean lanPreexisting;
    /** Whether the stop-time removal of the LAN address is registered (once, with the first address). */
    private boolean lanRemovalRegistered;
    /** Whether the switch role has bridged the LAN NIC (then the LAN address belongs on the bridge). */
    private boolean bridged;

    /** {@code offloads}: what overrides the configuration's offloads, or null to use them. */
    LinuxDataplane(String wanNic, String lanNic, Offloads offloads) {
        this.wanNic = wanNic;
        this.lanNic = lanNic;
        this.override = offloads;
    }

    /** The offloads ports opened for {@code next} ask for: the override, else the configuration's. */
    Offloads offloads(Config next) {
        return override != null ? override : Offloads.parse(next.interfaces().offloads().words());
    }

    /**
     * Puts a static WAN address and default route back when something removed them: Linux flushes
     * the routes of a link that goes down, and a box must not stay cut off after a cable flap.
     * Runs every second; reads the kernel's state without starting a process unless a repair is due.
     */
    synchronized void maintainWan(Config running) {
        var wan = running.interfaces().wan();
        if (wan.dhcp() || wan.address() == null) {
            return;
        }
        try {
            // Not java.net.NetworkInterface for presence: it lists only interfaces that already have
            // an address, so a re-created NIC without one would look absent and never be repaired.
            if (!isUp(wanNic)) {
                return;
            }
            java.net.NetworkInterface nic = java.net.NetworkInterface.getByName(wanNic);
            boolean hasAddress = nic != null && nic.inetAddresses().anyMatch(a -> a instanceof java.net.Inet4Address
                    && java.nio.ByteBuffer.wrap(a.getAddress()).getInt() == wan.address().address());
            boolean hasDefault = wan.gateway() == 0 || java.nio.file.Files.readAllLines(
                    java.nio.file.Path.of("/proc/net/route")).stream().skip(1)
                    .map(l -> l.split("\\s+")).anyMatch(f -> f.length > 2 && f[1].equals("00000000"));
            if (!hasAddress || !hasDefault) {
                Logger.warn("WAN {} lost its {}; restoring it", wanNic, hasAddress ? "default route" : "address");
                addressWan(running);
            }
        } catch (java.io.IOException | RuntimeException e) {
            Logger.warn("checking WAN {}: {}", wanNic, e.getMessage());
        }
    }

    /** The WAN address: the configured one (added if missing), or whatever DHCP gave the NIC. */
    private void addressWan(Config next) {
        var wan = next.interfaces().wan();
        wanMtu = wan.mtu() > 0 ? wan.mtu() : 1500;
        if (!wan.dhcp() && wan.address() != null) {
            String cidr = wan.address().toString();
            if (!ip.run("-4", "-o", "addr", "show", "dev", wanNic).contains(" " + cidr + " ")) {
                ip.run("addr", "replace", cidr, "dev", wanNic);
            }
            wanAddress = wan.address().address();
            if (wan.gateway() != 0) {
                ip.run("route", "replace", "default", "via", io.tunnelbox.packet.Ipv4Address.format(wan.gateway()),
                        "dev", wanNic);
            }
        } else {
            wanAddress = currentAddress(wanNic);
        }
    }

    private int currentAddress(String nic) {
        String out = ip.run("-4", "-o", "addr", "show", "dev", nic);
        for (String word : out.split("\\s+")) {
            if (word.contains("/") && Character.isDigit(word.charAt(0))) {
                return io.tunnelbox.packet.Ipv4Address.parse(word.substring(0, word.indexOf('/')));
            }
        }
        return 0; // no address yet (DHCP still running?): the roles wait for it
    }

    @Override
    public WanView observeWan() {
        int index = (int) sysfsNumber(wanNic, "ifindex");
        if (index <= 0) {
            return new WanView(0, 0);
        }
        try {
            java.net.NetworkInterface nic = java.net.NetworkInterface.getByName(wanNic);
            int address = nic == null ? 0 : nic.inetAddresses().filter(a -> a instanceof java.net.Inet4Address)
                    .mapToInt(a -> java.nio.ByteBuffer.wrap(a.getAddress()).getInt()).findFirst().orElse(0);
            return new WanView(address, index);
        } catch (java.net.SocketException e) {
            return new WanView(0, index);
        }
    }

    /** Whether the interface exists and is administratively up (IFF_UP in its sysfs flags). */
    private static boolean isUp(String nic) {
        return (sysfsNumber(nic, "flags") & 0x1) != 0;
    }

    /** A number from /sys/class/net/NIC/FILE (decimal or 0x hex), -1 when the NIC is not there. */
    private static long sysfsNumber(String nic, String file) {
        try {
            String text = java.nio.file.Files.readString(java.nio.file.Path.of("/sys/class/net", nic, file)).strip();
            return text.startsWith("0x") ? Long.parseLong(text.substring(2), 16) : Long.parseLong(text);
        } catch (java.io.IOException | NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public synchronized void underlayMoved(int address) {
        for (var port : grePorts) {
            moved(port, address);
        }
        if (vxlan != null) {
            moved(vxlan, address);
        }
    }

    private static void moved(io.tunnelbox.hal.linux.UnderlayPort port, int address) {
        boolean ok = address == port.localAddress() ? port.reopen() : port.rebind(address);
        Logger.info("port {}: sockets {} for {}", port.name(), ok ? "follow the WAN" : "wait to follow the WAN",
                io.tunnelbox.packet.Ipv4Address.format(address));
    }

    @Override
    public synchronized String repairRouterDevice() {
        if (tun == null || tun.deviceExists()) {
            return null;
        }
        String why = "TUN device " + TUN + " was deleted";
        Logger.error("{}: re-creating it and its routes", why);
        tun.recreate();
        tun.setUp(true);
        sysctl("net/ipv4/conf/" + TUN + "/accept_local", "1");
        int restored = 0;
        for (KernelRoutes.Route r : kernelRoutes.installed()) {
            ip.run("route", "replace", r.prefix(), "dev", r.device(), "proto", KernelRoutes.PROTOCOL);
            restored++;
        }
        Logger.info("{} re-created with {} route(s)", TUN, restored);
        return why;
    }

    @Override
    public int configureWan(Config next) {
        addressWan(next);
        addressLan(next);
        return wanAddress;
    }

    /**
     * The box's own LAN address (the hosts' gateway, the web page's address): on the LAN NIC, or on
     * the bridge once the switch role has made one (an enslaved NIC's address does not answer).
     * A changed address replaces the one this box put on; stopping the box takes it off again.
     */
    private void addressLan(Config next) {
        var lan = next.interfaces().lan();
        String cidr = lan.address() == null ? null : lan.address().toString();
        String device = bridged ? BRIDGE : lanNic;
        if (java.util.Objects.equals(cidr, lanCidr) && device.equals(lanDevice)) {
            return;
        }
        removeLanAddress();
        if (cidr == null) {
            return;
        }
        if (!lanRemovalRegistered) {
            remember(new LanAddress());
            lanRemovalRegistered = true;
        }
        lanPreexisting = ip.run("-4", "-o", "addr", "show", "dev", device).contains(" " + cidr + " ");
        if (!lanPreexisting) {
            ip.run("addr", "replace", cidr, "dev", device);
        }
        ip.run("link", "set", "dev", device, "up");
        lanCidr = cidr;
        lanDevice = device;
        Logger.info("LAN address {} on {}", cidr, device);
    }

    private void removeLanAddress() {
        if (lanCidr == null) {
            return;
        }
        if (!lanPreexisting && !ip.exec("ip", "addr", "del", lanCidr, "dev", lanDevice).ok()) {
            Logger.debug("LAN address {} was no longer on {}", lanCidr, lanDevice);
        }
        lanCidr = null;
        lanDevice = null;
    }

    /** Takes the box's LAN address off at stop (registered once, when the first one goes on). */
    private final class LanAddress implements AutoCloseable {
        @Override
        public void close() {
            removeLanAddress();
        }

        @Override
        public String toString() {
            return "the LAN address";
        }
    }

    /** The WAN address in use (0 before the first configuration), for ping's source. */
    int wanAddress() {
        return wanAddress;
    }

    @Override
    public int wanMtu(Config next) {
        return wanMtu;
    }

    @Override
    public synchronized RouterPorts openRouter(Config next, int wanAddress, int wanMtu) {
        // The TUN carries whole WAN-sized packets so that the datapath, which knows each tunnel's
        // MTU, answers oversize DF packets itself with the right next-hop MTU.
        tun = remember(TunPort.open(TUN, wanMtu, offloads(next)));
        tun.setUp(true);
        // The datapath answers oversize packets with ICMP from the box's own LAN address; Linux
        // drops packets that arrive with a local source address unless the device accepts them.
        sysctl("net/ipv4/conf/" + TUN + "/accept_local", "1");
        GrePort gre = remember(GrePort.open("gre-router", wanAddress, wanNic, wanMtu, GrePort.Payload.IP));
        grePorts.add(gre);
        kernelRoutes = remember(new KernelRoutes(ip));
        Logger.info("router role up: {} (offloads {}) and a raw GRE socket on {} ({})", TUN, tun.offloads(), wanNic,
                io.tunnelbox.packet.Ipv4Address.format(wanAddress));
        return new RouterPorts(tun, gre);
    }

    @Override
    public synchronized SwitchPorts openSwitch(Config next, int wanAddress, int wanMtu) {
        int port = DatapathApplier.vxlanPort(next);
        int udpPort = port != 0 ? port : SegmentConfig.VXLAN_PORT;
        Offloads offloads = offloads(next);
        TapPort tap = remember(TapPort.open(TAP, 1500, offloads));
        remember(LanBridge.attach(ip, BRIDGE, lanNic, TAP));
        // The box's own address moves from the NIC to the bridge. No IPv6 on the bridge: its
        // link-local address would send router solicitations and MLD into the stretched segments.
        try {
            sysctl("net/ipv6/conf/" + BRIDGE + "/disable_ipv6", "1");
        } catch (IllegalStateException e) {
            Logger.debug("{}: IPv6 is off in this kernel", e.getMessage());
        }
        bridged = true;
        addressLan(next);
        vxlan = remember(VxlanPort.open("vxlan", wanAddress, udpPort, wanNic, wanMtu, offloads.udpSegmentation(),
                offloads.udpGro()));
        GrePort gre = remember(GrePort.open("gre-switch", wanAddress, wanNic, wanMtu, GrePort.Payload.ETHERNET));
        grePorts.add(gre);
        Logger.info("switch role up: {} (offloads {}) bridged with {} in {}, VXLAN port {} on {} (UDP segmentation {}, UDP GRO {})",
                TAP, tap.offloads(), lanNic, BRIDGE, udpPort, wanNic, vxlan.udpSegmentation() ? "on" : "off",
                vxlan.udpGro() ? "on" : "off");
        return new SwitchPorts(tap, vxlan, gre);
    }

    /** The datapath thread sleeps in poll(2) on the ports' descriptors until a packet arrives. */
    @Override
    public IdleWait idleWait(List<PacketPort> ports) {
        return new PortPollerWait(new PortPoller(ports));
    }

    @Override
    public void routeAdded(String prefix) {
        kernelRoutes.add(prefix, TUN);
    }

    @Override
    public void routeRemoved(String prefix) {
        kernelRoutes.remove(prefix, TUN);
    }

    @Override
    public void groupJoined(int group) {
        vxlan.join(group);
    }

    @Override
    public void groupLeft(int group) {
        vxlan.leave(group);
    }

    private static void sysctl(String key, String value) {
        try {
            java.nio.file.Files.writeString(java.nio.file.Path.of("/proc/sys", key), value);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot set " + key.replace('/', '.') + " = " + value + ": " + e.getMessage(), e);
        }
    }

    private <T extends AutoCloseable> T remember(T resource) {
        resources.add(resource);
        return resource;
    }

    /** Stops the datapaths first, then removes routes, the bridge, and closes devices, newest first. */
    @Override
    public synchronized void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                Logger.warn("closing {}: {}", resources.get(i), e.getMessage());
            }
        }
        resources.clear();
    }
}
