package io.tunnelbox.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Replaces a file so that after a crash or power cut it holds either the old or the new content:
 * write a temporary file beside it, fsync it, rename it over the target, fsync the directory (so
 * the rename itself is durable).
 */
public final class AtomicFile {
    static final String TEMP_MARK = ".tmp-";

    private AtomicFile() {
    }

    public static void write(Path target, byte[] content) throws IOException {
        prepare(target, content).commit();
    }

    /**
     * The first half of {@link #write}: the content is durable in a temporary file (a leftover
     * that start-up removes) but the target is untouched until {@link Prepared#commit()}. Lets a
     * caller make two files appear in a chosen order only once both could be written.
     */
    public static Prepared prepare(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = dir.resolve("." + target.getFileName() + TEMP_MARK + ProcessHandle.current().pid() + "-" + Thread.currentThread().threadId());
        Files.deleteIfExists(temp); // so the permissions below apply: they are set only on creation
        try (FileChannel ch = open(temp)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return new Prepared(temp, target.toAbsolutePath());
    }

    /** A written temporary file waiting to replace its target. */
    public record Prepared(Path temp, Path target) {
        public void commit() throws IOException {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(target.getParent());
        }

        /** Drops the temporary file; the target stays as it was. */
        public void discard() {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                // start-up removes leftovers anyway
            }
        }
    }

    /** Owner-only (0600) where the file system has POSIX permissions: the config holds password hashes. */
    private static FileChannel open(Path temp) throws IOException {
        if (temp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return FileChannel.open(temp, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    /** Makes renames and deletions in {@code dir} durable (Linux: fsync on the directory). */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** True for a temporary file a write left behind when it was interrupted. */
    static boolean isLeftover(Path p) {
        String n = p.getFileName().toString();
        return n.startsWith(".") && n.contains(TEMP_MARK);
    }
}
