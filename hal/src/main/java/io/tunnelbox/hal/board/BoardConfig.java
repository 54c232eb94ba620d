package io.tunnelbox.hal.board;

import java.util.List;
import java.util.Optional;

/**
 * A validated board file (see board-configs/README.md). {@code models} are prefixes of
 * {@code /proc/device-tree/model}; an empty list means the board is chosen only by override
 * (the {@code sim} board). {@code revisions} are the board's known revisions; {@code revision} is
 * the one this configuration was resolved for ({@link #withRevision}), empty for the base board.
 */
public record BoardConfig(int format, String id, String name, List<String> models, List<String> sources,
                          List<NicRoleSpec> nics, List<LedSpec> leds, ConsoleSpec console,
                          Optional<WatchdogSpec> watchdog, Optional<ButtonSpec> resetButton,
                          List<BoardRevision> revisions, Optional<BoardRevision> revision) {
    public BoardConfig {
        models = List.copyOf(models);
        sources = List.copyOf(sources);
        nics = List.copyOf(nics);
        leds = List.copyOf(leds);
        revisions = List.copyOf(revisions);
    }

    /** A board without revisions. */
    public BoardConfig(int format, String id, String name, List<String> models, List<String> sources,
                       List<NicRoleSpec> nics, List<LedSpec> leds, ConsoleSpec console,
                       Optional<WatchdogSpec> watchdog, Optional<ButtonSpec> resetButton) {
        this(format, id, name, models, sources, nics, leds, console, watchdog, resetButton, List.of(),
                Optional.empty());
    }

    public Optional<LedSpec> led(LedFunction function) {
        return leds.stream().filter(l -> l.function() == function).findFirst();
    }

    public boolean matchesModel(String model) {
        return models.stream().anyMatch(model::startsWith);
    }

    public Optional<BoardRevision> revisionById(String revisionId) {
        return revisions.stream().filter(r -> r.id().equals(revisionId)).findFirst();
    }

    /** The revision whose model prefix is the longest match for {@code model}, if any. */
    public Optional<BoardRevision> revisionForModel(String model) {
        BoardRevision best = null;
        int bestLength = -1;
        for (BoardRevision r : revisions) {
            int length = r.matchLength(model);
            if (length > bestLength) {
                best = r;
                bestLength = length;
            }
        }
        return Optional.ofNullable(best);
    }

    /** This board as {@code r} (one of {@link #revisions}): its reset button if it gives one, the base board's otherwise. */
    public BoardConfig withRevision(BoardRevision r) {
        if (!revisions.contains(r)) {
            throw new IllegalArgumentException("revision " + r.id() + " is not a revision of board " + id);
        }
        return new BoardConfig(format, id, name, models, sources, nics, leds, console, watchdog,
                r.resetButton().isPresent() ? r.resetButton() : resetButton, revisions, Optional.of(r));
    }

    /** {@code nanopi-r5s} or {@code nanopi-r5s:lts}: what an override names to get exactly this configuration. */
    public String qualifiedId() {
        return revision.map(r -> id + ":" + r.id()).orElse(id);
    }
}
