package io.tunnelbox.update;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/** Small bundles for tests: a few files of random bytes, signed with a given key. */
final class TestBundles {
    private TestBundles() {
    }

    static BundleManifest template(String version) {
        return new BundleManifest(version, Instant.parse("2026-12-01T00:00:00Z"), 1, 1, "any", false, 0, "0".repeat(64), List.of());
    }

    /** Writes three files (one executable, one in a sub-folder) and bundles them. */
    static Path make(Path dir, String version, KeyPair key) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src-" + version));
        Random r = new Random(version.hashCode());
        byte[] a = new byte[700];
        byte[] b = new byte[300];
        r.nextBytes(a);
        r.nextBytes(b);
        Files.write(src.resolve("firmware.jar"), a);
        Files.write(src.resolve("launch"), b);
        Files.writeString(src.resolve("board.json"), "{\"id\": \"sim\", \"version\": \"" + version + "\"}\n");
        Path out = dir.resolve("fw-" + version + BundleFormat.EXTENSION);
        new BundleWriter()
                .add("lib/firmware.jar", src.resolve("firmware.jar"), false)
                .add("dist/launch", src.resolve("launch"), true)
                .add("board-configs/sim.json", src.resolve("board.json"), false)
                .write(out, template(version), key.getPrivate(), key.getPublic());
        return out;
    }

    /** The parts of a bundle file, to put together differently. */
    record Parts(byte[] manifest, byte[] keyId, byte[] signature, byte[] payload) {
        static Parts of(Path bundle) throws IOException {
            byte[] all = Files.readAllBytes(bundle);
            int m = ((all[8] & 0xff) << 24) | ((all[9] & 0xff) << 16) | ((all[10] & 0xff) << 8) | (all[11] & 0xff);
            int at = 12;
            byte[] manifest = java.util.Arrays.copyOfRange(all, at, at + m);
            at += m;
            byte[] id = java.util.Arrays.copyOfRange(all, at, at + 8);
            at += 8;
            byte[] sig = java.util.Arrays.copyOfRange(all, at, at + 64);
            at += 64;
            return new Parts(manifest, id, sig, java.util.Arrays.copyOfRange(all, at, all.length));
        }

        /** A bundle with this manifest, properly signed by {@code key} (a trusted signer that made a mistake, or an attacker's key). */
        Path signedBy(KeyPair key, Path out) throws IOException {
            byte[] sig = BundleWriter.sign(key.getPrivate(), manifest);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream d = new DataOutputStream(bytes)) {
                d.write(BundleFormat.MAGIC);
                d.writeInt(manifest.length);
                d.write(manifest);
                d.write(SigningKeys.keyId(key.getPublic()));
                d.write(sig);
                d.write(payload);
            }
            Files.write(out, bytes.toByteArray());
            return out;
        }

        Parts withManifest(BundleManifest m) {
            return new Parts(m.toJson(), keyId, signature, payload);
        }

        Parts withPayload(byte[] p) {
            return new Parts(manifest, keyId, signature, p);
        }
    }
}
