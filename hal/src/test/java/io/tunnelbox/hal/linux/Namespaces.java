package io.tunnelbox.hal.linux;

import java.util.ArrayList;
import java.util.List;

/**
 * Network namespaces a test makes for itself (prefix {@code tbl-}, unique per JVM) and removes in
 * {@link #close()}, also after a failure; stale ones of an earlier aborted run are removed first.
 */
final class Namespaces implements AutoCloseable {
    private static final String PREFIX = "tbl-";
    private final List<String> names = new ArrayList<>();
    private final List<NetNamespace> handles = new ArrayList<>();

    /** Creates {@code tbl-<suffix>} (removing a leftover of that name first) with loopback up. */
    String add(String suffix) {
        String name = PREFIX + suffix;
        Ip.deleteNamespace(name);
        Ip.addNamespace(name);
        names.add(name);
        return name;
    }

    /** A handle to run blocks in {@code name}; closed with this object. */
    NetNamespace enter(String name) {
        NetNamespace ns = NetNamespace.named(name);
        handles.add(ns);
        return ns;
    }

    /** Two namespaces joined by a veth pair with addresses {@code a}/24 and {@code b}/24, links up. */
    static void veth(String nsA, String devA, String addrA, String nsB, String devB, String addrB) {
        Ip.in(nsA).run("link", "add", devA, "type", "veth", "peer", "name", devB, "netns", nsB);
        Ip.in(nsA).run("addr", "add", addrA + "/24", "dev", devA);
        Ip.in(nsB).run("addr", "add", addrB + "/24", "dev", devB);
        Ip.in(nsA).run("link", "set", devA, "up");
        Ip.in(nsB).run("link", "set", devB, "up");
    }

    @Override
    public void close() {
        handles.forEach(NetNamespace::close);
        names.forEach(Ip::deleteNamespace);
    }
}
