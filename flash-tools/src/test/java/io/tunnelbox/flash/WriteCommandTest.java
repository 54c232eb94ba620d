package io.tunnelbox.flash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.hal.testing.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code write} to a file and to loop devices (root): verified, and refused where it must be. */
class WriteCommandTest {
    @TempDir
    Path dir;

    private Path image(int mib) throws Exception {
        byte[] b = new byte[mib << 20];
        new Random(7).nextBytes(b);
        Path img = dir.resolve("card.img");
        Files.write(img, b);
        return img;
    }

    @Test
    void shouldWriteToAPlainFileOnlyWithYesAndVerifyIt() throws Exception {
        Path img = image(9);
        Path target = dir.resolve("target.bin");
        Files.writeString(target, "keep me");
        Cli asked = Cli.run("write", "--image", img.toString(), "--device", target.toString());
        assertEquals(1, asked.code());
        assertTrue(asked.out().contains("run again with --yes"), asked.out());
        assertEquals("keep me", Files.readString(target));
        Cli r = Cli.run("write", "--image", img.toString(), "--device", target.toString(), "--yes");
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("OK 9.0 MiB written to " + target + " and verified"), r.out());
        assertTrue(r.out().contains("MiB/s") && r.out().contains("left"), "progress bar: " + r.out());
        assertArrayEquals(Files.readAllBytes(img), Files.readAllBytes(target));
    }

    @Test
    void shouldWriteToALoopDeviceAndVerifyIt() throws Exception {
        Requirements.root();
        Requirements.tool("losetup");
        Path img = image(5);
        Path backing = dir.resolve("card-backing.bin");
        Tools.must("truncate", "-s", "8M", backing.toString());
        String loop = Tools.must("losetup", "-f", "--show", backing.toString()).strip();
        try {
            Cli r = Cli.run("write", "--image", img.toString(), "--device", loop, "--yes");
            assertEquals(0, r.code(), r.out());
            assertTrue(r.out().contains("and verified"), r.out());
        } finally {
            Tools.run(List.of("losetup", "-d", loop), null);
        }
        byte[] card = Files.readAllBytes(backing);
        assertArrayEquals(Files.readAllBytes(img), java.util.Arrays.copyOf(card, 5 << 20), "the card's first 5 MiB are the image");
    }

    @Test
    void shouldRefuseAMountedDeviceAndTheRootDisk() throws Exception {
        Requirements.root();
        Requirements.tool("losetup");
        Path img = image(1);
        Path backing = dir.resolve("mounted-backing.bin");
        Tools.must("truncate", "-s", "8M", backing.toString());
        Tools.must("mkfs.ext4", "-q", backing.toString());
        String loop = Tools.must("losetup", "-f", "--show", backing.toString()).strip();
        Path mnt = Files.createDirectories(dir.resolve("mnt"));
        try {
            Tools.must("mount", loop, mnt.toString());
            try {
                Cli r = Cli.run("write", "--image", img.toString(), "--device", loop, "--yes");
                assertEquals(1, r.code());
                assertTrue(r.out().contains("is in use: " + loop + " is mounted on " + mnt + " (unmount it first)"), r.out());
            } finally {
                Tools.run(List.of("umount", mnt.toString()), null);
            }
            // The disk holding "/": the same device, as the kernel would list it in another mount table.
            String number = Files.readString(Path.of("/sys/class/block", Path.of(loop).getFileName().toString(), "dev")).strip();
            Path fakeMounts = dir.resolve("mountinfo");
            Files.writeString(fakeMounts, "22 1 " + number + " / / rw,relatime shared:1 - ext4 " + loop + " rw\n");
            String refusal = CardTarget.refusal(Path.of(loop), fakeMounts, Path.of("/sys/class/block"));
            assertTrue(refusal != null && refusal.contains("holds the running system's root file system"), refusal);
            assertNull(CardTarget.refusal(Path.of(loop), Path.of("/proc/self/mountinfo"), Path.of("/sys/class/block")));
        } finally {
            Tools.run(List.of("losetup", "-d", loop), null);
        }
        assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(mnt.toString()));
    }
}
