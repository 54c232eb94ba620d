package io.tunnelbox.hal.board;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.tinylog.Logger;

/**
 * The boards this firmware knows: the files shipped in the HAL jar (listed in
 * {@code board-configs/index.txt}, since a jar cannot be listed portably) plus any {@code *.json}
 * in a local directory such as {@code /etc/tunnelbox/boards}, which win over shipped ones of the same id.
 */
public final class BoardCatalog {
    public static final String RESOURCE_DIR = "board-configs/";
    public static final String INDEX = RESOURCE_DIR + "index.txt";
    public static final Path LOCAL_DIR = Path.of("/etc/tunnelbox/boards");

    private final Map<String, BoardConfig> boards;
    private final List<BoardFileResult> rejected;

    private BoardCatalog(Map<String, BoardConfig> boards, List<BoardFileResult> rejected) {
        this.boards = boards;
        this.rejected = List.copyOf(rejected);
    }

    private static volatile BoardCatalog shipped;

    /** The shipped boards (read once). A shipped file that does not validate is a build defect: it throws. */
    public static BoardCatalog shipped() {
        BoardCatalog c = shipped;
        if (c == null) {
            c = readShipped();
            shipped = c;
        }
        return c;
    }

    private static BoardCatalog readShipped() {
        Map<String, BoardConfig> boards = new LinkedHashMap<>();
        for (String name : shippedFileNames()) {
            BoardFileResult r = BoardFileReader.read(name, resource(RESOURCE_DIR + name));
            if (!r.ok()) {
                throw new IllegalStateException("shipped board file " + name + " is invalid:\n" + r.report());
            }
            boards.put(r.board().orElseThrow().id(), r.board().orElseThrow());
        }
        return new BoardCatalog(boards, List.of());
    }

    /** Shipped boards plus the valid files of {@code localDir} (if it exists); invalid local files are reported, not fatal. */
    public static BoardCatalog withLocal(Path localDir) {
        Map<String, BoardConfig> boards = new LinkedHashMap<>(shipped().boards);
        List<BoardFileResult> rejected = new ArrayList<>();
        if (Files.isDirectory(localDir)) {
            try (Stream<Path> files = Files.list(localDir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                    BoardFileResult r = BoardFileReader.read(f.toString(), Files.readString(f));
                    if (r.ok()) {
                        boards.put(r.board().orElseThrow().id(), r.board().orElseThrow());
                    } else {
                        Logger.warn("Ignoring board file {}:\n{}", f, r.report());
                        rejected.add(r);
                    }
                }
            } catch (IOException e) {
                Logger.warn("Cannot read board directory {}: {}", localDir, e.getMessage());
            }
        }
        return new BoardCatalog(boards, rejected);
    }

    public static List<String> shippedFileNames() {
        return resource(INDEX).lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    private static String resource(String name) {
        try (InputStream in = BoardCatalog.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " (the HAL jar packages board-configs/)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<BoardConfig> all() {
        return List.copyOf(boards.values());
    }

    /**
     * The board {@code id}, or {@code id:revision} for one of its revisions (a revision the box
     * cannot tell apart by itself, such as {@code nanopi-r5s:lts}, is chosen this way).
     */
    public Optional<BoardConfig> byId(String id) {
        int colon = id.indexOf(':');
        if (colon < 0) {
            return Optional.ofNullable(boards.get(id));
        }
        String revision = id.substring(colon + 1);
        return Optional.ofNullable(boards.get(id.substring(0, colon)))
                .flatMap(b -> b.revisionById(revision).map(b::withRevision));
    }

    /** The board whose model prefix is the longest match for {@code model}. */
    public Optional<BoardConfig> byModel(String model) {
        BoardConfig best = null;
        int bestLength = -1;
        for (BoardConfig b : boards.values()) {
            for (String prefix : b.models()) {
                if (model.startsWith(prefix) && prefix.length() > bestLength) {
                    best = b;
                    bestLength = prefix.length();
                }
            }
        }
        return Optional.ofNullable(best);
    }

    public List<BoardFileResult> rejected() {
        return rejected;
    }
}
