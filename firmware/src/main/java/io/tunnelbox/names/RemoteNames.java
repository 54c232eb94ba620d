package io.tunnelbox.names;

import io.tunnelbox.hal.time.Clock;
import io.tunnelbox.packet.Ipv4Address;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tinylog.Logger;

/**
 * The peers a configuration names by DNS, each resolved when it first appears and again every
 * period (60 s by default), as routers do for peers behind dynamic addresses. A failed lookup is
 * tried again sooner (2 s, doubling up to the period) and keeps the last address it had: a DNS
 * server that is away for a minute must not take a working tunnel down. Lookups may block, so they
 * run on this class's own thread, never on a datapath's; whoever runs the peers reads
 * {@link #addresses()} and is told of each change through the listener. One log line per change.
 */
public final class RemoteNames implements AutoCloseable {
    public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(60);
    /** The first retry after a failure; each further one waits twice as long, up to the period. */
    static final long FIRST_RETRY_MILLIS = 2000;

    private final NameResolver resolver;
    private final Clock clock;
    private final long periodMillis;
    private final Map<String, Entry> entries = new HashMap<>();
    private Runnable listener = () -> { };
    private Thread thread;
    private boolean closed;

    /** What is known of one name. */
    private static final class Entry {
        int address;
        String problem;
        long dueNanos;
        int failures;
    }

    public RemoteNames(NameResolver resolver, Clock clock, Duration period) {
        this.resolver = resolver;
        this.clock = clock;
        this.periodMillis = Math.max(1, period.toMillis());
    }

    /**
     * Turns the JDK's own address cache off (30 s for answers, 10 s for failures by default): this
     * class caches for its period and retries failures on its own schedule, and a second cache
     * would only delay both. Takes effect only before the JVM's first lookup, so the box calls it
     * at start.
     */
    public static void replaceJdkCache() {
        java.security.Security.setProperty("networkaddress.cache.ttl", "0");
        java.security.Security.setProperty("networkaddress.cache.negative.ttl", "0");
    }

    /** The period from {@code -Dtunnelbox.dns.period} (seconds; the lab shortens it), else 60 s. */
    public static Duration configuredPeriod() {
        String s = System.getProperty("tunnelbox.dns.period");
        try {
            return s == null ? DEFAULT_PERIOD : Duration.ofSeconds(Math.max(1, Long.parseLong(s.strip())));
        } catch (NumberFormatException e) {
            Logger.warn("tunnelbox.dns.period \"{}\" is not a number of seconds; using {} s", s, DEFAULT_PERIOD.toSeconds());
            return DEFAULT_PERIOD;
        }
    }

    /** Called (on the resolver's thread) after a name's address changed; must not block for long. */
    public synchronized void onChange(Runnable listener) {
        this.listener = listener;
    }

    /** The names to follow from now on: new ones are looked up at once, ones no longer listed are forgotten. */
    public synchronized void track(Collection<String> names) {
        Set<String> wanted = new HashSet<>(names);
        entries.keySet().retainAll(wanted);
        boolean added = false;
        for (String n : wanted) {
            if (!entries.containsKey(n)) {
                Entry e = new Entry();
                e.dueNanos = clock.nanoTime();
                entries.put(n, e);
                added = true;
            }
        }
        if (added) {
            notifyAll();
        }
    }

    /** Every name that has an address now, and that address. */
    public synchronized Map<String, Integer> addresses() {
        Map<String, Integer> out = new HashMap<>();
        entries.forEach((n, e) -> {
            if (e.address != 0) {
                out.put(n, e.address);
            }
        });
        return out;
    }

    /** Why the name has no address (or its last lookup failed), or null. */
    public synchronized String problem(String name) {
        Entry e = entries.get(name);
        return e == null ? null : e.problem;
    }

