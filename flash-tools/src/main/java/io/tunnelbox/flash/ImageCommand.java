package io.tunnelbox.flash;

import io.tunnelbox.hal.board.BoardCatalog;
import io.tunnelbox.hal.board.BoardConfig;
import io.tunnelbox.update.BundleCheck;
import io.tunnelbox.update.SigningKeys;
import io.tunnelbox.update.TrustedKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "image", mixinStandardHelpOptions = true, description = {
        "Turn a stock Debian / Raspberry Pi OS / Armbian disk image into a TunnelBox image: the bundle",
        "in slot A, the launcher and the enabled systemd unit, the board chosen, the trusted public keys,",
        "and a first-boot configuration (LAN port 192.168.1.1/24, WAN by DHCP). The base image is not",
        "changed; no root or loop device is needed (debugfs and mtools work on the file)."})
final class ImageCommand implements Callable<Integer> {
    @Option(names = "--base", required = true, paramLabel = "FILE", description = "The downloaded OS image (.img, unpacked).")
    Path base;

    @Option(names = "--board", required = true, paramLabel = "NAME", description = "A board id from board-configs/ (e.g. nanopi-r4s).")
    String board;

    @Option(names = "--bundle", required = true, paramLabel = "FILE")
    Path bundle;

    @Option(names = "--trust", required = true, paramLabel = "KEY",
            description = "Public key(s) the box will accept updates from (the bundle must be signed by one); repeatable.")
    List<Path> trust;

    @Option(names = "--out", required = true, paramLabel = "FILE")
    Path out;

    @Override
    public Integer call() throws Exception {
        BoardConfig boardConfig = BoardCatalog.shipped().byId(board).orElseThrow(() -> new FlashException("unknown board '" + board
                + "'; known: " + BoardCatalog.shipped().all().stream().map(BoardConfig::id).toList()));
        TrustedKeys keys = TrustedKeys.fromPaths(trust);
        if (out.toAbsolutePath().equals(base.toAbsolutePath())) {
            throw new FlashException("--out must differ from --base (the base image is kept as it is)");
        }
        Path staging = Files.createTempDirectory("tunnelbox-image-");
        Path temp = out.resolveSibling("." + out.getFileName() + ".tmp");
        try {
            RootInstaller.Result r = RootInstaller.install(staging, bundle, keys);
            BundleCheck check = r.installed().check();
            if (!check.ok()) {
                check.problems().forEach(p -> System.out.println("FAIL " + bundle.getFileName() + ": " + p));
                throw new FlashException("the bundle is not good: no image made");
            }
            firstBoot(staging, boardConfig);
            System.out.println("copying " + base + " ...");
            Files.copy(base, temp, StandardCopyOption.REPLACE_EXISTING);
            DiskImage disk = DiskImage.read(temp);
            DiskImage.Partition root = disk.root();
            Ext4Writer.copyTree(disk.ext4Device(root), staging);
            String bootNote = disk.boot().map(b -> {
                try {
                    return bootPartition(disk, b, boardConfig);
                } catch (IOException e) {
                    throw new FlashException("boot partition: " + e.getMessage());
                }
            }).orElse("no FAT boot partition");
            Files.move(temp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            System.out.println("image " + out + ": TunnelBox " + check.manifest().orElseThrow().version() + " in slot a of partition "
                    + root.number() + ", board " + board + ", unit enabled, " + keys.ids().size() + " trusted key(s); " + bootNote);
            System.out.println("next: tunnelbox-flash write --image " + out + " --device /dev/sdX --yes");
            return 0;
        } finally {
            Files.deleteIfExists(temp);
            BundleCommand.deleteTree(staging);
        }
    }

    /** /etc/tunnelbox, the enabled unit, the state folder, and the OS's own getty kept off the box's console. */
    private void firstBoot(Path root, BoardConfig boardConfig) throws IOException {
        Path etc = Files.createDirectories(root.resolve("etc/tunnelbox"));
        Files.setPosixFilePermissions(etc, PosixFilePermissions.fromString("rwxr-xr-x"));
        String env = Dist.text("tunnelbox.env").replace("TUNNELBOX_BOARD=lab", "TUNNELBOX_BOARD=" + board);
        Files.writeString(etc.resolve("tunnelbox.env"), env);
        Files.writeString(etc.resolve("initial.json"), Dist.text("initial.json"));
        Path keys = Files.createDirectories(etc.resolve("trusted-keys"));
        for (Path k : trust) {
            List<Path> files;
            if (Files.isDirectory(k)) {
                try (var s = Files.list(k)) {
                    files = s.filter(f -> f.toString().endsWith(".pub")).sorted().toList();
                }
            } else {
                files = List.of(k);
            }
            for (Path f : files) {
                Files.copy(f, keys.resolve(SigningKeys.keyIdText(SigningKeys.readPublic(f)) + ".pub"), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path wants = Files.createDirectories(root.resolve("etc/systemd/system/multi-user.target.wants"));
        Files.createSymbolicLink(wants.resolve("tunnelbox.service"), Path.of("/" + RootInstaller.UNIT));
        String console = boardConfig.console() == null ? null : boardConfig.console().device();
        if (console != null && console.startsWith("/dev/")) {
            // The OS would run a login prompt on the same serial line; the box's console owns it.
            String tty = console.substring("/dev/".length());
            Files.createSymbolicLink(root.resolve("etc/systemd/system/serial-getty@" + tty + ".service"), Path.of("/dev/null"));
        }
        Path state = Files.createDirectories(root.resolve("var/lib/tunnelbox"));
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
    }

    /** A note for whoever opens the card on a PC, and the serial console switched on for a Raspberry Pi. */
    private String bootPartition(DiskImage disk, DiskImage.Partition boot, BoardConfig boardConfig) throws IOException {
        String dev = disk.fatDevice(boot);
        Path note = Files.createTempFile("tunnelbox", ".txt");
        try {
            Files.writeString(note, "This card runs TunnelBox on board " + board + ".\r\n"
                    + "First boot: plug a laptop into the LAN port, open https://192.168.1.1/ (or use the serial console).\r\n");
            Tools.must("mcopy", "-o", "-i", dev, note.toString(), "::tunnelbox.txt");
            Tools.Run config = Tools.run(List.of("mtype", "-i", dev, "::config.txt"), null);
            if (config.code() == 0 && board.startsWith("rpi") && !config.out().contains("enable_uart=1")) {
                Files.writeString(note, config.out().replace("\r\n", "\n").stripTrailing() + "\n\n# TunnelBox: serial console\nenable_uart=1\n");
                Tools.must("mcopy", "-o", "-i", dev, note.toString(), "::config.txt");
                return "serial console enabled in config.txt";
            }
            return "note written to the boot partition";
        } finally {
            Files.deleteIfExists(note);
        }
    }
}
