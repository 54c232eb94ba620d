package io.tunnelbox.web.api;

import io.tunnelbox.config.ConfigService;
import io.tunnelbox.console.DeviceView;
import io.tunnelbox.console.LogRing;
import io.tunnelbox.web.http.Request;
import io.tunnelbox.web.http.Response;
import io.tunnelbox.web.http.Router;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Live state: the console's typed snapshots ({@link DeviceView}'s records) serialised as they are,
 * so a field added to a record shows up here without a change, and nothing is parsed from text.
 */
public final class StateApi {
    private final DeviceView device;
    private final ConfigService config;
    private final LogRing log;
    private final ConfigApi configApi;

    public StateApi(DeviceView device, ConfigService config, LogRing log, ConfigApi configApi) {
        this.device = device;
        this.config = config;
        this.log = log;
        this.configApi = configApi;
    }

    public void register(Router r) {
        r.add("GET", "/api/state", Router.Access.SESSION, this::state);
        r.add("GET", "/api/state/mac", Router.Access.SESSION, req -> Response.json(Map.of("mac", device.macTable())));
        r.add("GET", "/api/state/ipsec", Router.Access.SESSION, req -> Response.json(Map.of("ipsec", device.ipsec())));
        r.add("GET", "/api/state/flows", Router.Access.SESSION, req -> Response.json(Map.of("flows", device.flows())));
        r.add("GET", "/api/log", Router.Access.SESSION, req -> Response.json(
                Map.of("lines", log.last(req.intParam("lines", 200, 1, log.capacity())))));
        r.add("POST", "/api/counters/clear", Router.Access.SESSION, 4096, this::clear);
    }

    private Response state(Request req) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", device.version());
        m.put("configVersion", config.runningVersion());
        m.put("pending", configApi.pending());
        m.put("interfaces", device.interfaces());
        m.put("tunnels", device.tunnels());
        m.put("segments", device.segments());
        m.put("routes", device.routes());
        m.put("ipsec", device.ipsec());
        m.put("counters", device.counters());
        return Response.json(m);
    }

    private Response clear(Request req) {
        device.clearCounters();
        org.tinylog.Logger.info("web: counters cleared by {}", req.user());
        return Response.json(Map.of("cleared", true));
    }
}
