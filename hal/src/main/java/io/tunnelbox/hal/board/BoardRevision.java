package io.tunnelbox.hal.board;

import java.util.List;
import java.util.Optional;

/**
 * A revision of a board that the same board file covers (NanoPi R4SE next to the R4S, R5S LTS next
 * to the R5S). The box tells it apart by {@code models}, longer prefixes of
 * {@code /proc/device-tree/model} than the board's own; a revision with no models has the same model
 * string as the base board, so only the owner can name it (override {@code <board>:<revision>}).
 * {@code deviceTreeNode}, when given, must exist under {@code /proc/device-tree} for the revision to
 * apply (the kernel describes the hardware the revision adds). A revision may replace the base
 * board's {@code resetButton}; everything else is the base board's.
 */
public record BoardRevision(String id, String name, List<String> models, Optional<String> deviceTreeNode,
                            Optional<ButtonSpec> resetButton) {
    public BoardRevision {
        models = List.copyOf(models);
    }

    /** Told apart from the base board by the model string alone. */
    public boolean detectable() {
        return !models.isEmpty();
    }

    /** The length of the longest of {@code models} that {@code model} starts with, or -1. */
    int matchLength(String model) {
        int best = -1;
        for (String prefix : models) {
            if (model.startsWith(prefix) && prefix.length() > best) {
                best = prefix.length();
            }
        }
        return best;
    }
}
