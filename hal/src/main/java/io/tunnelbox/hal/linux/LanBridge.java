package io.tunnelbox.hal.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tinylog.Logger;

/**
 * Attaches the L2 role's TAP device to the LAN: a Linux bridge with the LAN NIC and the TAP as its
 * ports (why a bridge and not AF_PACKET: hal/DESIGN-NOTES.md). The bridge is plain: no STP, no VLAN
 * filtering, so 802.1Q-tagged frames pass unchanged between the LAN and the datapath, which maps
 * VLANs to segments itself.
 *
 * <p>{@link #close()} undoes exactly what {@link #attach} did: releases both ports and deletes the
 * bridge if it made it. An address the box has on the LAN belongs on the bridge, not on the NIC.
 */
public final class LanBridge implements AutoCloseable {
    private final Ip ip;
    private final String bridge;
    private final String lanNic;
    private final String tap;
    private final boolean createdBridge;
    private boolean closed;

    private LanBridge(Ip ip, String bridge, String lanNic, String tap, boolean createdBridge) {
        this.ip = ip;
        this.bridge = bridge;
        this.lanNic = lanNic;
        this.tap = tap;
        this.createdBridge = createdBridge;
    }

    /**
     * Puts {@code lanNic} and {@code tap} into bridge {@code bridge} (made if missing) and sets all
     * three up. On failure, whatever was done is undone and the {@link Ip.CommandException} says what
     * failed.
     */
    public static LanBridge attach(Ip ip, String bridge, String lanNic, String tap) {
        boolean exists = ip.exec("ip", "link", "show", "dev", bridge).ok();
        if (!exists) {
            // No multicast snooping: the bridge would send its own IGMP/MLD reports out of every
            // port, the TAP included, so the box itself would speak into the stretched segment
            // (and remote VTEPs would learn the bridge's MAC). Flooding LAN multicast to the
            // datapath is what a VTEP wants anyway.
            ip.run("link", "add", "name", bridge, "type", "bridge", "stp_state", "0", "mcast_snooping", "0");
        }
        LanBridge attached = new LanBridge(ip, bridge, lanNic, tap, !exists);
        try {
            quietIpv6Off(tap);
            ip.run("link", "set", "dev", lanNic, "master", bridge);
            ip.run("link", "set", "dev", tap, "master", bridge);
            ip.run("link", "set", "dev", bridge, "up");
            ip.run("link", "set", "dev", lanNic, "up");
            ip.run("link", "set", "dev", tap, "up");
        } catch (RuntimeException e) {
            attached.close();
            throw e;
        }
        Logger.info("LAN {} and {} bridged in {}", lanNic, tap, bridge);
        return attached;
    }

    /**
     * A bridge port needs no addresses; without this the kernel gives the TAP an IPv6 link-local
     * address and sends router solicitations and MLD reports from it straight into the datapath.
     */
    private static void quietIpv6Off(String device) {
        Path knob = Path.of("/proc/sys/net/ipv6/conf", device, "disable_ipv6");
        if (Files.exists(knob)) {
            try {
                Files.writeString(knob, "1");
            } catch (IOException e) {
                Logger.debug("{}: {}", knob, e.getMessage());
            }
        }
    }

    public String bridge() {
        return bridge;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        quietly("link", "set", "dev", tap, "nomaster");
        quietly("link", "set", "dev", lanNic, "nomaster");
        if (createdBridge) {
            quietly("link", "delete", "dev", bridge);
        }
    }

    private void quietly(String... args) {
        String[] full = new String[args.length + 1];
        full[0] = "ip";
        System.arraycopy(args, 0, full, 1, args.length);
        Ip.Result r = ip.exec(full);
        if (!r.ok()) {
            Logger.debug("{}: {}", String.join(" ", full), r.stderr().strip());
        }
    }
}
