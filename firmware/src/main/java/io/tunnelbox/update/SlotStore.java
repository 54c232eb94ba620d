package io.tunnelbox.update;

import io.tunnelbox.config.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The two firmware slots under one directory ({@code /opt/tunnelbox} on a box):
 *
 * <pre>
 * slots/a/         one installed bundle: lib/*.jar, board-configs/, dist/, runtime/ (optional),
 * slots/b/         and the bundle's manifest.json
 * boot.state       which slot is active, which is on trial ({@link BootState})
 * </pre>
 *
 * A bundle is unpacked and checked in a staging folder first and renamed into the inactive slot
 * only when every hash matched; the pointer changes last, in one atomic rename. A power cut at any
 * point leaves the active slot and the pointer as they were. Configuration and state
 * ({@code /etc/tunnelbox}, {@code /var/lib/tunnelbox}) are not under this directory and are never
 * touched here.
 */
public final class SlotStore {
    public static final Path BOX_ROOT = Path.of("/opt/tunnelbox");
    public static final String MANIFEST = "manifest.json";

    private final Path root;

    public SlotStore(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path slot(String name) {
        return root.resolve("slots").resolve(name);
    }

    public BootState state() throws IOException {
        Path f = root.resolve(BootState.FILE);
        return Files.exists(f) ? BootState.parse(Files.readString(f, StandardCharsets.UTF_8)) : BootState.empty();
    }

    public void write(BootState state) throws IOException {
        Files.createDirectories(root);
        AtomicFile.write(root.resolve(BootState.FILE), state.text().getBytes(StandardCharsets.UTF_8));
    }

    /** The manifest of the bundle installed in a slot, if any. */
    public Optional<BundleManifest> installed(String slot) throws IOException {
        Path m = slot(slot).resolve(MANIFEST);
        return Files.exists(m) ? Optional.of(BundleManifest.parse(Files.readAllBytes(m))) : Optional.empty();
    }

    /** Where a new bundle goes: the slot that is not active (a on an empty root). */
    public String inactive() throws IOException {
        BootState s = state();
        return s.active().isEmpty() ? "a" : BootState.other(s.active());
    }

    /** What {@link #install} did. */
    public record Installed(String slot, BundleCheck check) {
        public boolean ok() {
            return check.ok();
        }
    }

    /**
     * Checks and unpacks a bundle into the inactive slot. With {@code trialTries > 0} the slot goes on
     * trial (the box's own update: the launcher starts it that many times before rolling back);
     * with 0 it becomes active at once (the flash tool writing a card). Nothing changes unless the
     * bundle is good.
     */
    public Installed install(Path bundle, TrustedKeys keys, int trialTries) throws IOException {
        BootState before = state();
        if (trialTries > 0 && before.active().isEmpty()) {
            throw new IOException("no active slot to fall back to: install the first bundle with the flash tool");
        }
        String target = inactive();
        Path slots = root.resolve("slots");
        Files.createDirectories(slots);
        Path staging = slots.resolve(".incoming-" + ProcessHandle.current().pid());
        deleteTree(staging);
        Files.createDirectories(staging);
        BundleCheck check = BundleReader.unpack(bundle, keys, staging);
        if (!check.ok()) {
            deleteTree(staging);
            return new Installed(target, check);
        }
        BundleManifest manifest = check.manifest().orElseThrow();
        AtomicFile.write(staging.resolve(MANIFEST), manifest.toJson());
        Path slot = slot(target);
        deleteTree(slot);
        Files.move(staging, slot, StandardCopyOption.ATOMIC_MOVE);
        AtomicFile.syncDirectory(slots);
        String what = manifest.version() + " into slot " + target;
        write(trialTries > 0
                ? new BootState(before.active(), target, trialTries, "trying " + what)
                : new BootState(target, "", 0, "installed " + what));
        return new Installed(target, check);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> all = walk.sorted(Comparator.reverseOrder()).toList();
            for (Path p : all) {
                Files.delete(p);
            }
        }
    }
}
