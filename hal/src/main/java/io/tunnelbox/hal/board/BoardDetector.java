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
                    .map(b -> b.revision().isPresent() ? overriddenRevision(b)
                            : BoardDetection.found(b, "board \"" + id + "\" chosen by override"))
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
                .map(b -> detectedRevision(b, m))
                .orElseGet(() -> BoardDetection.unknown("Unknown board: " + modelFile + " says \"" + m + "\".\n"
                        + knownAndHowToAdd(m)));
    }

    /** Where the kernel's copy of the device tree is: the directory holding the model file. */
    private Path deviceTree() {
        Path parent = modelFile.toAbsolutePath().getParent();
        return parent == null ? Path.of("/") : parent;
    }

    private boolean hasNode(BoardRevision r) {
        return r.deviceTreeNode().map(n -> Files.isDirectory(deviceTree().resolve(n))).orElse(true);
    }

    /**
     * The board chosen by its model, as the revision the model names (longest prefix) if its device
     * tree node is there; revisions the model cannot tell apart are mentioned, not chosen.
     */
    private BoardDetection detectedRevision(BoardConfig b, String model) {
        String how = "board \"" + b.id() + "\" detected from model \"" + model + "\"";
        Optional<BoardRevision> byModel = b.revisionForModel(model);
        if (byModel.isPresent()) {
            BoardRevision r = byModel.get();
            if (hasNode(r)) {
                return BoardDetection.found(b.withRevision(r), how + ", revision \"" + r.id() + "\" (" + r.name()
                        + ") by its model string");
            }
            how += "; the model names revision \"" + r.id() + "\" but " + deviceTree().resolve(r.deviceTreeNode()
                    .orElseThrow()) + " is missing, so the base board's settings are used";
        }
        StringBuilder s = new StringBuilder(how);
        for (BoardRevision r : b.revisions()) {
            if (!r.detectable() && hasNode(r)) {
                s.append("; if this is a ").append(r.name()).append(", choose it with the override ")
                        .append(b.id()).append(':').append(r.id()).append(" (its model string is the same, so the box ")
                        .append("cannot tell)");
            }
        }
        return BoardDetection.found(b, s.toString());
    }

    /** An override named a revision: it applies if the kernel describes what it needs. */
    private BoardDetection overriddenRevision(BoardConfig b) {
        BoardRevision r = b.revision().orElseThrow();
        String how = "board \"" + b.id() + "\" revision \"" + r.id() + "\" (" + r.name() + ") chosen by override";
        if (hasNode(r)) {
            return BoardDetection.found(b, how);
        }
        BoardConfig base = catalog.byId(b.id()).orElseThrow();
        return BoardDetection.found(base, how + ", but this kernel's device tree has no " + deviceTree().resolve(
                r.deviceTreeNode().orElseThrow()) + " (a kernel older than the revision's support?): using the base "
                + "board's settings");
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
            for (BoardRevision r : b.revisions()) {
                s.append("; revision ").append(b.id()).append(':').append(r.id()).append(' ').append(r.name())
                        .append(r.detectable() ? " (model \"" + String.join("\" or \"", r.models()) + "\")"
                                : " (override only)");
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
