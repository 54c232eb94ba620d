package io.tunnelbox.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What start-up found on disk. Anything but {@link Status#LOADED} and {@link Status#FIRST_BOOT} means
 * the stored file was unusable: the box runs an older version (or factory defaults), the bad file is
 * kept as {@code badFile}, and the application should say so loudly (log, LED blink code).
 */
public record LoadResult(Status status, Config config, int version, List<ConfigError> problems, Optional<Path> badFile) {
    public enum Status {
        /** The stored configuration loaded and validated. */
        LOADED,
        /** Nothing stored yet: factory defaults, stored as version 1. */
        FIRST_BOOT,
        /** The stored file was corrupt or invalid: the newest good version from history runs. */
        FELL_BACK,
        /** The stored file was unusable and no good version was left: factory defaults run. */
        FACTORY_DEFAULTS,
        /** The storage itself failed (unreadable, read-only, full): the best config found runs from memory. */
        STORAGE_FAILED
    }

    public LoadResult {
        problems = List.copyOf(problems);
    }

    public boolean fellBack() {
        return status == Status.FELL_BACK || status == Status.FACTORY_DEFAULTS || status == Status.STORAGE_FAILED;
    }
}
