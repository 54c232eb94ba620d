package io.tunnelbox.app;

import io.tunnelbox.engine.Datapath;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Everything of the {@code sim} board that is not the box's own engines (the box's kernel stand-ins,
 * the peer sites, their hosts) as one datapath, so one thread drives it all. Parts come and go as
 * the box's configuration changes; each second the hosts ping across, so the box has traffic to show.
 */
final class SimWorld implements Datapath {
    /** Background pings every this many ticks (a tick is 100 ms). */
    static final int TRAFFIC_TICKS = 20;

    private final List<Datapath> parts = new CopyOnWriteArrayList<>();
    private final List<Runnable> traffic = new CopyOnWriteArrayList<>();
    private int ticks;

    void add(Datapath d) {
        parts.add(d);
    }

    void remove(Datapath d) {
        parts.remove(d);
    }

    /** Runs {@code r} every {@link #TRAFFIC_TICKS} ticks; returns what stops it. */
    Runnable every(Runnable r) {
        traffic.add(r);
        return () -> traffic.remove(r);
    }

    @Override
    public String name() {
        return "sim";
    }

    @Override
    public int poll() {
        int n = 0;
        for (Datapath d : parts) {
            n += d.poll();
        }
        return n;
    }

    @Override
    public void tick() {
        for (Datapath d : parts) {
            d.tick();
        }
        if (++ticks % TRAFFIC_TICKS == 0) {
            traffic.forEach(Runnable::run);
        }
    }
}
