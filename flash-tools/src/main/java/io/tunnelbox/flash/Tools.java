package io.tunnelbox.flash;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the Linux tools the image and card commands lean on (sfdisk, debugfs, mtools, losetup). */
final class Tools {
    private Tools() {
    }

    record Run(int code, String out) {
    }

    static Run run(List<String> cmd, String stdin) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new FlashException(cmd.get(0) + " is not installed (" + packageOf(cmd.get(0)) + "): " + e.getMessage());
        }
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new FlashException(String.join(" ", cmd) + " did not finish in 10 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new FlashException("interrupted");
        }
        return new Run(p.exitValue(), out);
    }

    /** Runs and fails with the tool's own words when it fails. */
    static String must(List<String> cmd, String stdin) throws IOException {
        Run r = run(cmd, stdin);
        if (r.code() != 0) {
            throw new FlashException(String.join(" ", cmd) + " failed (exit " + r.code() + "): " + r.out().strip());
        }
        return r.out();
    }

    static String must(String... cmd) throws IOException {
        return must(List.of(cmd), null);
    }

    static String packageOf(String tool) {
        return switch (Path.of(tool).getFileName().toString()) {
            case "sfdisk", "losetup", "blockdev", "findmnt" -> "Debian packages fdisk / util-linux";
            case "debugfs", "mkfs.ext4" -> "Debian package e2fsprogs";
            case "mcopy", "mtype", "mdir", "mmd" -> "Debian package mtools";
            case "dpkg-deb" -> "Debian package dpkg";
            default -> "see README";
        };
    }

    static boolean exists(Path p) {
        return Files.exists(p);
    }
}
