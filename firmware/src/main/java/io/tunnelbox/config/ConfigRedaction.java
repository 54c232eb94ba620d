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

    /** A copy of {@code config} whose password hashes, metrics token and IPsec keys read {@link #HIDDEN}. */
    public static Config redact(Config config) {
        List<AdminAccount> admins = config.system().admins().stream()
                .map(a -> new AdminAccount(a.name(), HIDDEN))
                .toList();
        WebConfig w = config.web();
        WebConfig web = new WebConfig(w.port(), w.tls(), w.listen(), w.httpPort(),
                w.metricsToken().isEmpty() ? "" : HIDDEN);
        List<TunnelConfig> tunnels = config.tunnels().stream().map(t -> new TunnelConfig(t.name(), t.local(),
                t.remote(), t.ikey(), t.okey(), t.sequence(), t.checksum(), t.ttl(), t.tos(), t.df(), t.mtu(),
                t.keepalive(), t.mssClamp(), EncryptionConfig.redact(t.encryption()), t.remoteName())).toList();
        List<SegmentConfig> segments = config.segments().stream().map(s -> new SegmentConfig(s.name(),
                s.transport(), s.id(), s.vlan(), s.flood(), s.ageingSeconds(), s.macLimit(), s.udpPort(), s.allow(),
                s.macMove(), s.fragment(), EncryptionConfig.redact(s.encryption()))).toList();
        Config c = config.withSystem(new SystemConfig(config.system().hostname(), admins)).withWeb(web);
        return new Config(c.system(), c.interfaces(), tunnels, segments, c.routes(), c.web(), c.console(),
                c.firewall());
    }

    /** True for a field name that holds a secret in the file format. */
    public static boolean isSecret(String field) {
        return field.equals("passwordHash") || field.equals("metricsToken") || field.equals("psk");
    }
}
