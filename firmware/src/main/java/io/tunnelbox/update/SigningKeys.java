package io.tunnelbox.update;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;

/**
 * Ed25519 key files in PEM: the private key as PKCS#8 ("PRIVATE KEY", the file is created 0600
 * and never silently replaced), the public key as X.509 ("PUBLIC KEY"), the same encodings
 * {@code openssl genpkey -algorithm ed25519} writes. A key's id is the first 8 bytes of the SHA-256
 * of its public key encoding: a bundle names the key that signed it by this id.
 */
public final class SigningKeys {
    public static final String ALGORITHM = "Ed25519";
    public static final int KEY_ID_BYTES = 8;
    private static final String PRIVATE = "PRIVATE KEY";
    private static final String PUBLIC = "PUBLIC KEY";

    private SigningKeys() {
    }

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519", e);
        }
    }

    /**
     * Writes {@code base.key} (0600) and {@code base.pub}. Existing files are refused unless
     * {@code force}: losing a signing key locks every box that trusts only it out of updates.
     */
    public static void writePair(KeyPair pair, Path privateFile, Path publicFile, boolean force) throws IOException {
        if (!force) {
            for (Path p : new Path[] {privateFile, publicFile}) {
                if (Files.exists(p)) {
                    throw new FileAlreadyExistsException(p + " exists; add --force to replace it (boxes that trust the old key will refuse bundles signed by the new one)");
                }
            }
        }
        writePrivate(pair.getPrivate(), privateFile);
        Files.writeString(publicFile, pem(PUBLIC, pair.getPublic().getEncoded()));
    }

    /** The private key goes to a 0600 temporary file first, so it is never readable by others, even briefly. */
    private static void writePrivate(PrivateKey key, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = dir.resolve("." + file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        Files.deleteIfExists(temp);
        try (FileChannel ch = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            ch.write(StandardCharsets.US_ASCII.encode(pem(PRIVATE, key.getEncoded())));
            ch.force(true);
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static PrivateKey readPrivate(Path file) throws IOException {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(unpem(file, PRIVATE)));
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": not an Ed25519 private key (" + e.getMessage() + ")", e);
        }
    }

    public static PublicKey readPublic(Path file) throws IOException {
        return parsePublic(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
    }

    public static PublicKey parsePublic(String pemText, String where) throws IOException {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(unpem(pemText, PUBLIC, where)));
        } catch (GeneralSecurityException e) {
            throw new IOException(where + ": not an Ed25519 public key (" + e.getMessage() + ")", e);
        }
    }

    public static String publicPem(PublicKey key) {
        return pem(PUBLIC, key.getEncoded());
    }

    public static byte[] keyId(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return java.util.Arrays.copyOf(digest, KEY_ID_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String keyIdText(PublicKey key) {
        return HexFormat.of().formatHex(keyId(key));
    }

    /** {@code name.key} -> {@code name.pub}: the JDK cannot derive an Ed25519 public key, so keygen writes both side by side. */
    public static Path publicBeside(Path privateFile) {
        String n = privateFile.getFileName().toString();
        String base = n.endsWith(".key") ? n.substring(0, n.length() - 4) : n;
        return privateFile.resolveSibling(base + ".pub");
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] unpem(Path file, String type) throws IOException {
        return unpem(Files.readString(file, StandardCharsets.US_ASCII), type, file.toString());
    }

    private static byte[] unpem(String text, String type, String where) throws IOException {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int b = text.indexOf(begin);
        int e = text.indexOf(end);
        if (b < 0 || e < b) {
            throw new IOException(where + ": no '" + begin + "' block");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e).strip());
        } catch (IllegalArgumentException x) {
            throw new IOException(where + ": bad base64 in the " + type + " block", x);
        }
    }
}
