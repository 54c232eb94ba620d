package io.tunnelbox.flash;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the build's outputs are: {@code $TUNNELBOX_ROOT} (set by bin/tunnelbox-flash), else up from the working folder. */
final class SourceTree {
    private SourceTree() {
    }

    static Path root() {
        String env = System.getenv("TUNNELBOX_ROOT");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("board-configs")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new FlashException("cannot find the TunnelBox source tree: run from it, or set TUNNELBOX_ROOT, or give --firmware and --board-configs");
    }
}
