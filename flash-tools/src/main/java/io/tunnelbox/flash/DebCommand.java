package io.tunnelbox.flash;

import io.tunnelbox.app.Version;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "deb", mixinStandardHelpOptions = true, description = {
        "Build the Debian package (dpkg-deb): the firmware under /usr/lib/tunnelbox, the unit, the",
        "tunnelbox command, /etc/tunnelbox (conffiles: an upgrade keeps your changes) and",
        "/var/lib/tunnelbox. Architecture all and a dependency on a Java 25 runtime, or with --jdk",
        "an embedded jlinked runtime for that JDK's architecture and no Java dependency.",
        "The Maven build runs it: flash-tools/target/tunnelbox_VERSION_all.deb."})
final class DebCommand implements Callable<Integer> {
    static final String JAVA_DEPENDS = "java25-runtime-headless | temurin-25-jre | temurin-25-jdk";

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for the .deb (default: the current one).")
    Path outDir = Path.of(".");

    @Option(names = "--firmware", paramLabel = "DIR", description = "Default: firmware/target of the source tree.")
    Path firmware;

    @Option(names = "--lib", paramLabel = "JAR|DIR", description = "More runtime jars; repeatable. Default: web-ui/target when built.")
    List<Path> extraLibs = new ArrayList<>();

    @Option(names = "--board-configs", paramLabel = "DIR")
    Path boardConfigs;

    @Option(names = "--jdk", paramLabel = "DIR", description = "Embed a runtime jlinked from this JDK.")
    Path jdk;

    @Option(names = "--package-version", paramLabel = "TEXT", description = "Package version (default: the build's, with ~ for -).")
    String version = Version.current();

    @Override
    public Integer call() throws Exception {
        Path root = firmware == null || boardConfigs == null ? SourceTree.root() : null;
        Path fw = firmware != null ? firmware : root.resolve("firmware/target");
        Path boards = boardConfigs != null ? boardConfigs : root.resolve("board-configs");
        List<Path> libs = new ArrayList<>(extraLibs);
        if (extraLibs.isEmpty() && root != null) {
            libs.addAll(FirmwareJars.webUi(root));
        }
        String debVersion = version.replace('-', '~');
        Path staging = Files.createTempDirectory("tunnelbox-deb-");
        try {
            Path pkg = Files.createDirectories(staging.resolve("usr/lib/tunnelbox"));
            Path lib = Files.createDirectories(pkg.resolve("lib"));
            for (Path jar : FirmwareJars.collect(fw, libs)) {
                copy(jar, lib.resolve(jar.getFileName().toString()), "rw-r--r--");
            }
            Path boardDir = Files.createDirectories(pkg.resolve("board-configs"));
            try (Stream<Path> s = Files.list(boards)) {
                for (Path f : s.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                    copy(f, boardDir.resolve(f.getFileName().toString()), "rw-r--r--");
                }
            }
            Path dist = Dist.extract(Files.createTempDirectory(staging, "dist"));
            copy(dist.resolve("tunnelbox-launch"), pkg.resolve("tunnelbox-launch"), "rwxr-xr-x");
            copy(dist.resolve("tunnelbox.service"), Files.createDirectories(staging.resolve("lib/systemd/system")).resolve("tunnelbox.service"), "rw-r--r--");
            Path etc = Files.createDirectories(staging.resolve("etc/tunnelbox"));
            copy(dist.resolve("tunnelbox.env"), etc.resolve("tunnelbox.env"), "rw-r--r--");
            copy(dist.resolve("initial.json"), etc.resolve("initial.json"), "rw-r--r--");
            Files.createDirectories(etc.resolve("trusted-keys"));
            BundleCommand.deleteTree(dist);
            Path bin = Files.createDirectories(staging.resolve("usr/bin"));
            Files.createSymbolicLink(bin.resolve("tunnelbox"), Path.of("../lib/tunnelbox/tunnelbox-launch"));
            String arch = "all";
            if (jdk != null) {
                arch = JlinkRuntime.architecture(jdk);
                JlinkRuntime.make(jdk, pkg.resolve("runtime"), JlinkRuntime.MODULES);
            }
            docs(staging, debVersion);
            control(staging, debVersion, arch);
            Files.createDirectories(outDir);
            Path deb = outDir.resolve("tunnelbox_" + debVersion + "_" + arch + ".deb");
            fixDirectoryModes(staging);
            Tools.must("dpkg-deb", "--root-owner-group", "-Zxz", "--build", staging.toString(), deb.toString());
            System.out.println("package " + deb + " (" + Files.size(deb) + " bytes)");
            return 0;
        } finally {
            BundleCommand.deleteTree(staging);
        }
    }

