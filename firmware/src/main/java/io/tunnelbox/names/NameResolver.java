package io.tunnelbox.names;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** Looks up a host name's IPv4 addresses (tunnels and VTEPs are IPv4); may block. */
@FunctionalInterface
public interface NameResolver {
    /**
     * The name's IPv4 addresses, in the order the resolver gave them; an empty list when it has
     * none (an IPv6-only name).
     *
     * @throws IOException when the name cannot be resolved now (unknown, no DNS server reachable)
     */
    List<Integer> ipv4(String host) throws IOException;

    /**
     * The JDK's resolver: the system's (/etc/hosts, then DNS), or the hosts-format file named by
     * {@code -Djdk.net.hosts.file}, with the JDK's cache (30 s for answers by default).
     */
    NameResolver SYSTEM = host -> {
        List<Integer> out = new ArrayList<>();
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (a instanceof Inet4Address v4) {
                    byte[] b = v4.getAddress();
                    out.add((b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF));
                }
            }
        } catch (UnknownHostException e) {
            throw new UnknownHostException("unknown host " + host);
        }
        return out;
    };
}
