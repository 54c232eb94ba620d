package io.tunnelbox.flash;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code write} may write to: a block device that is not mounted (nor any of its partitions)
 * and does not hold the running system's root, or a plain file. The checks use the kernel's own
 * view: {@code /proc/self/mountinfo} (device numbers) and {@code /sys/class/block}.
 */
final class CardTarget {
    private CardTarget() {
    }

    /** Null when writing is allowed, else why not. */
    static String refusal(Path device, Path mountinfo, Path sysBlock) throws IOException {
        if (!Files.exists(device)) {
            return null; // a new plain file
        }
        Path real = device.toRealPath();
        String name = real.getFileName().toString();
        Path sys = sysBlock.resolve(name);
        if (!Files.isDirectory(sys)) {
            return Files.isRegularFile(real) ? null : real + " is neither a block device nor a plain file";
        }
        // The disk itself and all its partitions, by major:minor.
        Path disk = Files.exists(sys.resolve("partition")) ? sys.toRealPath().getParent() : sys.toRealPath();
        List<String> numbers = new ArrayList<>();
        List<String> names = new ArrayList<>();
        numbers.add(Files.readString(disk.resolve("dev")).strip());
        names.add(disk.getFileName().toString());
        try (var parts = Files.list(disk)) {
            for (Path p : parts.filter(p -> Files.exists(p.resolve("partition"))).toList()) {
                numbers.add(Files.readString(p.resolve("dev")).strip());
                names.add(p.getFileName().toString());
            }
        }
        for (String line : Files.readAllLines(mountinfo)) {
            // id parent major:minor root mountpoint ...
            String[] f = line.split(" ");
            if (f.length > 4 && numbers.contains(f[2])) {
                String which = names.get(numbers.indexOf(f[2]));
                if (f[4].equals("/")) {
                    return real + " holds the running system's root file system (/dev/" + which + " is mounted on /): refusing";
                }
                return real + " is in use: /dev/" + which + " is mounted on " + f[4].replace("\\040", " ") + " (unmount it first)";
            }
        }
        return null;
    }
}
