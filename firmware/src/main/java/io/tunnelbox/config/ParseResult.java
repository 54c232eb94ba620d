package io.tunnelbox.config;

import java.util.List;

/** A parsed and validated configuration, or every error found; {@code config} is null unless ok. */
public record ParseResult(Config config, List<ConfigError> errors) {
    public ParseResult {
        errors = List.copyOf(errors);
        if ((config == null) == errors.isEmpty()) {
            throw new IllegalArgumentException("a result has a config or errors, not both");
        }
    }

    public boolean ok() {
        return errors.isEmpty();
    }

    /** All errors, one per line, as they are shown to people. */
    public String describe() {
        return String.join("\n", errors.stream().map(ConfigError::toString).toList());
    }
}
