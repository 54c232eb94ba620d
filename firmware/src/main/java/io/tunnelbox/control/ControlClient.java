package io.tunnelbox.control;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Asks a running box one question through its control socket ({@code tunnelbox ctl}). */
public final class ControlClient {
    private ControlClient() {
    }

    /** Sends {@code command} to the box whose state directory is {@code stateDir}; returns the answer. */
    public static String ask(Path stateDir, String command) throws IOException {
        return ask(stateDir, ControlServer.RUN_DIR, command);
    }

    /** As {@link #ask(Path, String)}, looking in {@code runDir} if the state directory holds no socket (it was read-only). */
    public static String ask(Path stateDir, Path runDir, String command) throws IOException {
        Path path = stateDir.resolve(ControlServer.SOCKET_NAME);
        if (!java.nio.file.Files.exists(path)) {
            Path fallback = ControlServer.fallbackDirectory(runDir, stateDir).resolve(ControlServer.SOCKET_NAME);
            if (java.nio.file.Files.exists(fallback)) {
                path = fallback;
            }
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(path));
            ByteBuffer out = StandardCharsets.UTF_8.encode(command + "\n");
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ch.shutdownOutput();
            return new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.net.SocketException | java.nio.file.NoSuchFileException e) {
            throw new IOException("no box answers at " + path + " (is it running?): " + e.getMessage(), e);
        }
    }
}
