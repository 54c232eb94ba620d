package io.tunnelbox.flash;

import io.tunnelbox.update.BundleCheck;
import io.tunnelbox.update.SlotStore;
import io.tunnelbox.update.TrustedKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "install", mixinStandardHelpOptions = true, description = {
        "Install a bundle into a root file system (a mounted card, or a folder): into the slot that is",
        "not active under ROOT/opt/tunnelbox, which then becomes the active one; the launcher goes to",
        "ROOT/usr/lib/tunnelbox and the unit to ROOT/etc/systemd/system. ROOT/etc/tunnelbox and",
        "ROOT/var/lib/tunnelbox are never touched."})
final class InstallCommand implements Callable<Integer> {
    @Option(names = "--root", required = true, paramLabel = "DIR")
    Path root;

    @Option(names = "--bundle", required = true, paramLabel = "FILE")
    Path bundle;

    @Option(names = "--trust", required = true, paramLabel = "KEY",
            description = "A trusted public key (.pub) or a folder of them; repeatable.")
    List<Path> trust;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(root)) {
            throw new FlashException(root + " is not a directory");
        }
        RootInstaller.Result r = RootInstaller.install(root, bundle, TrustedKeys.fromPaths(trust));
        BundleCheck check = r.installed().check();
        if (!check.ok()) {
            check.problems().forEach(p -> System.out.println("FAIL " + bundle.getFileName() + ": " + p));
            System.out.println("nothing installed");
            return 1;
        }
        System.out.println("installed " + check.manifest().orElseThrow().version() + " into slot "
                + r.installed().slot() + " of " + root.resolve("opt/tunnelbox") + " (now active)");
        return 0;
    }

    static SlotStore slots(Path root) {
        return new SlotStore(root.resolve("opt/tunnelbox"));
    }
}
