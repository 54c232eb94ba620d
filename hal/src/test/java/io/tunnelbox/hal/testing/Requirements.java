package io.tunnelbox.hal.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a test needs from the machine. On a developer's machine a missing requirement skips the
 * test with the reason; under CI ({@code CI=true}) it fails, because CI must run every test.
 */
public final class Requirements {
    private Requirements() {
    }

    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Root (network namespaces, TUN/TAP, raw sockets). */
    public static void root() {
        require(isRoot(), "needs root (network namespaces, TUN/TAP, raw sockets): run the tests as root (or with sudo)");
    }

    /** An executable on the PATH, such as {@code tshark} or {@code ip}. */
    public static void tool(String name) {
        require(onPath(name), "needs '" + name + "' on the PATH (the build installs it as root: .mvn/install-test-tools)");
    }

    public static boolean onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", name));
    }

    private static void require(boolean met, String reason) {
        if (!met && inCi()) {
            fail("CI requires this test to run, but it " + reason);
        }
        assumeTrue(met, reason);
    }
}
