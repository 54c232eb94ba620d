package io.tunnelbox.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every command answers --help (and `tunnelbox help`) with its usage and exit code 0. */
class CommandLineHelpTest {

    @ParameterizedTest
    @ValueSource(strings = {"--help", "help", "run --help", "lab --help", "ctl --help", "version --help",
            "help run", "help lab", "help ctl"})
    void shouldPrintUsageAndExitZero(String line) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int code;
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            System.setOut(out);
            code = Main.execute(line.split(" "));
        } finally {
            System.setOut(saved);
        }
        String text = buffer.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        assertTrue(text.startsWith("Usage: tunnelbox"), text);
        assertFalse(text.contains("seed"), "help speaks the admin's language, not the project's: " + text);
    }
}
