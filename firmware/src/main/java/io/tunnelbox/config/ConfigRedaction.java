package io.tunnelbox.config;

import java.util.List;

/**
 * The configuration as it may be shown: every secret replaced by {@link #HIDDEN}. Every front end
 * (console, control socket, web UI) shows the redacted copy, so none can leak a password hash.
 */
public final class ConfigRedaction {
    /** What a front end shows in place of a secret. */
    public static final String HIDDEN = "<hidden>";

    private ConfigRedaction() {
    }

    /** A copy of {@code config} whose admin password hashes read {@link #HIDDEN}; all else unchanged. */
    public static Config redact(Config config) {
        List<AdminAccount> admins = config.system().admins().stream()
                .map(a -> new AdminAccount(a.name(), HIDDEN))
                .toList();
        return config.withSystem(new SystemConfig(config.system().hostname(), admins));
    }

    /** True for a field name that holds a secret in the file format. */
    public static boolean isSecret(String field) {
        return field.equals("passwordHash");
    }
}
