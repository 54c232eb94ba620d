package io.tunnelbox.hal.board;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Picks the board from {@code /proc/device-tree/model} (the kernel's copy of the device tree's
 * model string, NUL-terminated), unless an override names a board id (configuration,
 * {@code --board}, or {@code TUNNELBOX_BOARD}).
 */
public final class BoardDetector {
    public static final Path DEVICE_TREE_MODEL = Path.of("/proc/device-tree/model");

    private final BoardCatalog catalog;
    private final Path modelFile;

    public BoardDetector(BoardCatalog catalog, Path modelFile) {
        this.catalog = catalog;
        this.modelFile = modelFile;
    }

    /** The override from the system property {@code tunnelbox.board} or else {@code $TUNNELBOX_BOARD}. */
    public static Optional<String> overrideFromEnvironment() {
        String p = System.getProperty("tunnelbox.board");
        if (p != null && !p.isBlank()) {
            return Optional.of(p.strip());
        }
        String e = System.getenv("TUNNELBOX_BOARD");
        return e == null || e.isBlank() ? Optional.empty() : Optional.of(e.strip());
    }

    public BoardDetection detect(Optional<String> override) {
        if (override.isPresent() && !override.get().isBlank()) {
            String id = override.get().strip();
            return catalog.byId(id)
                    .map(b -> BoardDetection.found(b, "board \"" + id + "\" chosen by override"))
                    .orElseGet(() -> BoardDetection.unknown("Unknown board \"" + id + "\" given as override.\n"
                            + knownAndHowToAdd(null)));
        }
        String model;
        try {
            model = readModel(modelFile);
        } catch (IOException e) {
            return BoardDetection.unknown("Cannot read the board model from " + modelFile + " (" + e.getMessage()
                    + "): not a device-tree system?\n" + knownAndHowToAdd(null));
        }
        String m = model;
        return catalog.byModel(model)
                .map(b -> BoardDetection.found(b, "board \"" + b.id() + "\" detected from model \"" + m + "\""))
                .orElseGet(() -> BoardDetection.unknown("Unknown board: " + modelFile + " says \"" + m + "\".\n"
                        + knownAndHowToAdd(m)));
    }

    static String readModel(Path file) throws IOException {
        String s = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        int nul = s.indexOf('\0');
        return (nul >= 0 ? s.substring(0, nul) : s).strip();
    }

    private String knownAndHowToAdd(String model) {
        StringBuilder s = new StringBuilder("Known boards:\n");
        for (BoardConfig b : catalog.all()) {
            s.append("  ").append(b.id()).append(" - ").append(b.name());
            if (!b.models().isEmpty()) {
                s.append(" (model \"").append(String.join("\" or \"", b.models())).append("\")");
            }
            s.append('\n');
        }
        s.append("To use one of them anyway, set the override (TUNNELBOX_BOARD=<id> or --board <id>).\n")
                .append("To add this board: copy a similar file from board-configs/ to ")
                .append(BoardCatalog.LOCAL_DIR).append("/<id>.json, set \"id\" to <id> and \"models\" to ")
                .append(model == null ? "the board's model string" : "[\"" + model + "\"]")
                .append(", describe its NICs, LEDs, console and watchdog (board-configs/README.md), and restart.");
        return s.toString();
    }
}
