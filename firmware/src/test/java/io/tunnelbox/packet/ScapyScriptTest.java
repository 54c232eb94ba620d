package io.tunnelbox.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tunnelbox.hal.testing.Requirements;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed vectors are exactly what the committed scapy script makes, so neither drifts alone. */
class ScapyScriptTest {
    static final Path SCRIPT = Path.of("src/test/scapy/make_vectors.py"); // tests run in firmware/
    static final String PYTHON = "/usr/bin/python3"; // Debian's, where python3-scapy installs

    @Test
    void shouldRegenerateTheCommittedVectors(@TempDir Path dir) throws Exception {
        requireScapy();
        Process process = new ProcessBuilder(PYTHON, SCRIPT.toString(), dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
        assertTrue(process.waitFor(300, TimeUnit.SECONDS), "make_vectors.py did not finish");
        assertEquals(0, process.exitValue(), () -> "make_vectors.py failed: " + read(dir.resolve("log")));
        for (String name : List.of("vectors.json", "vectors-ip.pcap", "vectors-ether.pcap")) {
            try (InputStream committed = getClass().getResourceAsStream("/vectors/" + name)) {
                assertArrayEquals(committed.readAllBytes(), Files.readAllBytes(dir.resolve(name)),
                        name + " differs from what the script makes: rerun it and commit the result");
            }
        }
    }

    private static void requireScapy() throws IOException, InterruptedException {
        boolean present = Files.isExecutable(Path.of(PYTHON))
                && new ProcessBuilder(PYTHON, "-c", "import scapy.all").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        String reason = "needs " + PYTHON + " with scapy (Debian package python3-scapy, installed by .mvn/install-test-tools)";
        if (!present && Requirements.inCi()) {
            fail("CI requires this test to run, but it " + reason);
        }
        assumeTrue(present, reason);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
