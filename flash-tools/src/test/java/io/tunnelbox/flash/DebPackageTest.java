package io.tunnelbox.flash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.hal.testing.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .deb installed with the real dpkg into a root folder of its own (an empty dpkg database;
 * maintainer scripts run with $DPKG_ROOT), checked on disk, upgraded over a changed configuration,
 * and checked by lintian for errors.
 */
class DebPackageTest {
    @TempDir
    Path dir;

    @Test
    void shouldInstallUpgradeKeepingTheAdminsConfigurationAndPassLintian() throws Exception {
        Requirements.root();
        Requirements.tool("dpkg-deb");
        Requirements.tool("lintian");
        Path v1 = deb("1.0");
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(root.resolve("var/lib/dpkg/info"));
        Files.createDirectories(root.resolve("var/lib/dpkg/updates"));
        Files.writeString(root.resolve("var/lib/dpkg/status"), "");
        dpkg(root, "-i", v1.toString());

        String unit = Files.readString(root.resolve("lib/systemd/system/tunnelbox.service"));
        assertTrue(unit.contains("ExecStart=/usr/lib/tunnelbox/tunnelbox-launch --boot run --board ${TUNNELBOX_BOARD}"), unit);
        assertTrue(unit.contains("CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_RAW CAP_NET_BIND_SERVICE"), unit);
        assertTrue(Files.isExecutable(root.resolve("usr/lib/tunnelbox/tunnelbox-launch")));
        assertEquals(Path.of("../lib/tunnelbox/tunnelbox-launch"), Files.readSymbolicLink(root.resolve("usr/bin/tunnelbox")));
        assertTrue(Files.exists(root.resolve("usr/lib/tunnelbox/lib/firmware-0.1.0-SNAPSHOT.jar")));
        assertTrue(Files.exists(root.resolve("usr/lib/tunnelbox/board-configs/nanopi-r4s.json")));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("var/lib/tunnelbox"))));
        assertTrue(Files.readString(root.resolve("var/lib/dpkg/status")).contains("Package: tunnelbox\nStatus: install ok installed"));
        assertFalse(Files.exists(root.resolve("opt")), "the package keeps out of /opt (that is the image's slots)");

        Path env = root.resolve("etc/tunnelbox/tunnelbox.env");
        Files.writeString(env, Files.readString(env).replace("TUNNELBOX_BOARD=lab", "TUNNELBOX_BOARD=nanopi-r4s"));
        Path v2 = deb("1.1");
        dpkg(root, "-i", v2.toString());
        assertTrue(Files.readString(env).contains("TUNNELBOX_BOARD=nanopi-r4s\n"), "the upgrade kept the changed configuration");
        assertTrue(Files.readString(root.resolve("var/lib/dpkg/status")).contains("Version: 1.1"));

        Tools.Run lintian = Tools.run(List.of("lintian", "--tag-display-limit", "0", v2.toString()), null);
        List<String> errors = lintian.out().lines().filter(l -> l.startsWith("E:")).toList();
        assertTrue(errors.isEmpty(), lintian.out());
    }

    private Path deb(String version) {
        Path out = Files.exists(dir.resolve("debs")) ? dir.resolve("debs") : dir.resolve("debs");
        Cli r = Cli.run("deb", "--out", out.toString(), "--package-version", version, "--firmware", Cli.firmwareTarget().toString(),
                "--board-configs", Cli.root().resolve("board-configs").toString());
        assertEquals(0, r.code(), r.out());
        return out.resolve("tunnelbox_" + version + "_all.deb");
    }

    private static void dpkg(Path root, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("dpkg", "--root=" + root, "--force-script-chrootless",
                "--force-depends", "--force-not-root"));
        cmd.addAll(List.of(args));
        Tools.Run r = Tools.run(cmd, null);
        assertEquals(0, r.code(), String.join(" ", cmd) + ":\n" + r.out());
    }
}
