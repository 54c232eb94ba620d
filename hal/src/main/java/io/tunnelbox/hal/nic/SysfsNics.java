package io.tunnelbox.hal.nic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.tinylog.Logger;

/**
 * Reads interfaces from {@code /sys/class/net} (root injectable, so tests build a fake tree).
 * Reading {@code carrier} or {@code speed} of a down interface fails with EINVAL in the kernel;
 * that is reported as no carrier / unknown speed, not as an error.
 */
public final class SysfsNics implements NicInventory {
    public static final Path CLASS_NET = Path.of("/sys/class/net");

    private final Path classNet;

    public SysfsNics(Path classNet) {
        this.classNet = classNet;
    }

    @Override
    public List<NicState> scan() {
        List<NicState> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(classNet)) {
            for (Path dir : dirs.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList()) {
                NicState s = read(dir);
                if (s != null) {
                    out.add(s);
                }
            }
        } catch (IOException e) {
            Logger.warn("Cannot list {}: {}", classNet, e.getMessage());
        }
        return out;
    }

    private static NicState read(Path dir) {
        String name = dir.getFileName().toString();
        String mac = text(dir.resolve("address"));
        if (mac == null) {
            return null; // vanished between list and read (USB NIC unplugged)
        }
        int mtu = number(dir.resolve("mtu"), 0);
        boolean carrier = number(dir.resolve("carrier"), 0) == 1;
        String oper = text(dir.resolve("operstate"));
        int speed = number(dir.resolve("speed"), -1);
        String driver = null;
        String busPath = null;
        Path device = dir.resolve("device");
        if (Files.exists(device)) {
            busPath = real(device);
            String drv = real(device.resolve("driver"));
            driver = drv == null ? null : Path.of(drv).getFileName().toString();
        }
        return new NicState(name, mac, mtu, carrier, oper == null ? "unknown" : oper, speed < 0 ? -1 : speed, driver,
                busPath);
    }

    private static String real(Path p) {
        try {
            return p.toRealPath().toString();
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(Path p) {
        try {
            return Files.readString(p).strip();
        } catch (IOException e) {
            return null;
        }
    }

    private static int number(Path p, int otherwise) {
        String s = text(p);
        if (s == null) {
            return otherwise;
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}
