package io.tunnelbox.config;

/** GRE keepalives: every {@code intervalSeconds}; the tunnel is down after {@code retries} missed. */
public record Keepalive(int intervalSeconds, int retries) {
    public static final Keepalive OFF = new Keepalive(0, 3);

    public boolean enabled() {
        return intervalSeconds > 0;
    }
}
