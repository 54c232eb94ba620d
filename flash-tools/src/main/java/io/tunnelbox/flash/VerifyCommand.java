package io.tunnelbox.flash;

import io.tunnelbox.update.BundleCheck;
import io.tunnelbox.update.BundleManifest;
import io.tunnelbox.update.BundleReader;
import io.tunnelbox.update.TrustedKeys;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "verify", mixinStandardHelpOptions = true, description = {
        "Check a bundle's signature against trusted public keys and every file's hash. Prints one",
        "line per problem and exits 1, or one line saying what the bundle holds and exits 0."})
final class VerifyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "BUNDLE")
    Path bundle;

    @Option(names = "--trust", required = true, paramLabel = "KEY",
            description = "A trusted public key (.pub) or a folder of them; repeatable.")
    List<Path> trust;

    @Override
    public Integer call() throws Exception {
        BundleCheck check = BundleReader.verify(bundle, TrustedKeys.fromPaths(trust));
        if (!check.ok()) {
            check.problems().forEach(p -> System.out.println("FAIL " + bundle.getFileName() + ": " + p));
            return 1;
        }
        System.out.println("OK " + describe(check.manifest().orElseThrow()) + ", signed by " + check.signerKeyId());
        return 0;
    }

    static String describe(BundleManifest m) {
        return "TunnelBox " + m.version() + " built " + m.buildTime() + ", " + m.files().size() + " files, "
                + (m.runtime() ? "Java runtime for " + m.architecture() : "no Java runtime (box needs Java 25)")
                + ", configuration format " + m.minConfigFormat() + ".." + m.configFormat();
    }
}
