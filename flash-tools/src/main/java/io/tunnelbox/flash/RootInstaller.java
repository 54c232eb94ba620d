package io.tunnelbox.flash;

import io.tunnelbox.update.SlotStore;
import io.tunnelbox.update.TrustedKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Puts a bundle into a root file system: the slots under {@code opt/tunnelbox}, then, from the
 * installed slot's {@code dist/}, the launcher ({@code usr/lib/tunnelbox/tunnelbox-launch}, with
 * {@code usr/bin/tunnelbox} pointing at it) and the unit ({@code etc/systemd/system}).
 */
final class RootInstaller {
    static final String LAUNCHER = "usr/lib/tunnelbox/tunnelbox-launch";
    static final String UNIT = "etc/systemd/system/tunnelbox.service";

    private RootInstaller() {
    }

    record Result(SlotStore.Installed installed) {
    }

    static Result install(Path root, Path bundle, TrustedKeys keys) throws IOException {
        SlotStore slots = InstallCommand.slots(root);
        SlotStore.Installed installed = slots.install(bundle, keys, 0);
        if (installed.ok()) {
            Path dist = slots.slot(installed.slot()).resolve("dist");
            copy(dist.resolve("tunnelbox-launch"), root.resolve(LAUNCHER), "rwxr-xr-x");
            copy(dist.resolve("tunnelbox.service"), root.resolve(UNIT), "rw-r--r--");
            Path command = root.resolve("usr/bin/tunnelbox");
            Files.createDirectories(command.getParent());
            Files.deleteIfExists(command);
            Files.createSymbolicLink(command, Path.of("/" + LAUNCHER));
        }
        return new Result(installed);
    }

    private static void copy(Path from, Path to, String mode) throws IOException {
        if (!Files.isRegularFile(from)) {
            throw new IOException("the bundle has no " + from.getFileName() + " in dist/ (made by an old flash tool?)");
        }
        Files.createDirectories(to.getParent());
        Path temp = to.resolveSibling("." + to.getFileName() + ".tmp");
        Files.copy(from, temp, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString(mode));
        Files.move(temp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
