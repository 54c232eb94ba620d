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
    /** The br_netfilter settings found before {@link #attach} turned them off ("k=v" each); empty if none. */
    private String[] netfilterBefore = new String[0];
    private boolean closed;

    /** The namespace's br_netfilter switches: bridged frames through the IP, IPv6 and ARP hooks. */
    static final String[] BRIDGE_NETFILTER = {"net.bridge.bridge-nf-call-iptables",
            "net.bridge.bridge-nf-call-ip6tables", "net.bridge.bridge-nf-call-arptables"};

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
            attached.bridgedFramesSkipIpHooks();
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

    /**
     * Where br_netfilter is built in (or loaded), a new namespace hands every bridged frame to the
     * IP firewall hooks and conntrack; here every frame between the LAN and the datapath. The box's
     * ruleset accepts bridged frames (it filters what the box receives and routes, not what the
     * switch bridges), so that cost bought nothing: 18% of the receiving VTEP's CPU with 64-byte
     * packets (perf, lab). The settings are per namespace; {@link #close()} puts back what was there.
     * Without br_netfilter the keys do not exist and nothing is done.
     */
    private void bridgedFramesSkipIpHooks() {
        String[] read = new String[BRIDGE_NETFILTER.length + 1];
        read[0] = "sysctl";
        System.arraycopy(BRIDGE_NETFILTER, 0, read, 1, BRIDGE_NETFILTER.length);
        Ip.Result before = ip.exec(read);
        if (!before.ok()) {
            return; // no br_netfilter in this kernel (or no sysctl tool): bridged frames skip the hooks already
        }
        String[] lines = before.stdout().strip().split("\n");
        String[] write = new String[BRIDGE_NETFILTER.length + 3];
        write[0] = "sysctl";
        write[1] = "-q";
        write[2] = "-w";
        for (int k = 0; k < BRIDGE_NETFILTER.length; k++) {
            write[k + 3] = BRIDGE_NETFILTER[k] + "=0";
        }
        Ip.Result r = ip.exec(write);
        if (r.ok()) {
            netfilterBefore = java.util.Arrays.stream(lines).map(l -> l.replace(" ", "")).toArray(String[]::new);
        } else {
            Logger.warn("bridge {}: bridged frames still pass the IP firewall hooks ({})", bridge, r.stderr().strip());
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
        if (netfilterBefore.length > 0) {
            String[] write = new String[netfilterBefore.length + 3];
            write[0] = "sysctl";
            write[1] = "-q";
            write[2] = "-w";
            System.arraycopy(netfilterBefore, 0, write, 3, netfilterBefore.length);
            Ip.Result r = ip.exec(write);
            if (!r.ok()) {
                Logger.debug("sysctl: {}", r.stderr().strip());
            }
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
