package io.tunnelbox.web.api;

import io.tunnelbox.console.DeviceView;
import io.tunnelbox.web.http.Router;

/**
 * {@code /metrics} in the Prometheus text format, built at each scrape from the same snapshots the
 * console shows; behind the configuration's bearer token so a fleet's Prometheus can scrape every box.
 * The Prometheus client's classes load on the first scrape ({@link PrometheusScrape}), not with the
 * page: a box nobody scrapes does not keep them.
 */
public final class MetricsApi {
    private final DeviceView device;

    public MetricsApi(DeviceView device) {
        this.device = device;
    }

    public void register(Router r) {
        r.add("GET", "/metrics", Router.Access.METRICS_TOKEN, req -> PrometheusScrape.answer(device));
    }
}
