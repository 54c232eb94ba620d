package io.tunnelbox.update;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Makes a signed bundle ({@link BundleFormat}) from files on disk. Add files with their path in
 * the slot, then {@link #write}: the payload zip is built in a temporary file beside the output,
 * hashed, described by the manifest, signed, and the bundle renamed into place, so a failed build
 * never leaves a half bundle under the output name.
 */
public final class BundleWriter {
    /** Zip entries get a fixed time so that the same inputs give the same payload. */
    private static final long ENTRY_TIME = Instant.parse("2020-01-01T00:00:00Z").toEpochMilli();

    private final Map<String, Source> files = new LinkedHashMap<>();

    private record Source(Path file, boolean executable) {
    }

    /** Adds one file; a second file under the same path is refused. */
    public BundleWriter add(String path, Path file, boolean executable) {
        String problem = BundleEntry.pathProblem(path);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + " is not a file");
        }
        if (files.putIfAbsent(path, new Source(file, executable)) != null) {
            throw new IllegalArgumentException("two files for " + path + ": " + files.get(path).file() + " and " + file);
        }
        return this;
    }

    /** Adds every regular file under {@code dir} (links followed) below {@code prefix}, keeping executable bits. */
    public BundleWriter addTree(String prefix, Path dir) throws IOException {
        try (var walk = Files.walk(dir, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
            for (Path p : walk.sorted().toList()) {
                if (Files.isRegularFile(p)) {
                    String rel = dir.relativize(p).toString().replace('\\', '/');
                    add(prefix.isEmpty() ? rel : prefix + "/" + rel, p, Files.isExecutable(p));
                }
            }
        }
        return this;
    }

    public boolean contains(String path) {
        return files.containsKey(path);
    }

    public int size() {
        return files.size();
    }

    /**
     * Writes the bundle. {@code template} gives version, build time, formats and architecture;
     * its files and payload fields are replaced by what is actually written.
     */
    public BundleManifest write(Path out, BundleManifest template, PrivateKey key, PublicKey publicKey) throws IOException {
        Path dir = out.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path payload = Files.createTempFile(dir, ".payload-", ".zip");
        Path temp = dir.resolve("." + out.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            List<BundleEntry> entries = new ArrayList<>();
            MessageDigest payloadDigest = sha256();
            long payloadSize;
            try (OutputStream fileOut = Files.newOutputStream(payload);
                 CountingOutputStream counted = new CountingOutputStream(new BufferedOutputStream(fileOut));
                 DigestOutputStream digested = new DigestOutputStream(counted, payloadDigest);
                 ZipOutputStream zip = new ZipOutputStream(digested)) {
                zip.setLevel(6);
                for (Map.Entry<String, Source> e : files.entrySet()) {
                    ZipEntry z = new ZipEntry(e.getKey());
                    z.setTime(ENTRY_TIME);
                    zip.putNextEntry(z);
                    MessageDigest fileDigest = sha256();
                    long size = 0;
                    try (InputStream in = Files.newInputStream(e.getValue().file())) {
                        byte[] buf = new byte[1 << 16];
                        for (int n; (n = in.read(buf)) > 0; ) {
                            zip.write(buf, 0, n);
                            fileDigest.update(buf, 0, n);
                            size += n;
                        }
                    }
                    zip.closeEntry();
                    entries.add(new BundleEntry(e.getKey(), size, hex(fileDigest.digest()), e.getValue().executable()));
                }
                zip.finish();
                digested.flush();
                payloadSize = counted.count;
            }
            BundleManifest manifest = new BundleManifest(template.version(), template.buildTime(), template.configFormat(),
                    template.minConfigFormat(), template.architecture(), template.runtime(), payloadSize,
                    hex(payloadDigest.digest()), entries);
            byte[] json = manifest.toJson();
            if (json.length > BundleFormat.MAX_MANIFEST) {
                throw new IOException("manifest of " + json.length + " bytes exceeds " + BundleFormat.MAX_MANIFEST);
            }
            try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(temp));
                 DataOutputStream d = new DataOutputStream(o)) {
                d.write(BundleFormat.MAGIC);
                d.writeInt(json.length);
                d.write(json);
                d.write(SigningKeys.keyId(publicKey));
                d.write(sign(key, json));
                Files.copy(payload, d);
            }
            Files.move(temp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return manifest;
        } finally {
            Files.deleteIfExists(payload);
            Files.deleteIfExists(temp);
        }
    }

    /** Signs magic + length + manifest, exactly the bytes the reader checks. */
    static byte[] sign(PrivateKey key, byte[] manifestJson) throws IOException {
        try {
            Signature s = Signature.getInstance(SigningKeys.ALGORITHM);
            s.initSign(key);
            s.update(signedBytes(manifestJson));
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IOException("signing failed: " + e.getMessage(), e);
        }
    }

    static byte[] signedBytes(byte[] manifestJson) {
        byte[] b = new byte[BundleFormat.MAGIC.length + 4 + manifestJson.length];
        System.arraycopy(BundleFormat.MAGIC, 0, b, 0, BundleFormat.MAGIC.length);
        int n = manifestJson.length;
        b[8] = (byte) (n >>> 24);
        b[9] = (byte) (n >>> 16);
        b[10] = (byte) (n >>> 8);
        b[11] = (byte) n;
        System.arraycopy(manifestJson, 0, b, 12, n);
        return b;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
