package io.tunnelbox.update;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The public keys a box (or an admin's {@code verify}) accepts bundles from. On a box they are the
 * {@code *.pub} files in {@code /etc/tunnelbox/trusted-keys/}: the image puts the first one there;
 * rotating keys means adding the new public key there (while the old one still works), signing
 * with the new key, then removing the old file.
 */
public final class TrustedKeys {
    public static final Path BOX_DIR = Path.of("/etc/tunnelbox/trusted-keys");

    private final List<PublicKey> keys;

    public TrustedKeys(List<PublicKey> keys) {
        this.keys = List.copyOf(keys);
    }

    /** Every {@code *.pub} in {@code dir}; a file that is not an Ed25519 public key is an error, not skipped. */
    public static TrustedKeys fromDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("no trusted keys: " + dir + " is not a directory");
        }
        List<PublicKey> keys = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".pub")).sorted().toList()) {
                keys.add(SigningKeys.readPublic(p));
            }
        }
        return new TrustedKeys(keys);
    }

    /** Files or directories, as given on a command line. */
    public static TrustedKeys fromPaths(List<Path> paths) throws IOException {
        List<PublicKey> keys = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                keys.addAll(fromDirectory(p).keys);
            } else {
                keys.add(SigningKeys.readPublic(p));
            }
        }
        return new TrustedKeys(keys);
    }

    public Optional<PublicKey> byId(byte[] id) {
        return keys.stream().filter(k -> Arrays.equals(SigningKeys.keyId(k), id)).findFirst();
    }

    public List<String> ids() {
        return keys.stream().map(SigningKeys::keyIdText).toList();
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }
}
