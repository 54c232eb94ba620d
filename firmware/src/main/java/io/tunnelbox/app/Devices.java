package io.tunnelbox.app;

import io.tunnelbox.config.Config;
import io.tunnelbox.engine.IdleWait;
import io.tunnelbox.hal.port.PacketPort;
import java.util.List;

/**
 * What the {@link DatapathApplier} needs from the machine it runs on: the WAN's address, and the
 * ports and kernel state of each role, opened the first time a configuration asks for the role.
 * Linux gives TUN/TAP devices and sockets ({@link LinuxDataplane}); tests give in-memory ports.
 */
interface Devices extends AutoCloseable {
    /** Ports of the router role: an IP-layer LAN port (a TUN) and the GRE underlay port. */
    record RouterPorts(PacketPort lan, PacketPort wan) {
    }

    /** Ports of the switch role: the Ethernet LAN port (a TAP) and the VXLAN and GRE underlay ports. */
    record SwitchPorts(PacketPort lan, PacketPort vxlan, PacketPort gre) {
    }

    /** What the WAN looks like now: its IPv4 address (0: none yet) and its interface index (0: the NIC is gone). */
    record WanView(int address, int ifindex) {
    }

    /**
     * Configures WAN addressing as {@code next} says and returns the WAN's IPv4 address, or 0 when
     * it has none yet (a DHCP WAN whose lease has not arrived): the roles then wait for it.
     */
    int configureWan(Config next);

    /** The WAN as it is now (cheap: called every second and on every link or address event). */
    default WanView observeWan() {
        return new WanView(0, 0);
    }

    /** The underlay sockets follow a new WAN address, or a WAN NIC that was re-created (same address). */
    default void underlayMoved(int wanAddress) {
    }

    /**
     * Looks at the router's LAN device and re-creates it, with its routes, if someone deleted it.
     * Returns what was wrong (for the log and {@code show tunnels}), or null when all was well.
     */
    default String repairRouterDevice() {
        return null;
    }

    int wanMtu(Config next);

    RouterPorts openRouter(Config next, int wanAddress, int wanMtu);

    SwitchPorts openSwitch(Config next, int wanAddress, int wanMtu);

    /** The kernel must send {@code prefix} into the router's LAN port (a route into the TUN). */
    void routeAdded(String prefix);

    void routeRemoved(String prefix);

    void groupJoined(int group);

    void groupLeft(int group);

    /**
     * What a datapath thread over {@code ports} sleeps on when idle: by default short parks (ports
     * nobody can poll); Linux waits in poll(2) on the ports' descriptors.
     */
    default IdleWait idleWait(List<PacketPort> ports) {
        return IdleWait.parking();
    }

    /** Releases every device, newest first. */
    @Override
    void close();
}
