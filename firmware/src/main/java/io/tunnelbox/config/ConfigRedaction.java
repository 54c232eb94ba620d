package io.tunnelbox.config;

/**
 * A configuration fit to show: what every front end (web API, control socket) hands out instead of
 * the running one. Password hashes and the metrics token become {@link #HIDDEN}; GRE keys stay,
 * because they tell tunnels apart (RFC 2890) and authenticate nothing.
 */
public final class ConfigRedaction {
    /** What a secret reads as once redacted. */
    public static final String HIDDEN = "<hidden>";

    private ConfigRedaction() {
    }

    public static Config redact(Config c) {
        var admins = c.system().admins().stream().map(a -> new AdminAccount(a.name(), HIDDEN)).toList();
        WebConfig w = c.web();
        WebConfig web = new WebConfig(w.port(), w.tls(), w.listen(), w.httpPort(), w.metricsToken().isEmpty() ? "" : HIDDEN);
        return new Config(new SystemConfig(c.system().hostname(), admins), c.interfaces(), c.tunnels(), c.segments(),
                c.routes(), web, c.console());
    }
}
