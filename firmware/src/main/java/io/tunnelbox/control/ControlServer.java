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
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.tinylog.Logger;

/**
 * The box's local management socket: a Unix domain socket, readable and writable by root only
 * (mode 0600, the file's permissions are the authentication), that answers one read-only
 * {@code show ...} command per connection. The lab and scripts on the box use it
 * ({@code tunnelbox ctl}); people use the serial console or the web page.
 *
 * <p>Clients are served concurrently (up to {@link #MAX_CLIENTS}, one virtual thread each), and
 * each connection has {@link #CLIENT_TIMEOUT} to send its command and take the answer: a client
 * that connects and says nothing is cut off and blocks nobody.
 *
 * <p>The socket lives in the state directory; when that cannot be written (an SD card remounted
 * read-only) it goes to {@link #fallbackDirectory}, under {@code /run}, where {@link ControlClient}
 * looks next.
 */
public final class ControlServer implements AutoCloseable {
    public static final String SOCKET_NAME = "control.sock";
    /** Where the socket goes when the state directory is not writable. */
    public static final Path RUN_DIR = Path.of("/run/tunnelbox");
    /** A command longer than this is refused: nobody types 4 KiB at a prompt. */
    static final int MAX_COMMAND = 4096;
    static final int MAX_CLIENTS = 16;
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(5);

    private final Path path;
    private final ServerSocketChannel server;
    private final Function<String, String> handler;
    private final Duration timeout;
    private final Thread thread;
    private final Semaphore slots = new Semaphore(MAX_CLIENTS);
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("control-deadlines").factory());
    private volatile boolean open = true;

    private ControlServer(Path path, ServerSocketChannel server, Function<String, String> handler, Duration timeout) {
        this.path = path;
        this.server = server;
        this.handler = handler;
        this.timeout = timeout;
        this.thread = Thread.ofPlatform().daemon().name("control-socket").unstarted(this::serve);
    }

    /** Listens on {@code stateDir/control.sock}, or under {@link #RUN_DIR} if the state directory is not writable. */
    public static ControlServer start(Path stateDir, Function<String, String> handler) throws IOException {
        return start(stateDir, RUN_DIR, CLIENT_TIMEOUT, handler);
    }

    public static ControlServer start(Path stateDir, Path runDir, Duration timeout, Function<String, String> handler)
            throws IOException {
        Objects.requireNonNull(handler, "handler");
        ServerSocketChannel ch;
        Path path;
        try {
            path = stateDir.resolve(SOCKET_NAME);
            ch = bindPrivately(path);
        } catch (IOException e) {
            path = fallbackDirectory(runDir, stateDir).resolve(SOCKET_NAME);
            Logger.warn("control socket cannot be created in {} ({}): using {}", stateDir, e.toString(), path);
            ch = bindPrivately(path);
        }
        ControlServer s = new ControlServer(path, ch, handler, timeout);
        s.thread.start();
        return s;
    }

    /**
     * The directory for the socket of the box with state directory {@code stateDir} when that one
     * is read-only: its last name and a hash of its whole path (socket paths are limited to 107 bytes).
     */
    public static Path fallbackDirectory(Path runDir, Path stateDir) {
        Path abs = stateDir.toAbsolutePath().normalize();
        String name = abs.getFileName() == null ? "root" : abs.getFileName().toString();
        name = name.length() > 24 ? name.substring(0, 24) : name;
        return runDir.resolve(name + "-" + String.format("%08x", abs.toString().hashCode()));
    }

    /**
     * Binds the socket inside a fresh 0700 directory, makes it 0600 and only then renames it to
     * {@code path}: at no moment can anyone but root reach it, whatever umask the box was started with.
     */
    private static ServerSocketChannel bindPrivately(Path path) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path privateDir = Files.createTempDirectory(dir, ".c",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path inside = privateDir.resolve(SOCKET_NAME);
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(inside));
            Files.setPosixFilePermissions(inside, PosixFilePermissions.fromString("rw-------"));
            Files.move(inside, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        } finally {
            Files.deleteIfExists(inside);
            Files.deleteIfExists(privateDir);
        }
    }

    public Path path() {
        return path;
    }

    private void serve() {
        while (open) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (open) {
                    Logger.warn("control socket: {}", e.getMessage());
                }
                continue;
            }
            if (!slots.tryAcquire()) {
                Thread.ofVirtual().name("control-busy").start(() -> refuseBusy(client));
                continue;
            }
            Thread.ofVirtual().name("control-client").start(() -> {
                ScheduledFuture<?> cut = deadlines.schedule(() -> closeQuietly(client), timeout.toMillis(), TimeUnit.MILLISECONDS);
                try (client) {
                    answer(client);
                } catch (IOException e) {
                    if (open && !cut.isDone()) {
                        Logger.warn("control socket: {}", e.getMessage());
                    } else if (cut.isDone()) {
                        Logger.info("control socket: a client took longer than {} s and was cut off", timeout.toSeconds());
                    }
                } finally {
                    cut.cancel(false);
                    slots.release();
                }
            });
        }
    }

    private static void refuseBusy(SocketChannel client) {
        try (client) {
            client.write(StandardCharsets.UTF_8.encode("error: busy, " + MAX_CLIENTS + " clients already connected\n"));
        } catch (IOException ignored) {
            // the client went away; nothing to tell it
        }
    }

    private static void closeQuietly(SocketChannel client) {
        try {
            client.close();
        } catch (IOException ignored) {
            // closing to cut a slow client off; it is gone either way
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
        } finally {
            deadlines.shutdownNow();
        }
    }
}
