package io.tunnelbox.flash;

import io.tunnelbox.app.Version;
import io.tunnelbox.update.BundleManifest;
import io.tunnelbox.update.BundleWriter;
import io.tunnelbox.update.SigningKeys;
import io.tunnelbox.update.UpdateAgent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bundle", description = {
        "Make a signed firmware bundle from the build: the runtime jars (lib/), board-configs/, the",
        "launcher and systemd unit (dist/), a manifest with every file's SHA-256, and an Ed25519",
        "signature. With --jdk, a jlinked Java runtime (runtime/) for that JDK's architecture."})
final class BundleCommand implements Callable<Integer> {
    @Option(names = "--key", required = true, paramLabel = "NAME.key",
            description = "The private signing key (keygen); NAME.pub must be beside it.")
    Path key;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The bundle to write (.tbx).")
    Path out;

    @Option(names = "--firmware", paramLabel = "DIR",
            description = "The firmware module's build output (its jar and lib/); default: firmware/target of the source tree.")
    Path firmware;

    @Option(names = "--lib", paramLabel = "JAR|DIR", description = "More runtime jars (e.g. the web UI's); repeatable.")
    List<Path> extraLibs = new ArrayList<>();

    @Option(names = "--board-configs", paramLabel = "DIR", description = "Default: board-configs/ of the source tree.")
    Path boardConfigs;

    @Option(names = "--jdk", paramLabel = "DIR", description = "Embed a runtime jlinked from this JDK (its architecture is the box's).")
    Path jdk;

    @Option(names = "--jdk-modules", paramLabel = "LIST", description = "Modules for jlink (default: what the firmware uses).")
    String modules = JlinkRuntime.MODULES;

    @Option(names = "--version", paramLabel = "TEXT", description = "The firmware version to record (default: the build's).")
    String version = Version.current();

    @Override
    public Integer call() throws Exception {
        Path fw = firmware != null ? firmware : SourceTree.root().resolve("firmware/target");
        Path boards = boardConfigs != null ? boardConfigs : SourceTree.root().resolve("board-configs");
        BundleWriter writer = new BundleWriter();
        addJars(writer, fw);
        for (Path extra : extraLibs) {
            addJars(writer, extra);
        }
        try (Stream<Path> s = Files.list(boards)) {
            for (Path f : s.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                writer.add("board-configs/" + f.getFileName(), f, false);
            }
        }
        Path work = Files.createTempDirectory("tunnelbox-bundle-");
        try {
            Path dist = Dist.extract(work.resolve("dist"));
            for (String name : Dist.FILES) {
                writer.add("dist/" + name, dist.resolve(name), Dist.executable(name));
            }
            String arch = "any";
            if (jdk != null) {
                arch = JlinkRuntime.architecture(jdk);
                Path runtime = work.resolve("runtime");
                System.out.println("jlink: a " + arch + " runtime from " + jdk + " ...");
                JlinkRuntime.make(jdk, runtime, modules);
                writer.addTree("runtime", runtime);
            }
            BundleManifest template = new BundleManifest(version, Instant.now(), UpdateAgent.CONFIG_FORMAT,
                    UpdateAgent.MIN_CONFIG_FORMAT, arch, jdk != null, 0, "0".repeat(64), List.of());
            var pub = SigningKeys.readPublic(SigningKeys.publicBeside(key));
            BundleManifest m = writer.write(out, template, SigningKeys.readPrivate(key), pub);
            System.out.println("bundle " + out + ": " + VerifyCommand.describe(m) + ", " + Files.size(out)
                    + " bytes, signed by " + SigningKeys.keyIdText(pub));
            return 0;
        } finally {
            deleteTree(work);
        }
    }

    /** A firmware target folder (its main jar and lib/), a folder of jars, or one jar. */
    private static void addJars(BundleWriter writer, Path p) throws IOException {
        if (Files.isRegularFile(p) && p.toString().endsWith(".jar")) {
            addJar(writer, p);
            return;
        }
        if (!Files.isDirectory(p)) {
            throw new FlashException(p + " is neither a jar nor a folder (build first: mvn -DskipTests package)");
        }
        int found = 0;
        try (Stream<Path> s = Files.list(p)) {
            for (Path j : s.filter(BundleCommand::runtimeJar).sorted().toList()) {
                addJar(writer, j);
                found++;
            }
        }
        if (Files.isDirectory(p.resolve("lib"))) {
            try (Stream<Path> s = Files.list(p.resolve("lib"))) {
                for (Path j : s.filter(BundleCommand::runtimeJar).sorted().toList()) {
                    addJar(writer, j);
                    found++;
                }
            }
        }
        if (found == 0) {
            throw new FlashException("no jars in " + p + " (build first: mvn -DskipTests package)");
        }
    }

    /** The web UI's lib/ repeats the firmware's jars: one copy of each name is enough. */
    private static void addJar(BundleWriter writer, Path jar) {
        if (!writer.contains("lib/" + jar.getFileName())) {
            writer.add("lib/" + jar.getFileName(), jar, false);
        }
    }

    private static boolean runtimeJar(Path j) {
        String n = j.getFileName().toString();
        return n.endsWith(".jar") && !n.endsWith("-tests.jar") && !n.endsWith("-sources.jar") && Files.isRegularFile(j);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
