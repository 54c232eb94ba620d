package io.tunnelbox.web;

import io.tunnelbox.update.HealthProbe;
import java.util.Optional;
import java.util.Set;

/**
 * "Web page answering", one of the checks a new firmware must pass after an update before it is
 * kept (found by the box with ServiceLoader: {@code META-INF/services/io.tunnelbox.update.HealthProbe}).
 * A firmware whose page does not start, cannot listen where the configuration says, or does not
 * answer a request over its own TLS is rolled back.
 */
public final class WebHealthProbe implements HealthProbe {
    @Override
    public String name() {
        return "web";
    }

    @Override
    public Optional<String> problem() {
        Set<WebService> running = WebService.running();
        if (running.isEmpty()) {
            return Optional.of("the web page has not started");
        }
        for (WebService w : running) {
            Optional<String> p = w.problem();
            if (p.isPresent()) {
                return p;
            }
        }
        return Optional.empty();
    }
}
