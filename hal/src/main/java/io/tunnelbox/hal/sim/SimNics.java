package io.tunnelbox.hal.sim;

import io.tunnelbox.hal.board.BoardConfig;
import io.tunnelbox.hal.board.NicRoleSpec;
import io.tunnelbox.hal.nic.NicInventory;
import io.tunnelbox.hal.nic.NicState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * In-memory NICs for the sim board, behind the same {@link NicInventory} as sysfs: the firmware
 * discovers, assigns roles and watches links exactly as on hardware, and tests (or the lab)
 * pull cables with {@link #setLink}.
 */
public final class SimNics implements NicInventory {
    private final Map<String, NicState> nics = new TreeMap<>();

    /** One NIC per role whose match names an interface (the sim board's "sim-wan", "sim-lan"), link up at 1000 Mb/s. */
    public static SimNics forBoard(BoardConfig board) {
        SimNics sim = new SimNics();
        int i = 1;
        for (NicRoleSpec spec : board.nics()) {
            for (String name : spec.match().names()) {
                if (!name.contains("*") && !name.contains("?")) {
                    sim.add(name, String.format("02:54:42:00:00:%02x", i++), 1500);
                }
            }
        }
        return sim;
    }

    public synchronized SimNics add(String name, String mac, int mtu) {
        nics.put(name, new NicState(name, mac, mtu, true, "up", 1000, "sim", "/sim/" + name));
        return this;
    }

    public synchronized void remove(String name) {
        nics.remove(name);
    }

    /** Plug or pull the cable: carrier, operstate and speed change together, as on a real port. */
    public synchronized void setLink(String name, boolean up) {
        NicState s = nics.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no sim NIC " + name + " (have " + nics.keySet() + ")");
        }
        nics.put(name, s.withLink(up, up ? "up" : "down", up ? 1000 : -1));
    }

    @Override
    public synchronized List<NicState> scan() {
        return new ArrayList<>(nics.values());
    }
}
