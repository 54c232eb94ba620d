package io.tunnelbox.update;

import java.util.Optional;

/**
 * One thing a new firmware must show after an update before it is kept: "engine up",
 * "configuration applied", "tunnels back", and, from front ends found with
 * {@link java.util.ServiceLoader} (the web UI provides one), "web page answering".
 */
public interface HealthProbe {
    /** Short name for reports, e.g. "engine". */
    String name();

    /** Empty when healthy, else why not (one line). Called about once a second from one thread. */
    Optional<String> problem();
}
