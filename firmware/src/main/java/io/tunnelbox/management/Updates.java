package io.tunnelbox.management;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The box's firmware updates as a front end sees them (the web UI's {@code POST /api/update}):
 * install a signed bundle into the inactive slot and restart into it, and say where the box stands.
 * The box's {@code io.tunnelbox.update.UpdateAgent} does the work; the console and the control
 * socket reach the same agent.
 */
public interface Updates {
    /** What became of an update request. */
    enum Outcome {
        /** Installed into the inactive slot; the box restarts into it on trial. */
        ACCEPTED,
        /** Refused (bad signature or hash, wrong configuration format, no slots): nothing changed. */
        REFUSED,
        /** Another update is being installed, is on trial, or the box is restarting: try later. */
        BUSY
    }

    /** The outcome and the lines the console would print for it. */
    record Result(Outcome outcome, List<String> lines) {
        public Result {
            lines = List.copyOf(lines);
        }
    }

    /** Why an update cannot start now; empty when one can. Cheap: asked before an upload is read. */
    Optional<String> busy();

    /** Checks and installs {@code bundle} (the caller keeps and removes the file). */
    Result install(Path bundle);

    /** {@code {"state": "running"|"trial", "version", "slot", "activeSlot", "lastResult"}}. */
    String statusJson();

    /** False where the box has no update agent at all (tests, tools): then every call refuses. */
    default boolean available() {
        return true;
    }

    /** A box (or test) without updates. */
    Updates NONE = new Updates() {
        @Override
        public boolean available() {
            return false;
        }

        @Override
        public Optional<String> busy() {
            return Optional.empty();
        }

        @Override
        public Result install(Path bundle) {
            return new Result(Outcome.REFUSED, List.of("error: update refused: this box does not update itself"));
        }

        @Override
        public String statusJson() {
            return "{\"state\":\"unavailable\",\"version\":\"\",\"slot\":\"\",\"activeSlot\":\"\",\"lastResult\":\"this box does not update itself\"}";
        }
    };
}
