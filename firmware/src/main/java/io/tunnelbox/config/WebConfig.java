package io.tunnelbox.config;

/**
 * The embedded web UI.
 *
 * @param port         the page's port (HTTPS when {@code tls})
 * @param tls          HTTPS with the box's own certificate; false serves the page over plain HTTP
 * @param listen       where it listens: {@code "lan"} (the LAN's static address, the default, so
 *                     the page is never offered on the WAN), {@code "all"}, or one IPv4 address
 * @param httpPort     a plain-HTTP port that only redirects to the page (0: none); only with tls
 * @param metricsToken the bearer token Prometheus presents for {@code /metrics} ("" keeps it off);
 *                     a secret: redacted wherever configurations are shown
 */
public record WebConfig(int port, boolean tls, String listen, int httpPort, String metricsToken) {
    public static final String LISTEN_LAN = "lan";
    public static final String LISTEN_ALL = "all";
    public static final WebConfig DEFAULT = new WebConfig(443, true, LISTEN_LAN, 80, "");

    public WebConfig(int port, boolean tls) {
        this(port, tls, DEFAULT.listen(), DEFAULT.httpPort(), DEFAULT.metricsToken());
    }
}
