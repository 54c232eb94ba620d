package io.tunnelbox.flash;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Copies a folder tree into an ext4 file system inside an image file without mounting it (no root,
 * no loop device): {@code debugfs -w} with one command per folder, file and link, owned by root
 * with the tree's permission bits. debugfs does not fail on a bad command, so its output is checked
 * line by line.
 */
final class Ext4Writer {
    private Ext4Writer() {
    }

    static void copyTree(String device, Path tree) throws IOException {
        List<String> cmds = new ArrayList<>();
        Set<String> existing = existingDirectories(device, tree);
        try (Stream<Path> walk = Files.walk(tree)) {
            for (Path p : walk.sorted().toList()) {
                if (p.equals(tree)) {
                    continue;
                }
                String target = "/" + tree.relativize(p).toString().replace('\\', '/');
                if (target.contains(" ") || target.contains("\"")) {
                    throw new FlashException("cannot copy a file name with blanks or quotes into the image: " + target);
                }
                if (Files.isSymbolicLink(p)) {
                    cmds.add("rm " + target);
                    cmds.add("symlink " + target + " " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    if (existing.contains(target)) {
                        continue; // the OS's own folders (/etc, /usr/lib...) keep their owner and mode
                    }
                    cmds.add("mkdir " + target);
                    cmds.add("sif " + target + " mode 0" + Integer.toOctalString(040000 | mode(p)));
                } else {
                    cmds.add("rm " + target);
                    cmds.add("write " + p.toAbsolutePath() + " " + target);
                    cmds.add("sif " + target + " mode 0" + Integer.toOctalString(0100000 | mode(p)));
                }
                cmds.add("sif " + target + " uid 0");
                cmds.add("sif " + target + " gid 0");
            }
        }
        Path script = Files.createTempFile("tunnelbox-debugfs-", ".cmds");
        try {
            Files.write(script, cmds);
            Tools.Run r = Tools.run(List.of("debugfs", "-w", "-f", script.toString(), device), null);
            List<String> errors = r.out().lines()
                    .filter(l -> !l.startsWith("debugfs ") && !l.startsWith("debugfs:") && !l.isBlank())
                    .filter(l -> !l.contains("File exists") && !l.contains("File not found by ext2_lookup") && !l.startsWith("Allocated inode"))
                    .toList();
            if (r.code() != 0 || !errors.isEmpty()) {
                throw new FlashException("debugfs could not write into " + device + ": " + String.join("; ", errors));
            }
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /** Which of the tree's folders the image already has: one debugfs run with a stat per folder. */
    private static Set<String> existingDirectories(String device, Path tree) throws IOException {
        List<String> dirs = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(tree)) {
            walk.filter(p -> !p.equals(tree) && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .forEach(p -> dirs.add("/" + tree.relativize(p).toString().replace('\\', '/')));
        }
        Path script = Files.createTempFile("tunnelbox-debugfs-", ".cmds");
        try {
            Files.write(script, dirs.stream().map(d -> "stat " + d).toList());
            String out = Tools.run(List.of("debugfs", "-f", script.toString(), device), null).out();
            Set<String> found = new java.util.HashSet<>();
            String current = null;
            for (String line : out.lines().toList()) {
                if (line.startsWith("debugfs: stat ")) {
                    current = line.substring("debugfs: stat ".length()).strip();
                } else if (current != null && line.startsWith("Inode:") && line.contains("Type: directory")) {
                    found.add(current);
                }
            }
            return found;
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private static int mode(Path p) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
        int m = 0;
        String s = PosixFilePermissions.toString(perms);
        for (int i = 0; i < 9; i++) {
            if (s.charAt(i) != '-') {
                m |= 1 << (8 - i);
            }
        }
        return m;
    }

    /** A file's content from the image (for checks), or null when absent. */
    static String cat(String device, String path) throws IOException {
        Tools.Run r = Tools.run(List.of("debugfs", "-R", "cat " + path, device), null);
        String out = r.out().lines().filter(l -> !l.startsWith("debugfs ")).reduce("", (a, b) -> a + b + "\n");
        return out.contains("File not found by ext2_lookup") ? null : out;
    }
}
