package io.tunnelbox.flash;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The files from {@code flash-tools/src/main/dist} that go into every bundle's {@code dist/} and
 * into the .deb: the launcher, the systemd unit, the service settings and the first-boot
 * configuration. They travel inside the flash tool's jar.
 */
final class Dist {
    static final List<String> FILES = List.of("tunnelbox-launch", "tunnelbox.service", "tunnelbox.env", "initial.json");

    private Dist() {
    }

    static boolean executable(String name) {
        return name.equals("tunnelbox-launch");
    }

    /** Copies the dist files into {@code dir} and returns it. */
    static Path extract(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String name : FILES) {
            try (InputStream in = Dist.class.getResourceAsStream("dist/" + name)) {
                if (in == null) {
                    throw new IOException("the flash tool's jar lacks dist/" + name);
                }
                Path f = dir.resolve(name);
                Files.copy(in, f, StandardCopyOption.REPLACE_EXISTING);
                f.toFile().setExecutable(executable(name), false);
            }
        }
        return dir;
    }

    static String text(String name) throws IOException {
        try (InputStream in = Dist.class.getResourceAsStream("dist/" + name)) {
            if (in == null) {
                throw new IOException("the flash tool's jar lacks dist/" + name);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
