package io.tunnelbox.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Uncommitted candidates of sessions that ended without {@code exit} (idle logout, Ctrl-D, cable
 * pulled), kept in memory per admin so the next login gets them back instead of losing them
 * silently. Not stored on disk: a restart drops them, as it drops any session.
 */
public final class CandidateStash {
    /** A kept candidate and the running version it was made from. */
    record Kept(ObjectNode candidate, int baseVersion) {
    }

    private final ConcurrentHashMap<String, Kept> byAdmin = new ConcurrentHashMap<>();

    void keep(String admin, ObjectNode candidate, int baseVersion) {
        byAdmin.put(admin, new Kept(candidate.deepCopy(), baseVersion));
    }

    Optional<Kept> take(String admin) {
        return Optional.ofNullable(byAdmin.remove(admin));
    }
}