    private static void control(Path staging, String version, String arch) throws IOException {
        Path debian = Files.createDirectories(staging.resolve("DEBIAN"));
        long kib;
        try (Stream<Path> walk = Files.walk(staging)) {
            kib = walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum() / 1024 + 1;
        }
        String depends = arch.equals("all") ? "Depends: " + JAVA_DEPENDS + "\n" : "";
        write(debian.resolve("control"), """
                Package: tunnelbox
                Version: %s
                Architecture: %s
                Maintainer: TunnelBox developers <tunnelbox@tunnelbox.invalid>
                Installed-Size: %d
                %sRecommends: iproute2, nftables, procps
                Section: net
                Priority: optional
                Homepage: https://tunnelbox.invalid/
                Description: branch-office GRE router and VXLAN tunnel switch firmware
                 TunnelBox turns a small Linux computer with two network ports into a
                 branch-office tunnel router: GRE site-to-site tunnels (RFC 2784/2890)
                 and a VXLAN / Ethernet-over-GRE learning switch (RFC 7348), configured
                 over its serial console or web page.
                """.formatted(version, arch, kib, depends), "rw-r--r--");
        write(debian.resolve("conffiles"), "/etc/tunnelbox/initial.json\n/etc/tunnelbox/tunnelbox.env\n", "rw-r--r--");
        write(debian.resolve("postinst"), """
                #!/bin/sh
                # The state folder holds the configuration history and password hashes: root only.
                set -e
                if [ "$1" = configure ]; then
                    mkdir -p "$DPKG_ROOT/var/lib/tunnelbox"
                    chmod 0700 "$DPKG_ROOT/var/lib/tunnelbox"
                    if [ -z "$DPKG_ROOT" ] && [ -d /run/systemd/system ]; then
                        systemctl --system daemon-reload >/dev/null || true
                    fi
                    echo "tunnelbox: set TUNNELBOX_BOARD in /etc/tunnelbox/tunnelbox.env, then: systemctl enable --now tunnelbox"
                fi
                exit 0
                """, "rwxr-xr-x");
        write(debian.resolve("postrm"), """
                #!/bin/sh
                # Purge removes the state (configuration history); removal alone keeps it.
                set -e
                if [ "$1" = purge ]; then
                    rm -rf "$DPKG_ROOT/var/lib/tunnelbox"
                fi
                if [ -z "$DPKG_ROOT" ] && [ -d /run/systemd/system ]; then
                    systemctl --system daemon-reload >/dev/null || true
                fi
                exit 0
                """, "rwxr-xr-x");
        write(debian.resolve("prerm"), """
                #!/bin/sh
                set -e
                if [ -z "$DPKG_ROOT" ] && [ -d /run/systemd/system ] && [ "$1" = remove ]; then
                    systemctl stop tunnelbox.service >/dev/null 2>&1 || true
                fi
                exit 0
                """, "rwxr-xr-x");
    }

    private static void docs(Path staging, String version) throws IOException {
        Path doc = Files.createDirectories(staging.resolve("usr/share/doc/tunnelbox"));
        write(doc.resolve("copyright"), """
                Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
                Upstream-Name: tunnelbox
                Source: https://tunnelbox.invalid/

                Files: *
                Copyright: 2026 TunnelBox developers
                License: Apache-2.0
                 On Debian systems, the full text of the Apache License 2.0 is in
                 /usr/share/common-licenses/Apache-2.0.
                """, "rw-r--r--");
        String date = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT))
                .replace("GMT", "+0000");
        String changelog = "tunnelbox (" + version + ") unstable; urgency=medium\n\n  * Built by tunnelbox-flash deb.\n\n -- TunnelBox developers <tunnelbox@tunnelbox.invalid>  "
                + date + "\n";
        // A native package (no Debian revision): changelog.gz, compressed by gzip -9n as lintian checks.
        Path log = doc.resolve("changelog");
        write(log, changelog, "rw-r--r--");
        Tools.must("gzip", "-9n", log.toString());
    }

    private static void fixDirectoryModes(Path staging) throws IOException {
        try (Stream<Path> walk = Files.walk(staging)) {
            for (Path p : walk.filter(p -> Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
    }

    private static void copy(Path from, Path to, String mode) throws IOException {
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString(mode));
    }

    private static void write(Path to, String text, String mode) throws IOException {
        Files.writeString(to, text);
        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString(mode));
    }
}
