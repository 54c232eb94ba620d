package io.tunnelbox.hal.nic;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import org.tinylog.Logger;

/**
 * Notices link changes by polling the inventory every {@code interval} of clock time (default
 * 250 ms, so a change is published well within a second). Polling a handful of small sysfs files
 * costs microseconds; rtnetlink events would be faster but need a netlink socket through FFM for
 * no visible gain on an LED. On the first poll every interface is published once, so listeners
 * start from the real state.
 */
public final class LinkMonitor {
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(250);

    private final NicInventory inventory;
    private final Function<String, String> roleOf;
    private final long intervalNanos;
    private final List<Consumer<LinkEvent>> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, NicState> last = new ConcurrentHashMap<>(); // read by other threads through state()
    private long lastPoll;
    private boolean first = true;

    /** @param roleOf the role of an interface name, or null (from a {@link RoleAssignment}) */
    public LinkMonitor(NicInventory inventory, Function<String, String> roleOf, Duration interval) {
        this.inventory = inventory;
        this.roleOf = roleOf;
        this.intervalNanos = interval.toNanos();
    }

    public LinkMonitor(NicInventory inventory, RoleAssignment roles) {
        this(inventory, name -> roles.roleOf(name).orElse(null), DEFAULT_INTERVAL);
    }

    public void addListener(Consumer<LinkEvent> listener) {
        listeners.add(listener);
    }

    /** Polls if the interval has passed since the last poll; call it often (a tick loop). */
    public void tick(long nowNanos) {
        if (!first && nowNanos - lastPoll < intervalNanos) {
            return;
        }
        lastPoll = nowNanos;
        poll();
    }

    /** Scans now and publishes what changed. */
    public void poll() {
        Map<String, NicState> now = new HashMap<>();
        for (NicState s : inventory.scan()) {
            now.put(s.name(), s);
            NicState before = last.get(s.name());
            if (first || before == null || before.linkUp() != s.linkUp() || before.speedMbps() != s.speedMbps()) {
                publish(new LinkEvent(s.name(), roleOf.apply(s.name()), s.linkUp(), s));
            }
        }
        for (String name : last.keySet()) {
            if (!now.containsKey(name)) {
                publish(new LinkEvent(name, roleOf.apply(name), false, null));
            }
        }
        last.keySet().retainAll(now.keySet());
        last.putAll(now);
        first = false;
    }

    public NicState state(String name) {
        return last.get(name);
    }

    private void publish(LinkEvent e) {
        if (e.role() != null) {
            Logger.info("Link {} ({}) is {}{}", e.nic(), e.role(), e.gone() ? "gone" : e.up() ? "up" : "down",
                    e.up() && e.state().speedMbps() > 0 ? " at " + e.state().speedMbps() + " Mb/s" : "");
        }
        for (Consumer<LinkEvent> l : listeners) {
            try {
                l.accept(e);
            } catch (RuntimeException ex) {
                Logger.error(ex, "Link listener failed on {}", e);
            }
        }
    }
}
