package io.tunnelbox.config;

import java.util.List;

/**
 * The configuration as it may be shown: every secret replaced by {@link #HIDDEN}. Every front end
 * (console, control socket, web UI) shows the redacted copy, so none can leak a password hash or
 * the metrics token. GRE keys stay: they tell tunnels apart (RFC 2890) and authenticate nothing.
 */
public final class ConfigRedaction {
    /** What a front end shows in place of a secret. */
    public static final String HIDDEN = "<hidden>";

    private ConfigRedaction() {
    }

    /** A copy of {@code config} whose password hashes and metrics token read {@link #HIDDEN}. */
    public static Config redact(Config config) {
        List<AdminAccount> admins = config.system().admins().stream()
                .map(a -> new AdminAccount(a.name(), HIDDEN))
                .toList();
        WebConfig w = config.web();
        WebConfig web = new WebConfig(w.port(), w.tls(), w.listen(), w.httpPort(),
                w.metricsToken().isEmpty() ? "" : HIDDEN);
        return config.withSystem(new SystemConfig(config.system().hostname(), admins)).withWeb(web);
    }

    /** True for a field name that holds a secret in the file format. */
    public static boolean isSecret(String field) {
        return field.equals("passwordHash") || field.equals("metricsToken");
    }
}
