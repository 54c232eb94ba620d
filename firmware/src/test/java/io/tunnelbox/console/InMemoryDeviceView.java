package io.tunnelbox.console;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A {@link DeviceView} over lists the caller fills: for tests and for a box without an engine yet. */
public final class InMemoryDeviceView implements DeviceView {
    private volatile VersionInfo version = new VersionInfo("0.1.0-SNAPSHOT", "sim", "tunnelbox", Duration.ZERO);
    private final List<InterfaceStatus> interfaces = new ArrayList<>();
    private final List<TunnelStatus> tunnels = new ArrayList<>();
    private final List<SegmentStatus> segments = new ArrayList<>();
    private final List<MacEntry> macs = new ArrayList<>();
    private final List<String> flows = new ArrayList<>();
    private final List<RouteEntry> routes = new ArrayList<>();
    private final Map<String, Long> counters = new TreeMap<>();

    public InMemoryDeviceView version(VersionInfo v) {
        this.version = v;
        return this;
    }

    public synchronized InMemoryDeviceView add(InterfaceStatus s) {
        interfaces.add(s);
        return this;
    }

    public synchronized InMemoryDeviceView add(TunnelStatus s) {
        tunnels.add(s);
        return this;
    }

    public synchronized InMemoryDeviceView add(SegmentStatus s) {
        segments.add(s);
        return this;
    }

    public synchronized InMemoryDeviceView add(MacEntry e) {
        macs.add(e);
        return this;
    }

    public synchronized InMemoryDeviceView add(RouteEntry e) {
        routes.add(e);
        return this;
    }

    public synchronized InMemoryDeviceView flow(String line) {
        flows.add(line);
        return this;
    }

    public synchronized InMemoryDeviceView count(String name, long delta) {
        counters.merge(name, delta, Long::sum);
        return this;
    }

    @Override
    public VersionInfo version() {
        return version;
    }

    @Override
    public synchronized List<InterfaceStatus> interfaces() {
        return List.copyOf(interfaces);
    }

    @Override
    public synchronized List<TunnelStatus> tunnels() {
        return List.copyOf(tunnels);
    }

    @Override
    public synchronized List<SegmentStatus> segments() {
        return List.copyOf(segments);
    }

    @Override
    public synchronized List<MacEntry> macTable() {
        return List.copyOf(macs);
    }

    @Override
    public synchronized List<String> flows() {
        return List.copyOf(flows);
    }

    @Override
    public synchronized List<RouteEntry> routes() {
        return List.copyOf(routes);
    }

    @Override
    public synchronized Map<String, Long> counters() {
        return new TreeMap<>(counters);
    }

    @Override
    public synchronized void clearCounters() {
        counters.replaceAll((k, v) -> 0L);
        tunnels.replaceAll(t -> new TunnelStatus(t.name(), t.local(), t.remote(), t.state(), t.mtu(), 0, 0, 0, 0, 0,
                t.reason(), t.sinceEpochMillis(), t.ageSeconds(), t.keepalive(), t.detail()));
        segments.replaceAll(s -> new SegmentStatus(s.name(), s.transport(), s.id(), s.vlan(), s.flood(), s.macs(), 0, 0,
                0, 0, 0, 0, 0, 0, s.fragmentOuter()));
        interfaces.replaceAll(i -> new InterfaceStatus(i.role(), i.nic(), i.up(), i.mac(), i.address(), i.mtu(), 0, 0, 0, 0, 0));
        routes.replaceAll(r -> new RouteEntry(r.prefix(), r.via(), 0, r.active(), r.note()));
    }
}
