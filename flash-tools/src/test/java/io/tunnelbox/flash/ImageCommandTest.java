package io.tunnelbox.flash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.hal.testing.Requirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code image} on a small synthetic "Raspberry Pi OS" the test makes (DOS partition table, FAT
 * boot partition with a config.txt, ext4 root with a few system files); the result is read back
 * with debugfs and mtools, not taken from the tool's word.
 */
class ImageCommandTest {
    @TempDir
    Path dir;

    @Test
    void shouldPutTheBundleTheEnabledUnitAndTheBoardIntoTheRootPartition() throws Exception {
        for (String tool : List.of("sfdisk", "mkfs.vfat", "mkfs.ext4", "debugfs", "mcopy", "mtype")) {
            Requirements.tool(tool);
        }
        Path base = syntheticBase();
        byte[] baseBefore = Files.readAllBytes(base);
        assertEquals(0, Cli.run("keygen", dir.resolve("k").toString()).code());
        Path bundle = dir.resolve("fw.tbx");
        Cli b = Cli.run("bundle", "--key", dir.resolve("k.key").toString(), "--out", bundle.toString(), "--firmware-version", "7.0",
                "--firmware", Cli.firmwareTarget().toString(), "--board-configs", Cli.root().resolve("board-configs").toString());
        assertEquals(0, b.code(), b.out());
        Path out = dir.resolve("tunnelbox.img");
        Cli r = Cli.run("image", "--base", base.toString(), "--board", "rpi4b-usb3-gbe", "--bundle", bundle.toString(),
                "--trust", dir.resolve("k.pub").toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.out());

        String root = out + "?offset=" + (ROOT_START * 512);
        String state = Ext4Writer.cat(root, "/opt/tunnelbox/boot.state");
        assertTrue(state != null && state.contains("active=a\n"), String.valueOf(state));
        assertTrue(Ext4Writer.cat(root, "/opt/tunnelbox/slots/a/manifest.json").contains("\"version\" : \"7.0\""));
        byte[] jar = Files.readAllBytes(Cli.firmwareTarget().resolve("firmware-0.1.0-SNAPSHOT.jar"));
        Path back = dir.resolve("jar-back");
        debugfs(root, "dump /opt/tunnelbox/slots/a/lib/firmware-0.1.0-SNAPSHOT.jar " + back);
        assertTrue(java.util.Arrays.equals(jar, Files.readAllBytes(back)), "the firmware jar in the image is the build's");
        assertTrue(debugfs(root, "stat /etc/systemd/system/multi-user.target.wants/tunnelbox.service").contains("Fast link dest: \"/etc/systemd/system/tunnelbox.service\""));
        assertTrue(Ext4Writer.cat(root, "/etc/systemd/system/tunnelbox.service").contains("ExecStart=/usr/lib/tunnelbox/tunnelbox-launch --boot run"));
        String launcher = debugfs(root, "stat /usr/lib/tunnelbox/tunnelbox-launch");
        assertTrue(launcher.contains("Mode:  0755") && launcher.contains("User:     0"), launcher);
        assertTrue(Ext4Writer.cat(root, "/etc/tunnelbox/tunnelbox.env").contains("TUNNELBOX_BOARD=rpi4b-usb3-gbe\n"));
        assertTrue(Ext4Writer.cat(root, "/etc/tunnelbox/initial.json").contains("192.168.1.1/24"));
        assertTrue(debugfs(root, "ls /etc/tunnelbox/trusted-keys").contains(".pub"));
        assertTrue(debugfs(root, "stat /var/lib/tunnelbox").contains("Mode:  0700"));
        // The base system is still there.
        assertEquals("PRETTY_NAME=\"Test OS\"\n", Ext4Writer.cat(root, "/etc/os-release"));
        // Boot partition: the Raspberry Pi's serial console switched on.
        String config = Tools.must("mtype", "-i", out + "@@" + (BOOT_START * 512), "::config.txt");
        assertTrue(config.contains("arm_64bit=1") && config.contains("enable_uart=1"), config);
        // e2fsck finds the root file system consistent after debugfs wrote into it.
        Tools.Run fsck = Tools.run(List.of("e2fsck", "-fn", root), null);
        assertEquals(0, fsck.code(), fsck.out());
        assertTrue(java.util.Arrays.equals(baseBefore, Files.readAllBytes(base)), "the base image is unchanged");
    }

    @Test
    void shouldRefuseACompressedBaseWithTheCommandToUnpackIt() throws IOException {
        Path xz = dir.resolve("os.img.xz");
        Files.write(xz, new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0, 0, 0});
        assertEquals(0, Cli.run("keygen", dir.resolve("k").toString()).code());
        Cli r = Cli.run("image", "--base", xz.toString(), "--board", "nanopi-r4s", "--bundle", dir.resolve("none.tbx").toString(),
                "--trust", dir.resolve("k.pub").toString(), "--out", dir.resolve("o.img").toString());
        assertEquals(1, r.code());
        assertTrue(r.out().contains("FAIL none.tbx") || r.out().contains("xz"), r.out());
    }

    static final long BOOT_START = 2048;
    static final long BOOT_SECTORS = 16384;
    static final long ROOT_START = BOOT_START + BOOT_SECTORS;

    /** 8 MiB FAT boot + ~60 MiB ext4 root, the layout of Raspberry Pi OS in miniature. */
    private Path syntheticBase() throws IOException {
        Path img = dir.resolve("base.img");
        Tools.must("truncate", "-s", "72M", img.toString());
        Tools.must(List.of("sfdisk", "-q", img.toString()), "label: dos\nstart=" + BOOT_START + ", size=" + BOOT_SECTORS
                + ", type=c\nstart=" + ROOT_START + ", type=83\n");
        Path boot = dir.resolve("boot.fat");
        Tools.must("truncate", "-s", (BOOT_SECTORS * 512) + "", boot.toString());
        Tools.must("mkfs.vfat", "-n", "BOOTFS", boot.toString());
        Path cfg = dir.resolve("config.txt");
        Files.writeString(cfg, "# Raspberry Pi\narm_64bit=1\n");
        Tools.must("mcopy", "-i", boot.toString(), cfg.toString(), "::config.txt");
        Path tree = dir.resolve("rootfs");
        Files.createDirectories(tree.resolve("etc/systemd/system"));
        Files.createDirectories(tree.resolve("usr/bin"));
        Files.writeString(tree.resolve("etc/os-release"), "PRETTY_NAME=\"Test OS\"\n");
        Files.writeString(tree.resolve("etc/hostname"), "raspberrypi\n");
        Path rootfs = dir.resolve("root.ext4");
        long rootBytes = Files.size(img) - ROOT_START * 512;
        Tools.must("truncate", "-s", rootBytes + "", rootfs.toString());
        Tools.must("mkfs.ext4", "-q", "-d", tree.toString(), rootfs.toString());
        Tools.must("dd", "if=" + boot, "of=" + img, "bs=512", "seek=" + BOOT_START, "conv=notrunc", "status=none");
        Tools.must("dd", "if=" + rootfs, "of=" + img, "bs=512", "seek=" + ROOT_START, "conv=notrunc", "status=none");
        return img;
    }

    private static String debugfs(String device, String command) throws IOException {
        return Tools.must(List.of("debugfs", "-R", command, device), null);
    }
}
