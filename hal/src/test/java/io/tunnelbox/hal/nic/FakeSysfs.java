package io.tunnelbox.hal.nic;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A fake /sys with the same symlink layout as the kernel's: class/net/IF -> devices/.../net/IF, IF/device, device/driver. */
public final class FakeSysfs {
    public final Path root;

    public FakeSysfs(Path root) {
        this.root = root;
        mkdirs(classNet());
    }

    public Path classNet() {
        return root.resolve("class/net");
    }

    /** A NIC on a device; {@code devicePath} below devices/, {@code driver} null for virtual ones. */
    public FakeSysfs nic(String name, String devicePath, String driver, String mac, int mtu, boolean carrier, String oper,
                  int speed) {
        Path device = root.resolve("devices").resolve(devicePath);
        Path ifDir = device.resolve("net").resolve(name);
        mkdirs(ifDir);
        try {
            if (driver != null) {
                Path drv = root.resolve("bus/drivers").resolve(driver);
                mkdirs(drv);
                if (!Files.exists(device.resolve("driver"), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(device.resolve("driver"), device.relativize(drv));
                }
                Files.createSymbolicLink(ifDir.resolve("device"), ifDir.relativize(device));
            }
            Files.writeString(ifDir.resolve("address"), mac + "\n");
            Files.writeString(ifDir.resolve("mtu"), mtu + "\n");
            Files.writeString(ifDir.resolve("operstate"), oper + "\n");
            link(name, carrier, oper, speed, ifDir);
            Files.createSymbolicLink(classNet().resolve(name), classNet().relativize(ifDir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Carrier and speed files of a down interface cannot be read (EINVAL): they are left out. */
    public void link(String name, boolean carrier, String oper, int speed) {
        try {
            link(name, carrier, oper, speed, classNet().resolve(name).toRealPath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void link(String name, boolean carrier, String oper, int speed, Path ifDir) throws IOException {
        Files.writeString(ifDir.resolve("operstate"), oper + "\n");
        Files.deleteIfExists(ifDir.resolve("carrier"));
        Files.deleteIfExists(ifDir.resolve("speed"));
        if (!"down".equals(oper)) {
            Files.writeString(ifDir.resolve("carrier"), (carrier ? "1" : "0") + "\n");
            Files.writeString(ifDir.resolve("speed"), speed + "\n");
        }
    }

    public void unplug(String name) {
        try {
            Path real = classNet().resolve(name).toRealPath();
            Files.delete(classNet().resolve(name));
            try (var files = Files.list(real)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(real);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void mkdirs(Path p) {
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
