package io.tunnelbox.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bundle is accepted only exactly as it was signed, by a trusted key, with exactly its listed files. */
class BundleTamperTest {
    static KeyPair trusted;
    static KeyPair stranger;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeKeys() {
        trusted = SigningKeys.generate();
        stranger = SigningKeys.generate();
    }

    private static TrustedKeys keys() {
        return new TrustedKeys(List.of(trusted.getPublic()));
    }

    @Test
    void shouldAcceptAnUntouchedBundle() throws IOException {
        BundleCheck check = BundleReader.verify(TestBundles.make(dir, "1.0", trusted), keys());
        assertTrue(check.ok(), check.problems().toString());
        assertEquals("1.0", check.manifest().orElseThrow().version());
        assertEquals(3, check.manifest().orElseThrow().files().size());
    }

    @Test
    void shouldRefuseABundleWithAnyOneByteChanged() throws IOException {
        Path good = TestBundles.make(dir, "1.0", trusted);
        byte[] original = Files.readAllBytes(good);
        Path bad = dir.resolve("bad.tbx");
        List<Integer> accepted = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < original.length; i++) {
            byte[] b = original.clone();
            b[i] ^= (byte) (1 << (i % 8)); // a different bit at each position, every byte position
            Files.write(bad, b);
            BundleCheck check = BundleReader.verify(bad, keys());
            if (check.ok() || check.problems().isEmpty()) {
                accepted.add(i);
            }
        }
        System.out.printf("%d one-byte changes checked in %d ms%n", original.length, (System.nanoTime() - start) / 1_000_000);
        assertTrue(accepted.isEmpty(), "accepted with a byte changed at offsets " + accepted + " of " + original.length);
    }

    @Test
    void shouldRefuseABundleSignedByAnotherKeyWithOneClearLine() throws IOException {
        Path good = TestBundles.make(dir, "1.0", trusted);
        Path resigned = TestBundles.Parts.of(good).signedBy(stranger, dir.resolve("resigned.tbx"));
        BundleCheck check = BundleReader.verify(resigned, keys());
        assertFalse(check.ok());
        assertEquals(1, check.problems().size(), check.problems().toString());
        assertTrue(check.problems().get(0).startsWith("signed by key " + SigningKeys.keyIdText(stranger.getPublic()) + ", which is not trusted"),
                check.problems().get(0));
    }

    @Test
    void shouldRefuseAForgedKeyIdOfTheTrustedKey() throws IOException {
        // A stranger's signature under the trusted key's id: the id finds the key, the signature does not match.
        Path good = TestBundles.make(dir, "1.0", trusted);
        TestBundles.Parts p = TestBundles.Parts.of(good);
        Path forged = p.signedBy(stranger, dir.resolve("forged.tbx"));
        byte[] b = Files.readAllBytes(forged);
        System.arraycopy(SigningKeys.keyId(trusted.getPublic()), 0, b, 12 + p.manifest().length, 8);
        Files.write(forged, b);
        BundleCheck check = BundleReader.verify(forged, keys());
        assertEquals(List.of("signature does not match the manifest (changed after signing, or a forged key id)"), check.problems());
    }

    @Test
    void shouldRefuseAFileMissingFromThePayloadEvenWhenTheSignatureIsGood() throws IOException {
        Path good = TestBundles.make(dir, "1.0", trusted);
        TestBundles.Parts p = TestBundles.Parts.of(good);
        byte[] payload = rezip(p.payload(), "dist/launch", null);
        BundleManifest m = BundleManifest.parse(p.manifest());
        Path bad = p.withPayload(payload).withManifest(m.withPayload(payload.length, sha(payload)))
                .signedBy(trusted, dir.resolve("missing.tbx"));
        BundleCheck check = BundleReader.verify(bad, keys());
        assertEquals(List.of("dist/launch: in the manifest but missing from the payload"), check.problems());
    }

    @Test
    void shouldRefuseAFileAddedToThePayloadEvenWhenTheSignatureIsGood() throws IOException {
        Path good = TestBundles.make(dir, "1.0", trusted);
        TestBundles.Parts p = TestBundles.Parts.of(good);
        byte[] payload = rezip(p.payload(), null, "lib/evil.jar");
        BundleManifest m = BundleManifest.parse(p.manifest());
        Path bad = p.withPayload(payload).withManifest(m.withPayload(payload.length, sha(payload)))
                .signedBy(trusted, dir.resolve("added.tbx"));
        BundleCheck check = BundleReader.verify(bad, keys());
        assertEquals(List.of("lib/evil.jar: in the payload but not in the manifest (a file was added)"), check.problems());
    }

    @Test
    void shouldRefuseAPayloadSwappedForAnotherSignedBundlesPayload() throws IOException {
        Path one = TestBundles.make(dir, "1.0", trusted);
        Path two = TestBundles.make(dir, "2.0", trusted);
        Path mixed = TestBundles.Parts.of(one).withPayload(TestBundles.Parts.of(two).payload()).signedBy(trusted, dir.resolve("mixed.tbx"));
        BundleCheck check = BundleReader.verify(mixed, keys());
        assertFalse(check.ok());
        assertTrue(check.problems().stream().anyMatch(l -> l.contains("SHA-256")), check.problems().toString());
    }

    @Test
    void shouldRefuseTruncatedAndForeignFiles() throws IOException {
        Path good = TestBundles.make(dir, "1.0", trusted);
        byte[] b = Files.readAllBytes(good);
        Path cut = dir.resolve("cut.tbx");
        int inSignature = 12 + TestBundles.Parts.of(good).manifest().length + 30;
        Files.write(cut, java.util.Arrays.copyOf(b, inSignature));
        assertEquals(List.of("bundle is truncated (" + inSignature + " bytes)"), BundleReader.verify(cut, keys()).problems());
        Files.write(cut, java.util.Arrays.copyOf(b, 40));
        assertEquals(List.of("manifest length " + TestBundles.Parts.of(good).manifest().length + " is impossible (file has 40 bytes)"),
                BundleReader.verify(cut, keys()).problems());
        Path zip = dir.resolve("plain.zip");
        Files.write(zip, TestBundles.Parts.of(good).payload());
        assertEquals(List.of("not a TunnelBox bundle (the file does not start with TBXBNDL1)"), BundleReader.verify(zip, keys()).problems());
    }

    @Test
    void shouldUnpackEveryFileWithItsModeAndNothingElse() throws IOException {
        Path into = Files.createDirectories(dir.resolve("slot"));
        BundleCheck check = BundleReader.unpack(TestBundles.make(dir, "1.0", trusted), keys(), into);
        assertTrue(check.ok(), check.problems().toString());
        assertTrue(Files.isExecutable(into.resolve("dist/launch")));
        assertFalse(Files.isExecutable(into.resolve("lib/firmware.jar")));
        assertEquals(Files.readString(dir.resolve("src-1.0/board.json")), Files.readString(into.resolve("board-configs/sim.json")));
        try (var walk = Files.walk(into)) {
            assertEquals(3, walk.filter(Files::isRegularFile).count());
        }
    }

    @Test
    void shouldRefuseUnsafeFileNamesInAManifest() {
        for (String name : List.of("../etc/passwd", "/etc/passwd", "lib//x", "lib/./x", "", "a\\b", "lib/ x")) {
            assertTrue(BundleEntry.pathProblem(name) != null, name);
        }
        assertEquals(null, BundleEntry.pathProblem("runtime/lib/server/libjvm.so"));
    }

    /** The payload zip without {@code drop} and with an extra entry {@code add}. */
    private static byte[] rezip(byte[] payload, String drop, String add) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(payload));
             ZipOutputStream z = new ZipOutputStream(out)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                byte[] data = in.readAllBytes();
                if (e.getName().equals(drop)) {
                    continue;
                }
                z.putNextEntry(new ZipEntry(e.getName()));
                z.write(data);
                z.closeEntry();
            }
            if (add != null) {
                z.putNextEntry(new ZipEntry(add));
                z.write(new byte[] {1, 2, 3});
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static String sha(byte[] b) {
        return BundleWriter.hex(BundleWriter.sha256().digest(b));
    }
}
