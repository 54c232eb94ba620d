package io.tunnelbox.flash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A disk image file and its partitions, read with {@code sfdisk --json}; file systems are found by
 * their own signatures (ext4's superblock magic, FAT's boot sector), not trusted from type codes.
 */
final class DiskImage {
    static final Set<String> LINUX_TYPES = Set.of("83", "0fc63daf-8483-4772-8e79-3d69d8477de4", "b921b045-1df0-41c3-af44-4c6f280d3fae",
            "4f68bce3-e8cd-4db1-96e7-fbcaf984b709");
    static final Set<String> FAT_TYPES = Set.of("b", "c", "e", "ef", "6", "c12a7328-f81f-11d2-ba4b-00a0c93ec93b",
            "ebd0a0a2-b9e5-4433-87c0-68b6b72699c7");

    record Partition(int number, long offset, long size, String type) {
    }

    private final Path file;
    private final List<Partition> partitions;

    private DiskImage(Path file, List<Partition> partitions) {
        this.file = file;
        this.partitions = partitions;
    }

    static DiskImage read(Path file) throws IOException {
        refuseCompressed(file);
        String json = Tools.must(List.of("sfdisk", "--json", file.toString()), null);
        JsonNode t = new ObjectMapper().readTree(json).path("partitiontable");
        long sector = t.path("sectorsize").asLong(512);
        List<Partition> parts = new ArrayList<>();
        int n = 0;
        for (JsonNode p : t.path("partitions")) {
            n++;
            parts.add(new Partition(n, p.path("start").asLong() * sector, p.path("size").asLong() * sector,
                    p.path("type").asText().toLowerCase(Locale.ROOT)));
        }
        if (parts.isEmpty()) {
            throw new FlashException(file + " has no partition table (is it a whole-disk image such as Raspberry Pi OS's .img?)");
        }
        return new DiskImage(file, parts);
    }

    /** The OS's root file system: the last ext4 partition. */
    Partition root() throws IOException {
        Partition found = null;
        for (Partition p : partitions) {
            if (isExt4(p)) {
                found = p;
            }
        }
        if (found == null) {
            throw new FlashException(file + " has no ext4 partition for the root file system (partitions: " + partitions + ")");
        }
        return found;
    }

    /** The boot partition (FAT), if there is one. */
    Optional<Partition> boot() throws IOException {
        for (Partition p : partitions) {
            if (isFat(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private boolean isExt4(Partition p) throws IOException {
        byte[] sb = read(p.offset() + 1024 + 56, 2);
        return (sb[0] & 0xff) == 0x53 && (sb[1] & 0xff) == 0xef;
    }

    private boolean isFat(Partition p) throws IOException {
        byte[] bs = read(p.offset() + 510, 2);
        byte[] fat = read(p.offset() + 54, 8);
        byte[] fat32 = read(p.offset() + 82, 8);
        String label = new String(fat) + new String(fat32);
        return (bs[0] & 0xff) == 0x55 && (bs[1] & 0xff) == 0xaa && label.contains("FAT");
    }

    private byte[] read(long at, int n) throws IOException {
        byte[] b = new byte[n];
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            if (at + n > f.length()) {
                return b;
            }
            f.seek(at);
            f.readFully(b);
        }
        return b;
    }

    /** debugfs and mtools address a partition inside the image file by its byte offset. */
    String ext4Device(Partition p) {
        return file + "?offset=" + p.offset();
    }

    String fatDevice(Partition p) {
        return file + "@@" + p.offset();
    }

    private static void refuseCompressed(Path file) throws IOException {
        byte[] head = new byte[6];
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            if (f.length() < 6) {
                throw new FlashException(file + " is too small to be a disk image");
            }
            f.readFully(head);
        }
        if ((head[0] & 0xff) == 0xfd && head[1] == '7' && head[2] == 'z') {
            throw new FlashException(file + " is xz-compressed: unpack it first (xz -dk " + file.getFileName() + ")");
        }
        if ((head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            throw new FlashException(file + " is gzip-compressed: unpack it first (gunzip -k " + file.getFileName() + ")");
        }
        if (head[0] == 'P' && head[1] == 'K') {
            throw new FlashException(file + " is a zip archive: unpack the .img from it first");
        }
    }
}
