package io.tunnelbox.flash;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A trimmed Java runtime made with the given JDK's {@code jlink}, so a box needs no Java package
 * (Debian 12 and Raspberry Pi OS have no Java 25). The JDK decides the architecture: use an arm64
 * JDK for arm64 boxes ({@code jlink} of one architecture cannot make another's runtime).
 */
final class JlinkRuntime {
    /**
     * The modules the firmware and its libraries use ({@code jdeps --print-module-deps} over
     * firmware/target/lib says java.base, java.desktop, java.management, java.naming, java.sql),
     * plus what the web UI, the HTTP client and Unsafe users need.
     */
    static final String MODULES = "java.base,java.desktop,java.logging,java.management,java.naming,java.net.http,"
            + "java.sql,jdk.crypto.ec,jdk.httpserver,jdk.unsupported";

    private JlinkRuntime() {
    }

    /** Debian's name for the JDK's architecture (from its {@code release} file). */
    static String architecture(Path jdk) throws IOException {
        Path release = jdk.resolve("release");
        if (!Files.isRegularFile(release)) {
            throw new FlashException(jdk + " is not a JDK (no release file)");
        }
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(release, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        String arch = p.getProperty("OS_ARCH", "").replace("\"", "");
        return switch (arch) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "arm" -> "armhf";
            default -> throw new FlashException(jdk + ": unknown architecture '" + arch + "'");
        };
    }

    static void make(Path jdk, Path out, String modules) throws IOException, InterruptedException {
        Path jlink = jdk.resolve("bin/jlink");
        if (!Files.isExecutable(jlink)) {
            throw new FlashException(jdk + " has no bin/jlink: give a full JDK, not a runtime");
        }
        List<String> cmd = new ArrayList<>(List.of(jlink.toString(), "--add-modules", modules, "--strip-debug",
                "--no-man-pages", "--no-header-files", "--compress=zip-6", "--output", out.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new FlashException("jlink failed: " + log.strip());
        }
    }
}
