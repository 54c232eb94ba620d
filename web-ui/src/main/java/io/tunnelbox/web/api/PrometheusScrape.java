package io.tunnelbox.web.api;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.tunnelbox.console.DeviceView;
import io.tunnelbox.web.http.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.function.Function;

/** One scrape of {@code /metrics}: the device's snapshots as Prometheus metric families, in the text format. */
final class PrometheusScrape {
    private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();

    private PrometheusScrape() {
    }

    static Response answer(DeviceView device) throws IOException {
        return Response.bytes(WRITER.getContentType(), scrape(device));
    }

    static byte[] scrape(DeviceView device) throws IOException {
        List<DeviceView.TunnelStatus> tunnels = device.tunnels();
        List<DeviceView.SegmentStatus> segments = device.segments();
        List<DeviceView.InterfaceStatus> interfaces = device.interfaces();
        MetricsBuilder b = new MetricsBuilder();
        b.counter("tunnelbox_tunnel_tx_packets", "GRE packets sent into the tunnel", tunnels, "tunnel", DeviceView.TunnelStatus::name, DeviceView.TunnelStatus::txPackets);
        b.counter("tunnelbox_tunnel_rx_packets", "GRE packets received from the tunnel", tunnels, "tunnel", DeviceView.TunnelStatus::name, DeviceView.TunnelStatus::rxPackets);
        b.counter("tunnelbox_tunnel_tx_bytes", "bytes sent into the tunnel", tunnels, "tunnel", DeviceView.TunnelStatus::name, DeviceView.TunnelStatus::txBytes);
        b.counter("tunnelbox_tunnel_rx_bytes", "bytes received from the tunnel", tunnels, "tunnel", DeviceView.TunnelStatus::name, DeviceView.TunnelStatus::rxBytes);
        b.counter("tunnelbox_tunnel_drops", "packets of the tunnel dropped", tunnels, "tunnel", DeviceView.TunnelStatus::name, DeviceView.TunnelStatus::drops);
        b.gauge("tunnelbox_tunnel_up", "1 when the tunnel is up", tunnels, "tunnel", DeviceView.TunnelStatus::name, t -> "up".equals(t.state()) ? 1 : 0);
        b.counter("tunnelbox_segment_tx_packets", "frames sent into the segment's tunnels", segments, "segment", DeviceView.SegmentStatus::name, DeviceView.SegmentStatus::txPackets);
        b.counter("tunnelbox_segment_rx_packets", "frames received from the segment's tunnels", segments, "segment", DeviceView.SegmentStatus::name, DeviceView.SegmentStatus::rxPackets);
        b.gauge("tunnelbox_segment_macs", "MAC addresses learned in the segment", segments, "segment", DeviceView.SegmentStatus::name, DeviceView.SegmentStatus::macs);
        b.counter("tunnelbox_interface_rx_bytes", "bytes received on the NIC", interfaces, "interface", DeviceView.InterfaceStatus::role, DeviceView.InterfaceStatus::rxBytes);
        b.counter("tunnelbox_interface_tx_bytes", "bytes sent on the NIC", interfaces, "interface", DeviceView.InterfaceStatus::role, DeviceView.InterfaceStatus::txBytes);
        b.counter("tunnelbox_interface_drops", "packets dropped on the NIC", interfaces, "interface", DeviceView.InterfaceStatus::role, DeviceView.InterfaceStatus::drops);
        b.gauge("tunnelbox_interface_up", "1 when the NIC's link is up", interfaces, "interface", DeviceView.InterfaceStatus::role, i -> i.up() ? 1 : 0);
        b.counter("tunnelbox_events", "drop and event counters by name (router.drop.<reason>, switch.drop.<reason>, ...)",
                List.copyOf(device.counters().entrySet()), "name", Map.Entry::getKey, Map.Entry::getValue);
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        b.gauge("tunnelbox_jvm_memory_used_bytes", "JVM memory in use", List.of("heap", "nonheap"), "area", a -> a,
                a -> a.equals("heap") ? mem.getHeapMemoryUsage().getUsed() : mem.getNonHeapMemoryUsage().getUsed());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WRITER.write(out, b.build());
        return out.toByteArray();
    }

    /** Snapshot families from lists of records, one data point per record, labelled by its name. */
    private static final class MetricsBuilder {
        private final MetricSnapshots.Builder all = MetricSnapshots.builder();

        <T> void counter(String name, String help, List<T> items, String label, Function<T, String> key, ToDoubleFunction<T> value) {
            CounterSnapshot.Builder c = CounterSnapshot.builder().name(name).help(help);
            items.forEach(t -> c.dataPoint(CounterDataPointSnapshot.builder().labels(Labels.of(label, key.apply(t)))
                    .value(value.applyAsDouble(t)).build()));
            all.metricSnapshot(c.build());
        }

        <T> void gauge(String name, String help, List<T> items, String label, Function<T, String> key, ToDoubleFunction<T> value) {
            GaugeSnapshot.Builder g = GaugeSnapshot.builder().name(name).help(help);
            items.forEach(t -> g.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of(label, key.apply(t)))
                    .value(value.applyAsDouble(t)).build()));
            all.metricSnapshot(g.build());
        }

        MetricSnapshots build() {
            return all.build();
        }
    }
}
