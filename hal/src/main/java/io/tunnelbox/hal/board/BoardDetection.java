package io.tunnelbox.hal.board;

import java.util.Optional;

/** The outcome of board detection: the board and how it was chosen, or a message for a person. */
public record BoardDetection(Optional<BoardConfig> board, String message) {
    public static BoardDetection found(BoardConfig board, String how) {
        return new BoardDetection(Optional.of(board), how);
    }

    public static BoardDetection unknown(String message) {
        return new BoardDetection(Optional.empty(), message);
    }
}
