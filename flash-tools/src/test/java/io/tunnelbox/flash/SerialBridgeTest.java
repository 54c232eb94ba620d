package io.tunnelbox.flash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fazecast.jSerialComm.SerialPort;
import io.tunnelbox.hal.testing.Requirements;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console bridge over a socat pty pair: keys reach the "box", its output reaches the screen, Ctrl-] quits. */
class SerialBridgeTest {
    @TempDir
    Path dir;

    @Test
    void shouldCarryBothWaysAndQuitOnCtrlBracket() throws Exception {
        Requirements.tool("socat");
        Path a = dir.resolve("ttyA");
        Path b = dir.resolve("ttyB");
        Process socat = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            for (int i = 0; i < 100 && !(Files.exists(a) && Files.exists(b)); i++) {
                Thread.sleep(50);
            }
            SerialPort port = SerialBridge.open(a.toString(), 115200);
            PipedOutputStream typing = new PipedOutputStream();
            PipedInputStream keys = new PipedInputStream(typing);
            ByteArrayOutputStream screen = new ByteArrayOutputStream();
            String[] why = new String[1];
            Thread bridge = Thread.ofPlatform().start(() -> {
                try {
                    why[0] = SerialBridge.run(port, keys, screen);
                } catch (Exception e) {
                    why[0] = e.toString();
                }
            });
            try (FileInputStream boxIn = new FileInputStream(b.toFile()); FileOutputStream boxOut = new FileOutputStream(b.toFile())) {
                typing.write("show tunnels\r".getBytes(StandardCharsets.US_ASCII));
                typing.flush();
                byte[] got = boxIn.readNBytes("show tunnels\r".length());
                assertEquals("show tunnels\r", new String(got, StandardCharsets.US_ASCII));
                boxOut.write("to-b up\r\n".getBytes(StandardCharsets.US_ASCII));
                boxOut.flush();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (!screen.toString(StandardCharsets.US_ASCII).contains("to-b up") && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertTrue(screen.toString(StandardCharsets.US_ASCII).contains("to-b up\r\n"), screen.toString());
                typing.write(SerialBridge.QUIT);
                typing.flush();
                bridge.join(5000);
                assertEquals("Ctrl-] pressed", why[0]);
                assertTrue(!port.isOpen());
            }
        } finally {
            socat.destroy();
            socat.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
