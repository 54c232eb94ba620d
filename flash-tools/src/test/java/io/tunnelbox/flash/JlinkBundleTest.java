package io.tunnelbox.flash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bundle --jdk}: a jlinked runtime for this machine's JDK (amd64 here) goes into the bundle,
 * and after {@code install} the firmware runs on it with no other Java: the launcher picks
 * {@code runtime/bin/java} from the slot.
 */
class JlinkBundleTest {
    @TempDir
    Path dir;

    @Test
    void shouldEmbedARuntimeThatRunsTheFirmware() throws Exception {
        Path jdk = Path.of(System.getProperty("java.home"));
        assertEquals(0, Cli.run("keygen", dir.resolve("k").toString()).code());
        Path bundle = dir.resolve("fw.tbx");
        Cli b = Cli.run("bundle", "--key", dir.resolve("k.key").toString(), "--out", bundle.toString(), "--firmware-version", "9.0",
                "--firmware", Cli.firmwareTarget().toString(), "--board-configs", Cli.root().resolve("board-configs").toString(),
                "--jdk", jdk.toString());
        assertEquals(0, b.code(), b.out());
        assertTrue(b.out().contains("Java runtime for " + JlinkRuntime.architecture(jdk)), b.out());
        Path root = Files.createDirectories(dir.resolve("root"));
        assertEquals(0, Cli.run("install", "--root", root.toString(), "--bundle", bundle.toString(), "--trust", dir.resolve("k.pub").toString()).code());
        Path java = root.resolve("opt/tunnelbox/slots/a/runtime/bin/java");
        assertTrue(Files.isExecutable(java), "runtime/bin/java is executable after install");

        // The launcher, with no Java on its PATH and none named, runs the slot's own runtime.
        ProcessBuilder pb = new ProcessBuilder(root.resolve("usr/lib/tunnelbox/tunnelbox-launch").toString(), "version").redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("PATH", "/nonexistent");
        pb.environment().put("TUNNELBOX_SLOT_ROOT", root.resolve("opt/tunnelbox").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("TunnelBox") && out.contains("Java 25"), out);
    }
}
