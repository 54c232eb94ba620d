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

@Command(name = "bundle", mixinStandardHelpOptions = true, description = {
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

    @Option(names = "--lib", paramLabel = "JAR|DIR", description = "More runtime jars; repeatable. Default without --firmware: web-ui/target when built.")
    List<Path> extraLibs = new ArrayList<>();

    @Option(names = "--board-configs", paramLabel = "DIR", description = "Default: board-configs/ of the source tree.")
    Path boardConfigs;

    @Option(names = "--jdk", paramLabel = "DIR", description = "Embed a runtime jlinked from this JDK (its architecture is the box's).")
    Path jdk;

    @Option(names = "--jdk-modules", paramLabel = "LIST", description = "Modules for jlink (default: what the firmware uses).")
    String modules = JlinkRuntime.MODULES;

    @Option(names = "--add-trusted-key", paramLabel = "KEY.pub",
            description = "Key rotation: boxes that keep this firmware add this public key to their trusted keys; repeatable.")
    List<Path> addKeys = new ArrayList<>();

    @Option(names = "--retire-key", paramLabel = "KEY-ID",
            description = "Key rotation: boxes that keep this firmware stop trusting this key id (never their last key); repeatable.")
    List<String> retireKeys = new ArrayList<>();

    @Option(names = "--firmware-version", paramLabel = "TEXT", description = "The firmware version to record (default: the build's).")
    String version = Version.current();

    @Override
    public Integer call() throws Exception {
        Path fw = firmware != null ? firmware : SourceTree.root().resolve("firmware/target");
        Path boards = boardConfigs != null ? boardConfigs : SourceTree.root().resolve("board-configs");
        BundleWriter writer = new BundleWriter();
        List<Path> libs = new ArrayList<>(extraLibs);
        if (firmware == null) {
            libs.addAll(FirmwareJars.webUi(SourceTree.root()));
        }
        for (Path jar : FirmwareJars.collect(fw, libs)) {
            writer.add("lib/" + jar.getFileName(), jar, false);
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
            for (Path k : addKeys) {
                String id = SigningKeys.keyIdText(SigningKeys.readPublic(k));
                writer.add(io.tunnelbox.update.KeyRotation.ADD + "/" + id + ".pub", k, false);
            }
            for (String id : retireKeys) {
                if (!id.matches("[0-9a-f]{16}")) {
                    throw new FlashException("--retire-key " + id + ": a key id is 16 hex digits (keygen and verify print it)");
                }
                Path marker = Files.writeString(work.resolve("retire-" + id), id + "\n");
                writer.add(io.tunnelbox.update.KeyRotation.RETIRE + "/" + id, marker, false);
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
