package io.tunnelbox.update;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Checks a bundle ({@link BundleFormat}) against trusted keys and, if asked, unpacks it while
 * checking. Order matters: the signature is checked before the payload is unpacked, so nothing a
 * stranger wrote is ever inflated; with a good signature every file is hashed as it is written and
 * the whole payload is hashed in the same pass. Every problem is one line; the caller throws the
 * unpacked files away unless there is none.
 */
public final class BundleReader {
    private BundleReader() {
    }

    /** Checks only. */
    public static BundleCheck verify(Path bundle, TrustedKeys keys) {
        return read(bundle, keys, null);
    }

    /**
     * Checks and unpacks into {@code into} (an empty directory). The files are there only if the
     * result is {@link BundleCheck#ok()}; otherwise the caller deletes the directory.
     */
    public static BundleCheck unpack(Path bundle, TrustedKeys keys, Path into) {
        return read(bundle, keys, into);
    }

    private static BundleCheck read(Path bundle, TrustedKeys keys, Path into) {
        List<String> problems = new ArrayList<>();
        long fileSize;
        try {
            fileSize = Files.size(bundle);
        } catch (IOException e) {
            return fail("cannot read " + bundle + ": " + e.getMessage());
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(bundle), 1 << 16);
             DataInputStream in = new DataInputStream(raw)) {
            byte[] magic = new byte[BundleFormat.MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, BundleFormat.MAGIC)) {
                return fail("not a TunnelBox bundle (the file does not start with TBXBNDL1)");
            }
            long length = Integer.toUnsignedLong(in.readInt());
            if (length > BundleFormat.MAX_MANIFEST || length > fileSize) {
                return fail("manifest length " + length + " is impossible (file has " + fileSize + " bytes)");
            }
            byte[] json = new byte[(int) length];
            in.readFully(json);
            byte[] keyId = new byte[SigningKeys.KEY_ID_BYTES];
            in.readFully(keyId);
            byte[] signature = new byte[BundleFormat.SIGNATURE_BYTES];
            in.readFully(signature);
            String signer = HexFormat.of().formatHex(keyId);

            boolean signed = checkSignature(keys, keyId, signer, json, signature, problems);
            BundleManifest manifest;
            try {
                manifest = BundleManifest.parse(json);
            } catch (IOException e) {
                problems.add(e.getMessage());
                return new BundleCheck(Optional.empty(), signer, problems);
            }
            long payloadStart = BundleFormat.MAGIC.length + 4 + length + SigningKeys.KEY_ID_BYTES + BundleFormat.SIGNATURE_BYTES;
            long payloadSize = fileSize - payloadStart;
            if (payloadSize != manifest.payloadSize()) {
                problems.add("payload is " + payloadSize + " bytes, the manifest says " + manifest.payloadSize());
            }
            MessageDigest digest = BundleWriter.sha256();
            DigestInputStream payload = new DigestInputStream(in, digest);
            if (signed) {
                checkFiles(payload, manifest, into, problems);
            }
            payload.transferTo(OutputStream.nullOutputStream());
            String actual = BundleWriter.hex(digest.digest());
            if (!actual.equals(manifest.payloadSha256())) {
                problems.add("payload SHA-256 is " + actual + ", the manifest says " + manifest.payloadSha256()
                        + " (the bundle was changed after signing)");
            }
            return new BundleCheck(Optional.of(manifest), signer, problems);
        } catch (EOFException e) {
            problems.add("bundle is truncated (" + fileSize + " bytes)");
            return new BundleCheck(Optional.empty(), "", problems);
        } catch (IOException e) {
            problems.add("cannot read " + bundle + ": " + e.getMessage());
            return new BundleCheck(Optional.empty(), "", problems);
        }
    }

    private static boolean checkSignature(TrustedKeys keys, byte[] keyId, String signer, byte[] json, byte[] signature,
                                          List<String> problems) {
        Optional<PublicKey> key = keys.byId(keyId);
        if (key.isEmpty()) {
            problems.add("signed by key " + signer + ", which is not trusted (trusted: "
                    + (keys.isEmpty() ? "none" : String.join(", ", keys.ids())) + ")");
            return false;
        }
        try {
            Signature s = Signature.getInstance(SigningKeys.ALGORITHM);
            s.initVerify(key.get());
            s.update(BundleWriter.signedBytes(json));
            if (!s.verify(signature)) {
                problems.add("signature does not match the manifest (changed after signing, or a forged key id)");
                return false;
            }
            return true;
        } catch (GeneralSecurityException e) {
            problems.add("signature cannot be checked: " + e.getMessage());
            return false;
        }
    }

    /** Walks the payload zip: each entry must be listed, once, with its size and hash; listed files must all be there. */
    private static void checkFiles(InputStream payload, BundleManifest manifest, Path into, List<String> problems) {
        Map<String, BundleEntry> listed = new HashMap<>();
        manifest.files().forEach(f -> listed.put(f.path(), f));
        Set<String> seen = new HashSet<>();
        ZipInputStream zip = new ZipInputStream(payload);
        try {
            for (ZipEntry z; (z = zip.getNextEntry()) != null; ) {
                String name = z.getName();
                BundleEntry entry = listed.get(name);
                if (z.isDirectory()) {
                    continue;
                }
                if (entry == null) {
                    problems.add(name + ": in the payload but not in the manifest (a file was added)");
                    continue;
                }
                if (!seen.add(name)) {
                    problems.add(name + ": twice in the payload");
                    continue;
                }
                String problem = copyAndHash(zip, entry, into);
                if (problem != null) {
                    problems.add(problem);
                }
            }
        } catch (ZipException e) {
            problems.add("payload is not a valid zip: " + e.getMessage());
        } catch (IOException e) {
            problems.add("payload cannot be read: " + e.getMessage());
        }
        for (BundleEntry f : manifest.files()) {
            if (!seen.contains(f.path())) {
                problems.add(f.path() + ": in the manifest but missing from the payload");
            }
        }
    }

    /** Copies one entry (at most its listed size plus one byte, so a lie about the size cannot fill the disk). */
    private static String copyAndHash(InputStream zip, BundleEntry entry, Path into) throws IOException {
        MessageDigest digest = BundleWriter.sha256();
        long size = 0;
        long limit = entry.size() + 1;
        byte[] buf = new byte[1 << 16];
        FileChannel out = into == null ? null : create(into.resolve(entry.path()), entry.executable());
        try (out) {
            OutputStream o = out == null ? OutputStream.nullOutputStream() : Channels.newOutputStream(out);
            for (int n; size < limit && (n = zip.read(buf, 0, (int) Math.min(buf.length, limit - size))) > 0; ) {
                digest.update(buf, 0, n);
                o.write(buf, 0, n);
                size += n;
            }
            if (out != null) {
                out.force(true);
            }
        }
        if (size != entry.size()) {
            return entry.path() + ": " + (size > entry.size() ? "larger than" : size + " bytes, not") + " the "
                    + entry.size() + " bytes the manifest lists";
        }
        String actual = BundleWriter.hex(digest.digest());
        if (!actual.equals(entry.sha256())) {
            return entry.path() + ": SHA-256 " + actual + " does not match the manifest's " + entry.sha256();
        }
        return null;
    }

    private static FileChannel create(Path file, boolean executable) throws IOException {
        Files.createDirectories(file.getParent());
        return FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--")));
    }

    private static BundleCheck fail(String problem) {
        return new BundleCheck(Optional.empty(), "", List.of(problem));
    }
}
