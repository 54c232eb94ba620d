package io.tunnelbox.hal.nic;

import io.tunnelbox.hal.board.BoardConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.tinylog.Logger;

/**
 * Notices link changes by reading the inventory when told that something changed ({@link #wake},
 * which the board calls on every rtnetlink link event) and, as a safety net, every
 * {@code interval} of clock time: 250 ms while no event source is attached, {@link #EVENT_SAFETY_NET}
 * once one is ({@link #eventDriven()}). On the first poll every interface is published once, so
 * listeners start from the real state.
 *
 * <p>Given the board, it also gives roles again whenever interfaces come or go: a USB NIC that
 * enumerates late at boot, or is plugged in again under another {@code enx} name, gets its role.
 */
public final class LinkMonitor {
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(250);
    /** How often an event-driven monitor looks anyway (in case an event was lost). */
    public static final Duration EVENT_SAFETY_NET = Duration.ofSeconds(10);

    private final NicInventory inventory;
    private final BoardConfig board;
    private volatile long intervalNanos;
    private volatile boolean woken;
    private final List<Consumer<LinkEvent>> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, NicState> last = new ConcurrentHashMap<>(); // read by other threads through state()
    private volatile RoleAssignment roles;
    private long lastPoll;
    private boolean first = true;

    private LinkMonitor(NicInventory inventory, BoardConfig board, RoleAssignment roles, Duration interval) {
        this.inventory = inventory;
        this.board = board;
        this.roles = roles;
        this.intervalNanos = interval.toNanos();
    }

    /** Fixed roles. */
    public LinkMonitor(NicInventory inventory, RoleAssignment roles) {
        this(inventory, null, roles, DEFAULT_INTERVAL);
    }

    /** Roles from the board, given again when the set of interfaces changes. */
    public LinkMonitor(NicInventory inventory, BoardConfig board) {
        this(inventory, board, NicRoles.assign(board, inventory.scan()), DEFAULT_INTERVAL);
    }

    public void addListener(Consumer<LinkEvent> listener) {
        listeners.add(listener);
    }

    /** The current roles (they change when a NIC appears or disappears, if the board was given). */
    public RoleAssignment roles() {
        return roles;
    }

    /** Something changed (an rtnetlink event): the next {@link #tick} reads the inventory. Any thread. */
    public void wake() {
        woken = true;
    }

    /** Events arrive from now on ({@link #wake}): polling drops to a slow safety net. */
    public void eventDriven() {
        intervalNanos = EVENT_SAFETY_NET.toNanos();
    }

    /** Polls if woken or if the interval has passed since the last poll; call it often (a tick loop). */
    public void tick(long nowNanos) {
        if (!first && !woken && nowNanos - lastPoll < intervalNanos) {
            return;
        }
        woken = false;
        lastPoll = nowNanos;
        poll();
    }

    /** When {@link #tick} next has work: at once if woken, else when the interval is up. */
    public long nextTickNanos(long nowNanos) {
        return first || woken ? nowNanos : lastPoll + intervalNanos;
    }

    /** Scans now and publishes what changed. */
    public void poll() {
        List<NicState> scan = inventory.scan();
        Map<String, NicState> now = new HashMap<>();
        for (NicState s : scan) {
            now.put(s.name(), s);
        }
        RoleAssignment before = roles;
        if (board != null && !first && !now.keySet().equals(last.keySet())) {
            RoleAssignment after = NicRoles.assign(board, scan);
            if (!names(after).equals(names(before))) {
                Logger.info("Interfaces changed; roles now {}", names(after));
                after.problems().forEach(p -> Logger.warn("Board {}: {}", board.id(), p));
            }
            roles = after;
        }
        for (NicState s : scan) {
            NicState was = last.get(s.name());
            String role = roles.roleOf(s.name()).orElse(null);
            boolean roleChanged = was != null && !Objects.equals(role, before.roleOf(s.name()).orElse(null));
            if (first || was == null || roleChanged || was.linkUp() != s.linkUp() || was.speedMbps() != s.speedMbps()) {
                publish(new LinkEvent(s.name(), role, s.linkUp(), s));
            }
        }
        for (String name : last.keySet()) {
            if (!now.containsKey(name)) {
                publish(new LinkEvent(name, before.roleOf(name).orElse(null), false, null));
            }
        }
        last.keySet().retainAll(now.keySet());
        last.putAll(now);
        first = false;
    }

    private static Map<String, String> names(RoleAssignment r) {
        Map<String, String> m = new HashMap<>();
        r.byRole().forEach((role, nic) -> m.put(role, nic.name()));
        return m;
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
