package io.tunnelbox.update;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Key rotation carried by a signed bundle: {@code trusted-keys/add/*.pub} are added to the box's
 * trusted keys and {@code trusted-keys/retire/<key id>} files name keys to drop. Applied only after
 * the new firmware was kept (healthy), so a rolled-back update changes no keys. A key is never
 * retired if that would leave the box trusting no key at all, so a box cannot lock itself out.
 */
public final class KeyRotation {
    public static final String ADD = "trusted-keys/add";
    public static final String RETIRE = "trusted-keys/retire";

    private KeyRotation() {
    }

    /** Returns one line per change made (empty when the bundle carries no rotation). */
    public static List<String> apply(Path slot, Path trustedDir) throws IOException {
        List<String> done = new ArrayList<>();
        Path add = slot.resolve(ADD);
        if (Files.isDirectory(add)) {
            Files.createDirectories(trustedDir);
            try (Stream<Path> s = Files.list(add)) {
                for (Path f : s.filter(p -> p.toString().endsWith(".pub")).sorted().toList()) {
                    PublicKey key = SigningKeys.readPublic(f);
                    String id = SigningKeys.keyIdText(key);
                    Path target = trustedDir.resolve(id + ".pub");
                    if (!Files.exists(target)) {
                        Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                        done.add("trusted key " + id + " added");
                    }
                }
            }
        }
        Path retire = slot.resolve(RETIRE);
        if (Files.isDirectory(retire)) {
            try (Stream<Path> s = Files.list(retire)) {
                for (Path f : s.sorted().toList()) {
                    String id = f.getFileName().toString();
                    for (Path k : keyFiles(trustedDir)) {
                        if (SigningKeys.keyIdText(SigningKeys.readPublic(k)).equals(id)) {
                            if (keyFiles(trustedDir).size() <= 1) {
                                done.add("trusted key " + id + " kept: it is the last one");
                            } else {
                                Files.delete(k);
                                done.add("trusted key " + id + " retired");
                            }
                        }
                    }
                }
            }
        }
        return done;
    }

    private static List<Path> keyFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".pub")).sorted().toList();
        }
    }
}
