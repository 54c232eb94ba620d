package io.tunnelbox.flash;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "write", mixinStandardHelpOptions = true, description = {
        "Write an image to a card (or a file) with a progress bar, then read it back and compare",
        "SHA-256 hashes. Refuses a mounted device and the disk holding /; asks for --yes."})
final class WriteCommand implements Callable<Integer> {
    @Option(names = "--image", required = true, paramLabel = "FILE")
    Path image;

    @Option(names = "--device", required = true, paramLabel = "DEV", description = "e.g. /dev/sdb or /dev/mmcblk0 (the whole card, not a partition).")
    Path device;

    @Option(names = "--yes", description = "Really erase DEV.")
    boolean yes;

    static final int BLOCK = 4 << 20;

    @Override
    public Integer call() throws Exception {
        String refusal = CardTarget.refusal(device, Path.of("/proc/self/mountinfo"), Path.of("/sys/class/block"));
        if (refusal != null) {
            throw new FlashException(refusal);
        }
        long size = Files.size(image);
        boolean block = Files.exists(device) && !Files.isRegularFile(device.toRealPath());
        if (block) {
            long capacity = capacity(device);
            if (capacity > 0 && capacity < size) {
                throw new FlashException(device + " holds " + capacity + " bytes; the image needs " + size);
            }
        }
        if (!yes) {
            throw new FlashException("this erases everything on " + device + (block ? " (" + human(capacity(device)) + ")" : "")
                    + ": run again with --yes");
        }
        PrintStream err = System.err;
        MessageDigest written = sha256();
        Progress p = new Progress("write ", size, err);
        try (InputStream in = Files.newInputStream(image);
             FileChannel out = FileChannel.open(device, block ? List.of(StandardOpenOption.WRITE).toArray(new StandardOpenOption[0])
                     : new StandardOpenOption[] {StandardOpenOption.WRITE, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING})) {
            byte[] buf = new byte[BLOCK];
            long done = 0;
            for (int n; (n = in.readNBytes(buf, 0, buf.length)) > 0; ) {
                written.update(buf, 0, n);
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                while (bb.hasRemaining()) {
                    out.write(bb);
                }
                done += n;
                p.show(done);
            }
            out.force(true);
            p.done();
        }
        if (block) {
            // Drop the kernel's cached copy so the read-back comes from the card itself.
            Tools.run(List.of("blockdev", "--flushbufs", device.toString()), null);
        }
        MessageDigest read = sha256();
        Progress v = new Progress("verify", size, err);
        try (InputStream in = Files.newInputStream(device)) {
            byte[] buf = new byte[BLOCK];
            long done = 0;
            while (done < size) {
                int n = in.readNBytes(buf, 0, (int) Math.min(buf.length, size - done));
                if (n <= 0) {
                    throw new FlashException(device + " ended after " + done + " of " + size + " bytes");
                }
                read.update(buf, 0, n);
                done += n;
                v.show(done);
            }
            v.done();
        }
        String a = HexFormat.of().formatHex(written.digest());
        String b = HexFormat.of().formatHex(read.digest());
        if (!a.equals(b)) {
            System.out.println("FAIL " + device + ": read back SHA-256 " + b + " differs from the image's " + a + " (bad card?)");
            return 1;
        }
        System.out.println("OK " + human(size) + " written to " + device + " and verified (SHA-256 " + a + ")");
        return 0;
    }

    private static long capacity(Path device) throws IOException {
        try (FileChannel ch = FileChannel.open(device, StandardOpenOption.READ)) {
            return ch.size();
        } catch (IOException e) {
            return -1;
        }
    }

    static String human(long bytes) {
        if (bytes < 0) {
            return "unknown size";
        }
        return bytes >= 1L << 30 ? String.format("%.1f GiB", bytes / (double) (1L << 30))
                : String.format("%.1f MiB", bytes / (double) (1L << 20));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One line, redrawn in place: bar, bytes, rate, time left. */
    static final class Progress {
        private final String what;
        private final long total;
        private final PrintStream out;
        private final long start = System.nanoTime();
        private long lastShown;

        Progress(String what, long total, PrintStream out) {
            this.what = what;
            this.total = total;
            this.out = out;
        }

        void show(long done) {
            long now = System.nanoTime();
            if (now - lastShown < 200_000_000L && done < total) {
                return;
            }
            lastShown = now;
            out.print("\r" + line(done, now - start));
            out.flush();
        }

        void done() {
            out.println("\r" + line(total, System.nanoTime() - start));
        }

        String line(long done, long nanos) {
            int width = 30;
            int filled = total == 0 ? width : (int) (width * done / total);
            double seconds = Math.max(nanos / 1e9, 1e-3);
            double rate = done / seconds;
            long left = rate > 0 ? (long) ((total - done) / rate) : 0;
            return String.format("%s [%s%s] %s / %s  %.1f MiB/s  %d:%02d left", what, "#".repeat(filled), ".".repeat(width - filled),
                    human(done), human(total), rate / (1 << 20), left / 60, left % 60);
        }
    }
}
