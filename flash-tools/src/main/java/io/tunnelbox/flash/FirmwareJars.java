package io.tunnelbox.flash;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The runtime jars of a box: the firmware's build output (its jar and lib/), plus front ends such as the web UI. */
final class FirmwareJars {
    private FirmwareJars() {
    }

    /** web-ui/target when it has been built (its jar and lib/), so bundles and packages carry the web page. */
    static List<Path> webUi(Path sourceRoot) throws IOException {
        Path t = sourceRoot.resolve("web-ui/target");
        if (!Files.isDirectory(t)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(t)) {
            return s.anyMatch(FirmwareJars::runtimeJar) ? List.of(t) : List.of();
        }
    }

    /** Jars by file name, the first of each name winning (the web UI's lib/ repeats the firmware's). */
    static List<Path> collect(Path firmware, List<Path> extra) throws IOException {
        Map<String, Path> jars = new LinkedHashMap<>();
        addFrom(jars, firmware);
        for (Path p : extra) {
            addFrom(jars, p);
        }
        return new ArrayList<>(jars.values());
    }

    private static void addFrom(Map<String, Path> jars, Path p) throws IOException {
        if (Files.isRegularFile(p) && p.toString().endsWith(".jar")) {
            jars.putIfAbsent(p.getFileName().toString(), p);
            return;
        }
        if (!Files.isDirectory(p)) {
            throw new FlashException(p + " is neither a jar nor a folder (build first: mvn -DskipTests package)");
        }
        int found = 0;
        for (Path dir : List.of(p, p.resolve("lib"))) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> s = Files.list(dir)) {
                for (Path j : s.filter(FirmwareJars::runtimeJar).sorted().toList()) {
                    jars.putIfAbsent(j.getFileName().toString(), j);
                    found++;
                }
            }
        }
        if (found == 0) {
            throw new FlashException("no jars in " + p + " (build first: mvn -DskipTests package)");
        }
    }

    static boolean runtimeJar(Path j) {
        String n = j.getFileName().toString();
        return n.endsWith(".jar") && !n.endsWith("-tests.jar") && !n.endsWith("-sources.jar") && Files.isRegularFile(j);
    }
}
