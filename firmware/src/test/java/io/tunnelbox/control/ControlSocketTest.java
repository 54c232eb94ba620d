package io.tunnelbox.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlSocketTest {

    @Test
    void shouldAnswerEachCommandAndKeepTheSocketPrivate(@TempDir Path dir) throws IOException {
        try (ControlServer server = ControlServer.start(dir, cmd -> switch (cmd) {
            case "show version" -> "TunnelBox test";
            case "boom" -> throw new IllegalStateException("handler bug");
            default -> "unknown command: " + cmd;
        })) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(server.path())));
            assertEquals("TunnelBox test\n", ControlClient.ask(dir, "show version"));
            assertEquals("unknown command: show nothing\n", ControlClient.ask(dir, "show nothing"));
            assertEquals("error: handler bug\n", ControlClient.ask(dir, "boom"));
            assertTrue(ControlClient.ask(dir, "x".repeat(ControlServer.MAX_COMMAND + 10))
                    .startsWith("error: command longer than"));
            assertEquals("TunnelBox test\n", ControlClient.ask(dir, "show version"), "server survives bad input");
        }
        assertTrue(Files.notExists(dir.resolve(ControlServer.SOCKET_NAME)));
        IOException e = assertThrows(IOException.class, () -> ControlClient.ask(dir, "show version"));
        assertTrue(e.getMessage().contains("is it running?"), e.getMessage());
    }
}
