package io.tunnelbox.control;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.function.Function;
import org.tinylog.Logger;

/**
 * The box's local management socket: a Unix domain socket, readable and writable by root only
 * (mode 0600, the file's permissions are the authentication), that answers one read-only
 * {@code show ...} command per connection. The lab and scripts on the box use it
 * ({@code tunnelbox ctl}); people use the serial console or the web page.
 */
public final class ControlServer implements AutoCloseable {
    public static final String SOCKET_NAME = "control.sock";
    /** A command longer than this is refused: nobody types 4 KiB at a prompt. */
    static final int MAX_COMMAND = 4096;

    private final Path path;
    private final ServerSocketChannel server;
    private final Function<String, String> handler;
    private final Thread thread;
    private volatile boolean open = true;

    private ControlServer(Path path, ServerSocketChannel server, Function<String, String> handler) {
        this.path = path;
        this.server = server;
        this.handler = handler;
        this.thread = Thread.ofPlatform().daemon().name("control-socket").unstarted(this::serve);
    }

    /** Listens on {@code stateDir/control.sock}, replacing a stale socket file. */
    public static ControlServer start(Path stateDir, Function<String, String> handler) throws IOException {
        Objects.requireNonNull(handler, "handler");
        Files.createDirectories(stateDir);
        Path path = stateDir.resolve(SOCKET_NAME);
        Files.deleteIfExists(path);
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        ch.bind(UnixDomainSocketAddress.of(path));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        ControlServer s = new ControlServer(path, ch, handler);
        s.thread.start();
        return s;
    }

    public Path path() {
        return path;
    }

    private void serve() {
        while (open) {
            try (SocketChannel client = server.accept()) {
                answer(client);
            } catch (IOException e) {
                if (open) {
                    Logger.warn("control socket: {}", e.getMessage());
                }
            }
        }
    }

    private void answer(SocketChannel client) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(MAX_COMMAND + 1);
        while (in.hasRemaining() && client.read(in) > 0) {
            if (containsNewline(in)) {
                break;
            }
        }
        boolean tooLong = !in.hasRemaining() && !containsNewline(in);
        if (tooLong) {
            discardRest(client);
        }
        in.flip();
        String reply;
        if (tooLong) {
            reply = "error: command longer than " + MAX_COMMAND + " bytes\n";
        } else {
            String command = StandardCharsets.UTF_8.decode(in).toString().strip();
            try {
                reply = handler.apply(command);
            } catch (RuntimeException e) {
                Logger.error(e, "control command '{}' failed", command);
                reply = "error: " + e.getMessage() + "\n";
            }
        }
        ByteBuffer out = StandardCharsets.UTF_8.encode(reply.endsWith("\n") ? reply : reply + "\n");
        while (out.hasRemaining()) {
            client.write(out);
        }
    }

    /** Reads and drops what is left of an oversized command (bounded), so the reply reaches the client. */
    private static void discardRest(SocketChannel client) throws IOException {
        ByteBuffer sink = ByteBuffer.allocate(4096);
        long total = 0;
        int n;
        while (total < 1 << 20 && (n = client.read(sink)) > 0) {
            total += n;
            boolean newline = containsNewline(sink);
            sink.clear();
            if (newline) {
                return;
            }
        }
    }

    private static boolean containsNewline(ByteBuffer b) {
        for (int i = 0; i < b.position(); i++) {
            if (b.get(i) == '\n') {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        open = false;
        try {
            server.close();
            thread.join(2_000);
            Files.deleteIfExists(path);
        } catch (IOException e) {
            Logger.warn("closing control socket: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
