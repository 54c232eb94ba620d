package io.tunnelbox.config;

/** The embedded web UI. */
public record WebConfig(int port, boolean tls) {
    public static final WebConfig DEFAULT = new WebConfig(443, true);
}
