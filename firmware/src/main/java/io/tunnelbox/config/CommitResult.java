package io.tunnelbox.config;

import java.util.List;

/**
 * What a commit, rollback or automatic rollback did: on success the new running version (or the
 * unchanged one when there was nothing to change); on refusal every error and the running version.
 */
public record CommitResult(boolean ok, List<ConfigError> errors, int version, String summary) {
    public CommitResult {
        errors = List.copyOf(errors);
    }

    static CommitResult refused(List<ConfigError> errors, int version, String summary) {
        return new CommitResult(false, errors, version, summary);
    }
}
