package io.tunnelbox.hal.board;

import java.util.List;
import java.util.Optional;

/** A board file read: the board when it is valid, otherwise every error found (not just the first). */
public record BoardFileResult(String file, Optional<BoardConfig> board, List<BoardFileError> errors) {
    public BoardFileResult {
        errors = List.copyOf(errors);
    }

    public boolean ok() {
        return errors.isEmpty() && board.isPresent();
    }

    /** The errors one per line, for logs and exceptions. */
    public String report() {
        StringBuilder s = new StringBuilder();
        for (BoardFileError e : errors) {
            s.append(e).append('\n');
        }
        return s.toString();
    }
}
