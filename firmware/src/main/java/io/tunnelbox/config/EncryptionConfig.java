package io.tunnelbox.config;

import java.util.Optional;

/**
 * IPsec protection of a GRE tunnel or of a segment's traffic to each of its flood peers: IKEv2
 * (strongSwan) in transport mode over exactly this box's GRE (protocol 47) or VXLAN (UDP) packets
 * to the peer. Either a pre-shared key or certificates authenticate the peers.
 *
 * @param psk    the pre-shared key, "" with certificates; a secret ({@link ConfigRedaction} hides it,
 *               the box gives it to strongSwan in a file of its own, mode 0600)
 * @param ca     with certificates: the CA (PEM text) that signed the peer's certificate, "" with a key
 * @param peerId with certificates: the identity the peer's certificate must carry (its subject DN
 *               or a subjectAltName); "" accepts any the CA signed
 */
public record EncryptionConfig(String psk, String ca, String peerId) {
    /** Shortest pre-shared key accepted: strongSwan's documentation warns below 20 characters. */
    public static final int MIN_PSK = 20;
    public static final int MAX_PSK = 256;

    public EncryptionConfig {
        psk = psk == null ? "" : psk;
        ca = ca == null ? "" : ca;
        peerId = peerId == null ? "" : peerId;
    }

    public static EncryptionConfig psk(String key) {
        return new EncryptionConfig(key, "", "");
    }

    @Override
    public String toString() {
        // The key stays out of logs and messages that print a tunnel, a segment or a whole configuration.
        return "EncryptionConfig[" + (usesPsk() ? "psk=" + ConfigRedaction.HIDDEN : "ca=" + ca.length() + " chars, peerId=" + peerId) + "]";
    }

    public boolean usesPsk() {
        return !psk.isEmpty();
    }

    /** What authenticates the peers, for show commands: "psk" or "certificate". */
    public String method() {
        return usesPsk() ? "psk" : "certificate";
    }

    /** The same settings with the key replaced by {@code text} (redaction). */
    EncryptionConfig withPsk(String text) {
        return new EncryptionConfig(usesPsk() ? text : "", ca, peerId);
    }

    static Optional<EncryptionConfig> redact(Optional<EncryptionConfig> e) {
        return e.map(x -> x.withPsk(ConfigRedaction.HIDDEN));
    }
}
