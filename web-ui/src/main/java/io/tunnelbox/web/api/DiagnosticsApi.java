package io.tunnelbox.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunnelbox.config.Config;
import io.tunnelbox.config.ConfigService;
import io.tunnelbox.management.Diagnostics;
import io.tunnelbox.packet.Ipv4Address;
import io.tunnelbox.web.http.ApiException;
import io.tunnelbox.web.http.Request;
import io.tunnelbox.web.http.Response;
import io.tunnelbox.web.http.Router;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.tinylog.Logger;

/** Ping from the box and a bounded pcap of one tunnel's or segment's traffic. */
public final class DiagnosticsApi {
    static final int MAX_SECONDS = 60;
    static final long MAX_CAPTURE_BYTES = 8L * 1024 * 1024;
    private final Diagnostics diagnostics;
    private final ConfigService config;
    /** One capture or ping at a time: they hold a thread and a process for seconds. */
    private final Semaphore busy = new Semaphore(1);

    public DiagnosticsApi(Diagnostics diagnostics, ConfigService config) {
        this.diagnostics = diagnostics;
        this.config = config;
    }

    public void register(Router r) {
        r.add("POST", "/api/diag/ping", Router.Access.SESSION, 4096, this::ping);
        r.add("GET", "/api/diag/pcap", Router.Access.SESSION, this::pcap);
    }

    private Response ping(Request req) throws ApiException, IOException {
        JsonNode b = req.json();
        String address = b.path("address").asText("").strip();
        if (!Ipv4Address.isValid(address)) {
            throw new ApiException(422, "\"" + address + "\" is not an IPv4 address", "address");
        }
        int count = b.path("count").asInt(3);
        if (count < 1 || count > 10) {
            throw new ApiException(422, "count must be 1..10", "count");
        }
        acquire();
        try {
            return Response.json(Map.of("lines", diagnostics.ping(address, count)));
        } finally {
            busy.release();
        }
    }

    private Response pcap(Request req) throws ApiException {
        String name = req.param("name").orElse("");
        Config c = config.running();
        if (c.tunnel(name).isEmpty() && c.segment(name).isEmpty()) {
            throw new ApiException(404, "no tunnel or segment named \"" + name + "\"", "name");
        }
        int seconds = req.intParam("seconds", 10, 1, MAX_SECONDS);
        acquire();
        Logger.info("web: {} captures {} for {} s", req.user(), name, seconds);
        return Response.stream("application/vnd.tcpdump.pcap",
                        out -> diagnostics.capture(name, Duration.ofSeconds(seconds), MAX_CAPTURE_BYTES, out))
                .header("Content-Disposition", "attachment; filename=\"" + name + ".pcap\"")
                .whenSent(busy::release);
    }

    private void acquire() throws ApiException {
        if (!diagnostics.available()) {
            throw new ApiException(503, "diagnostics are not available on this box");
        }
        if (!busy.tryAcquire()) {
            throw new ApiException(429, "another ping or capture is running; try again when it is done");
        }
    }
}
