package io.tunnelbox.web.api;

import io.tunnelbox.config.AtomicFile;
import io.tunnelbox.management.Updates;
import io.tunnelbox.web.http.ApiException;
import io.tunnelbox.web.http.Request;
import io.tunnelbox.web.http.Response;
import io.tunnelbox.web.http.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.tinylog.Logger;

/**
 * Firmware updates over HTTPS, the contract {@code tunnelbox-flash push} follows:
 * {@code POST /api/update} with the bundle as {@code application/octet-stream} (202 accepted, the
 * box restarts into it; 400 refused with every reason; 409 while another update runs) and
 * {@code GET /api/update/status}. Both take a session (with the CSRF token) or an HTTP Basic admin
 * login. The upload is streamed to a file of its own under the state directory (mode 0600, never
 * in memory), synced and renamed before the box's update agent checks it, and removed afterwards
 * whatever the outcome.
 */
public final class UpdateApi {
    /** A bundle with an embedded Java runtime is about 60 MB. */
    public static final long MAX_BUNDLE = 256L * 1024 * 1024;
    /** Room left on the state directory's disk after an upload, for the configuration's sake. */
    static final long SPARE_BYTES = 16L * 1024 * 1024;
    static final String UPLOADS = "uploads";

    private final Updates updates;
    private final Path uploads;
    private final AtomicBoolean uploading = new AtomicBoolean();
    private final LongSupplier usableSpace;

    public UpdateApi(Updates updates, Path stateDir) {
        this(updates, stateDir, null);
    }

    /** {@code usableSpace}: the free bytes where uploads go (null: the file system's, asked each time). */
    UpdateApi(Updates updates, Path stateDir, LongSupplier usableSpace) {
        this.updates = updates;
        this.uploads = stateDir.resolve(UPLOADS);
        this.usableSpace = usableSpace != null ? usableSpace : this::fileSystemSpace;
        removeLeftovers();
    }

    private long fileSystemSpace() {
        try {
            return Files.getFileStore(uploads).getUsableSpace();
        } catch (IOException e) {
            return Long.MAX_VALUE; // unknown: the write itself fails with a 507 when the disk is full
        }
    }

    public void register(Router r) {
        r.addStreamed("POST", "/api/update", Router.Access.ADMIN, MAX_BUNDLE, this::upload);
        r.add("GET", "/api/update/status", Router.Access.ADMIN, this::status);
    }

    private Response status(Request req) throws ApiException {
        available();
        return Response.text(200, "application/json", updates.statusJson());
    }

    private Response upload(Request req) throws ApiException, IOException {
        available();
        String type = req.contentType();
        if (!type.toLowerCase(Locale.ROOT).startsWith("application/octet-stream")) {
            throw new ApiException(415, "send the bundle as application/octet-stream (got " + (type.isEmpty() ? "none" : type) + ")");
        }
        // Asked before a byte of the upload is read: a busy box does not take 60 MB to refuse them.
        var busy = updates.busy();
        if (busy.isPresent()) {
            throw new ApiException(409, "an update is already running: " + busy.get());
        }
        if (!uploading.compareAndSet(false, true)) {
            throw new ApiException(409, "an update is already running: another upload is in progress");
        }
        try {
            Files.createDirectories(uploads, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            if (req.length() > 0) {
                long free = usableSpace.getAsLong();
                if (req.length() + SPARE_BYTES > free) {
                    throw new ApiException(507, "not enough room on the box for a bundle of " + mb(req.length())
                            + " (" + mb(free) + " free)");
                }
            }
            Path part = Files.createTempFile(uploads, "upload-", ".part", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
            Path bundle = uploads.resolve("bundle.tbx");
            try {
                long size = receive(req.stream(), part, usableSpace);
                if (size == 0) {
                    throw new ApiException(400, "the body is empty: send the bundle");
                }
                Files.move(part, bundle, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                AtomicFile.syncDirectory(uploads);
                Logger.info("web: {} uploaded a firmware bundle ({}) from {}", req.user(), mb(size), req.client());
                return answer(updates.install(bundle));
            } finally {
                Files.deleteIfExists(part);
                Files.deleteIfExists(bundle);
            }
        } finally {
            uploading.set(false);
        }
    }

    /**
     * Copies the upload to {@code file} and syncs it. A client that goes away mid-upload (push
     * interrupted) is a 400 for the log, not a server error; a disk that cannot take it is a 507.
     * The free space is asked again every megabyte: an upload without a declared length (chunked)
     * must not fill the disk the configuration store writes to; it stops with {@link #SPARE_BYTES} left.
     */
    private static long receive(InputStream in, Path file, LongSupplier usableSpace) throws IOException, ApiException {
        long n = 0;
        byte[] buf = new byte[64 * 1024];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
             OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
            while (true) {
                int r;
                try {
                    r = in.read(buf);
                } catch (Request.BodyTooLarge e) {
                    throw e;
                } catch (IOException e) {
                    throw new ApiException(400, "the upload ended early after " + mb(n) + ": " + e.getMessage());
                }
                if (r < 0) {
                    break;
                }
                try {
                    out.write(buf, 0, r);
                } catch (IOException e) {
                    throw new ApiException(507, "cannot store the upload on the box: " + e.getMessage());
                }
                long before = n;
                n += r;
                if (n >> 20 != before >> 20 && usableSpace.getAsLong() < SPARE_BYTES) {
                    throw new ApiException(507, "not enough room on the box: the upload stopped after " + mb(n)
                            + ", to keep " + mb(SPARE_BYTES) + " free for the configuration and logs");
                }
            }
            out.flush();
            ch.force(true);
        }
        return n;
    }

    private static Response answer(Updates.Result r) {
        List<String> lines = r.lines().stream().map(l -> l.replaceFirst("^error: update refused: ", "")).toList();
        Map<String, Object> m = new LinkedHashMap<>();
        switch (r.outcome()) {
            case ACCEPTED -> {
                m.put("message", String.join("\n", lines));
                return Response.json(202, m);
            }
            case BUSY -> {
                m.put("error", "an update is already running: " + String.join("; ", lines));
                m.put("field", null);
                return Response.json(409, m);
            }
            default -> {
                m.put("error", "update refused: " + String.join("; ", lines));
                m.put("field", null);
                m.put("errors", lines);
                return Response.json(400, m);
            }
        }
    }

    private void available() throws ApiException {
        if (!updates.available()) {
            throw new ApiException(503, "this box does not update itself");
        }
    }

    /** Uploads cut off by a restart or a crash. */
    private void removeLeftovers() {
        if (!Files.isDirectory(uploads)) {
            return;
        }
        try (Stream<Path> s = Files.list(uploads)) {
            for (Path p : s.toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            Logger.warn("web: cannot clear {}: {}", uploads, e.getMessage());
        }
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
    }
}