    /**
     * Looks up every name that is due (on the caller's thread; {@link #start()} calls it from its
     * own) and returns whether an address changed.
     */
    public boolean refresh() {
        List<String> due = new ArrayList<>();
        synchronized (this) {
            long now = clock.nanoTime();
            entries.forEach((n, e) -> {
                if (now - e.dueNanos >= 0) {
                    due.add(n);
                }
            });
        }
        boolean changed = false;
        for (String name : due) {
            List<Integer> found;
            String problem = null;
            try {
                List<Integer> answer = resolver.ipv4(name);
                found = usable(answer);
                if (answer.isEmpty()) {
                    problem = "no IPv4 address";
                } else if (found.isEmpty()) {
                    problem = "no usable IPv4 address (" + Ipv4Address.format(answer.getFirst()) + " is not a unicast address)";
                }
            } catch (IOException | RuntimeException e) {
                found = List.of();
                problem = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            }
            changed |= record(name, found, problem);
        }
        if (changed) {
            Runnable l;
            synchronized (this) {
                l = listener;
            }
            l.run();
        }
        return changed;
    }

    /**
     * The answer's unicast addresses: a DNS server or hosts file that gives loopback, 0/8,
     * multicast or broadcast must not make the box send its tunnels there (a literal remote like
     * that is refused by the configuration's checks).
     */
    private static List<Integer> usable(List<Integer> answer) {
        List<Integer> out = new ArrayList<>(answer.size());
        for (int a : answer) {
            if (Ipv4Address.isUnicast(a)) {
                out.add(a);
            }
        }
        return out;
    }

    private synchronized boolean record(String name, List<Integer> found, String problem) {
        Entry e = entries.get(name);
        if (e == null) {
            return false; // forgotten while it was looked up
        }
        long now = clock.nanoTime();
        if (problem != null) {
            e.failures++;
            long retry = Math.min(periodMillis, FIRST_RETRY_MILLIS << Math.min(e.failures - 1, 20));
            e.dueNanos = now + retry * 1_000_000L;
            if (e.problem == null) {
                if (e.address != 0) {
                    Logger.warn("remote {}: lookup failed ({}); keeping {}", name, problem, Ipv4Address.format(e.address));
                } else {
                    Logger.warn("remote {}: no address ({}); its tunnels wait for DNS", name, problem);
                }
            }
            e.problem = problem;
            return false;
        }
        e.failures = 0;
        e.problem = null;
        e.dueNanos = now + periodMillis * 1_000_000L;
        // DNS round robin may list the same addresses in another order: keep the one in use if it is still there.
        if (e.address != 0 && found.contains(e.address)) {
            return false;
        }
        int was = e.address;
        e.address = found.getFirst();
        if (was == 0) {
            Logger.info("remote {} resolves to {}", name, Ipv4Address.format(e.address));
        } else {
            Logger.warn("remote {} now resolves to {} (was {}): re-sourcing its tunnels and peers", name,
                    Ipv4Address.format(e.address), Ipv4Address.format(was));
        }
        return true;
    }

    /** Nanoseconds until the next name is due (a period when none is tracked). */
    private synchronized long untilDueNanos() {
        long now = clock.nanoTime();
        long wait = periodMillis * 1_000_000L;
        for (Entry e : entries.values()) {
            wait = Math.min(wait, e.dueNanos - now);
        }
        return Math.max(0, wait);
    }

    /** Starts the resolver's thread (a daemon: lookups that hang must not keep the box from stopping). */
    public synchronized RemoteNames start() {
        if (thread == null) {
            thread = Thread.ofPlatform().daemon().name("dns-remotes").start(this::loop);
        }
        return this;
    }

    private void loop() {
        while (true) {
            synchronized (this) {
                long wait = untilDueNanos();
                while (!closed && wait > 0) {
                    try {
                        wait(Math.max(1, wait / 1_000_000L));
                    } catch (InterruptedException e) {
                        return;
                    }
                    wait = untilDueNanos();
                }
                if (closed) {
                    return;
                }
            }
            try {
                refresh();
            } catch (RuntimeException e) {
                Logger.error(e, "resolving remote names failed");
            }
        }
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            closed = true;
            notifyAll();
            t = thread;
        }
        if (t != null) {
            t.interrupt();
        }
    }
}
