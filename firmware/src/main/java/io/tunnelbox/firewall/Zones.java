package io.tunnelbox.firewall;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The box's interfaces by zone, as the kernel names them.
 *
 * @param wan     the WAN NIC
 * @param lan     the LAN NIC and the bridge that takes its address when the switch role runs
 * @param tunnels devices that carry tunnel traffic to and from the kernel (the router's TUN)
 */
public record Zones(String wan, List<String> lan, List<String> tunnels) {
    private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_.:@-]{1,15}");

    public Zones {
        lan = List.copyOf(lan);
        tunnels = List.copyOf(tunnels);
        if (lan.isEmpty() || tunnels.isEmpty()) {
            throw new IllegalArgumentException("the LAN and tunnel zones need an interface each");
        }
        check(wan);
        lan.forEach(Zones::check);
        tunnels.forEach(Zones::check);
        if (lan.contains(wan) || tunnels.contains(wan)) {
            throw new IllegalArgumentException("interface " + wan + " cannot be in the WAN zone and another one");
        }
    }

    /** Interface names go into the ruleset's text: only what a kernel interface name can be. */
    private static void check(String name) {
        if (name == null || !IFNAME.matcher(name).matches()) {
            throw new IllegalArgumentException("\"" + name + "\" is not an interface name");
        }
    }
}
