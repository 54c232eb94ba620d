package io.tunnelbox.hal.linux;

import java.util.ArrayList;
import java.util.List;

/**
 * Network namespaces a test makes for itself and removes in {@link #close()}, also after a
 * failure. Names are {@code tbl-<suffix>-<pid>}: several test JVMs on one machine (developers
 * sharing it, a build beside a lab) never touch each other's namespaces. Leftovers of test JVMs
 * that died without cleaning up are removed when the first namespace is made.
 */
final class Namespaces implements AutoCloseable {
    private static final String PREFIX = "tbl-";
    private static final long PID = ProcessHandle.current().pid();
    private static boolean staleRemoved;
    private final List<String> names = new ArrayList<>();
    private final List<NetNamespace> handles = new ArrayList<>();

    /** Creates {@code tbl-<suffix>-<pid>} with loopback up and returns its name. */
    String add(String suffix) {
        removeStale();
        String name = PREFIX + suffix + "-" + PID;
        Ip.deleteNamespace(name);
        Ip.addNamespace(name);
        names.add(name);
        return name;
    }

    private static synchronized void removeStale() {
        if (staleRemoved) {
            return;
        }
        staleRemoved = true;
        for (String line : Ip.host().run("netns", "list").split("\n")) {
            String name = line.strip().split(" ")[0];
            int dash = name.lastIndexOf('-');
            if (!name.startsWith(PREFIX) || dash < 0) {
                continue;
            }
            try {
                long pid = Long.parseLong(name.substring(dash + 1));
                if (ProcessHandle.of(pid).isEmpty()) {
                    Ip.deleteNamespace(name);
                }
            } catch (NumberFormatException e) {
                // not one of ours
            }
        }
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
