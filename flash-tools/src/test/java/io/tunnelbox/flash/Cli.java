package io.tunnelbox.flash;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs the flash tool in this JVM and captures what it prints. */
public record Cli(int code, String out) {
    public static synchronized Cli run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream p = new PrintStream(buf, true, StandardCharsets.UTF_8);
        System.setOut(p);
        System.setErr(p);
        try {
            int code = FlashMain.execute(args);
            return new Cli(code, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** The source tree (the build sets TUNNELBOX_ROOT for tests). */
    public static Path root() {
        return SourceTree.root();
    }

    /** firmware/target with its jar and lib/ (built before this module's tests by the reactor). */
    public static Path firmwareTarget() {
        Path t = root().resolve("firmware/target");
        if (!Files.isDirectory(t.resolve("lib"))) {
            throw new IllegalStateException("firmware/target/lib is missing: build with -am (mvn -pl flash-tools -am verify)");
        }
        return t;
    }
}
