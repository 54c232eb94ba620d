package io.tunnelbox.update;

import java.nio.charset.StandardCharsets;

/**
 * The bundle file, byte by byte (integers big-endian):
 *
 * <pre>
 *  0       8 bytes  magic "TBXBNDL1"
 *  8       4 bytes  manifest length m (at most 16 MiB)
 * 12       m bytes  manifest (JSON, {@link BundleManifest})
 * 12+m     8 bytes  id of the signing key ({@link SigningKeys#keyId})
 * 20+m    64 bytes  Ed25519 signature over bytes 0 .. 12+m (magic, length, manifest)
 * 84+m     rest     payload: a zip of the slot's files, its size and SHA-256 in the manifest
 * </pre>
 *
 * The signature covers the manifest and the manifest covers every payload byte (its hash) and
 * every file (their hashes), so changing any byte of the file is caught: in the header by the
 * signature, in the key id by the key lookup, in the payload by its hash. The payload is an
 * ordinary zip, so {@code unzip -l bundle.tbx} lists it (after a warning about the header).
 */
public final class BundleFormat {
    public static final byte[] MAGIC = "TBXBNDL1".getBytes(StandardCharsets.US_ASCII);
    public static final int MAX_MANIFEST = 16 << 20;
    public static final int SIGNATURE_BYTES = 64;
    /** The file name extension the tools use. */
    public static final String EXTENSION = ".tbx";

    private BundleFormat() {
    }
}
