package io.tunnelbox.flash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keygen, bundle, verify and install as an admin runs them. */
class FlashCliTest {
    @TempDir
    Path dir;

    @Test
    void shouldMakeAPrivateKeyOnlyItsOwnerCanReadAndNeverOverwriteIt() throws IOException {
        Cli r = Cli.run("keygen", dir.resolve("k").toString());
        assertEquals(0, r.code(), r.out());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("k.key"))));
        String before = Files.readString(dir.resolve("k.key"));
        Cli again = Cli.run("keygen", dir.resolve("k").toString());
        assertEquals(1, again.code());
        assertTrue(again.out().contains("k.key exists; add --force"), again.out());
        assertEquals(before, Files.readString(dir.resolve("k.key")));
        assertEquals(0, Cli.run("keygen", "--force", dir.resolve("k").toString()).code());
        assertFalse(before.equals(Files.readString(dir.resolve("k.key"))));
    }

    @Test
    void shouldBundleTheBuildAndVerifyIt() throws IOException {
        Path bundle = bundle("1.2.3", "k");
        Cli ok = Cli.run("verify", bundle.toString(), "--trust", dir.resolve("k.pub").toString());
        assertEquals(0, ok.code(), ok.out());
        assertTrue(ok.out().startsWith("OK TunnelBox 1.2.3 built "), ok.out());
        // Everything the box needs is in it: the firmware jar, its libraries, boards, launcher and unit.
        try (Stream<String> files = unzipList(bundle)) {
            var names = files.toList();
            assertTrue(names.contains("lib/firmware-0.1.0-SNAPSHOT.jar"), names.toString());
            assertTrue(names.contains("lib/hal-0.1.0-SNAPSHOT.jar"), names.toString());
            assertTrue(names.contains("board-configs/nanopi-r4s.json"), names.toString());
            assertTrue(names.contains("dist/tunnelbox.service"), names.toString());
            assertTrue(names.contains("dist/tunnelbox-launch"), names.toString());
        }
    }

    @Test
    void shouldPrintOneLinePerProblemAndFail() throws IOException {
        Path bundle = bundle("1.2.3", "k");
        Cli.run("keygen", dir.resolve("other").toString());
        Cli r = Cli.run("verify", bundle.toString(), "--trust", dir.resolve("other.pub").toString());
        assertEquals(1, r.code());
        assertEquals(1, r.out().lines().count(), r.out());
        assertTrue(r.out().startsWith("FAIL fw.tbx: signed by key "), r.out());
        byte[] b = Files.readAllBytes(bundle);
        b[b.length - 100] ^= 0x20;
        Files.write(bundle, b);
        Cli bad = Cli.run("verify", bundle.toString(), "--trust", dir.resolve("k.pub").toString());
        assertEquals(1, bad.code());
        assertTrue(bad.out().lines().allMatch(l -> l.startsWith("FAIL fw.tbx: ")), bad.out());
        assertTrue(bad.out().contains("the bundle was changed after signing"), bad.out());
    }

    @Test
    void shouldFlipSlotsOnEachInstallAndNeverTouchConfigurationOrState() throws IOException {
        Path root = Files.createDirectories(dir.resolve("card"));
        Path etc = Files.createDirectories(root.resolve("etc/tunnelbox"));
        Files.writeString(etc.resolve("initial.json"), "{ \"system\": { \"hostname\": \"mine\" } }\n");
        Path state = Files.createDirectories(root.resolve("var/lib/tunnelbox/config"));
        Files.writeString(state.resolve("config.json"), "{}\n");
        String etcBefore = snapshot(root.resolve("etc/tunnelbox")) + snapshot(root.resolve("var/lib/tunnelbox"));

        Path one = bundle("1.0", "k");
        Cli first = Cli.run("install", "--root", root.toString(), "--bundle", one.toString(), "--trust", dir.resolve("k.pub").toString());
        assertEquals(0, first.code(), first.out());
        assertTrue(first.out().contains("into slot a"), first.out());
        assertTrue(Files.readString(root.resolve("opt/tunnelbox/boot.state")).contains("active=a\n"));
        Path two = bundle("2.0", "k");
        Cli second = Cli.run("install", "--root", root.toString(), "--bundle", two.toString(), "--trust", dir.resolve("k.pub").toString());
        assertEquals(0, second.code(), second.out());
        assertTrue(second.out().contains("into slot b"), second.out());
        assertTrue(Files.readString(root.resolve("opt/tunnelbox/boot.state")).contains("active=b\n"));
        assertTrue(Files.readString(root.resolve("opt/tunnelbox/slots/b/manifest.json")).contains("\"version\" : \"2.0\""));
        assertTrue(Files.readString(root.resolve("opt/tunnelbox/slots/a/manifest.json")).contains("\"version\" : \"1.0\""));
        assertTrue(Files.isExecutable(root.resolve("usr/lib/tunnelbox/tunnelbox-launch")));
        assertTrue(Files.readString(root.resolve("etc/systemd/system/tunnelbox.service")).contains("ExecStart=/usr/lib/tunnelbox/tunnelbox-launch --boot run"));
        assertEquals(etcBefore, snapshot(root.resolve("etc/tunnelbox")) + snapshot(root.resolve("var/lib/tunnelbox")));
    }

    @Test
    void shouldInstallNothingFromABundleItDoesNotTrust() throws IOException {
        Path root = Files.createDirectories(dir.resolve("card"));
        Path one = bundle("1.0", "k");
        Cli.run("keygen", dir.resolve("other").toString());
        Cli r = Cli.run("install", "--root", root.toString(), "--bundle", one.toString(), "--trust", dir.resolve("other.pub").toString());
        assertEquals(1, r.code());
        assertTrue(r.out().contains("nothing installed"), r.out());
        assertFalse(Files.exists(root.resolve("opt/tunnelbox/boot.state")));
        assertFalse(Files.exists(root.resolve("usr/lib/tunnelbox/tunnelbox-launch")));
    }

    @Test
    void shouldExplainEveryCommandWithHelp() {
        for (String command : java.util.List.of("keygen", "bundle", "verify", "install", "image", "write", "push", "console", "deb")) {
            Cli r = Cli.run(command, "--help");
            assertEquals(0, r.code(), command + ": " + r.out());
            assertTrue(r.out().startsWith("Usage: tunnelbox-flash " + command), r.out());
        }
        Cli v = Cli.run("--version");
        assertEquals(0, v.code());
        assertTrue(v.out().startsWith("TunnelBox "), v.out());
    }

    private Path bundle(String version, String key) {
        if (!Files.exists(dir.resolve(key + ".key"))) {
            assertEquals(0, Cli.run("keygen", dir.resolve(key).toString()).code());
        }
        Path out = dir.resolve("fw.tbx");
        Cli r = Cli.run("bundle", "--key", dir.resolve(key + ".key").toString(), "--out", out.toString(),
                "--firmware-version", version, "--firmware", Cli.firmwareTarget().toString(),
                "--board-configs", Cli.root().resolve("board-configs").toString());
        assertEquals(0, r.code(), r.out());
        return out;
    }

    private static Stream<String> unzipList(Path bundle) throws IOException {
        io.tunnelbox.update.BundleCheck c = io.tunnelbox.update.BundleReader.verify(bundle,
                new io.tunnelbox.update.TrustedKeys(java.util.List.of()));
        return c.manifest().orElseThrow().files().stream().map(io.tunnelbox.update.BundleEntry::path);
    }

    /** Every file under a folder with its content, to compare before and after. */
    static String snapshot(Path dir) throws IOException {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted().toList()) {
                b.append(dir.relativize(p)).append(Files.isRegularFile(p) ? "=" + Files.readString(p) : "/").append('\n');
            }
        }
        return b.toString();
    }
}
