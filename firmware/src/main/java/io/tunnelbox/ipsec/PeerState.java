package io.tunnelbox.ipsec;

import java.util.List;

/**
 * What IPsec looks like to one peer now, from {@code swanctl --list-sas} and charon's log.
 *
 * @param state            "up" (IKE SA established and every child SA installed) or "down"
 * @param reason           why it is down: {@link #NO_SA}, {@link #AUTH_FAILED}, ...; "" when up
 * @param ike              the IKE SA's algorithms ("AES_GCM_16-256/PRF_HMAC_SHA2_384/CURVE_25519")
 * @param esp              the child SAs' algorithms
 * @param establishedSeconds how long the IKE SA has been up
 * @param lastRekeySeconds how long ago the newest child SA was installed (a rekey installs a new one)
 * @param peerIdentity     the identity the peer authenticated with
 */
public record PeerState(String peer, String connection, List<String> users, String auth, String state,
                        String reason, String ike, String esp, long bytesIn, long bytesOut, long packetsIn,
                        long packetsOut, long establishedSeconds, long lastRekeySeconds, String peerIdentity) {
    public static final String NO_SA = "ipsec: no SA";
    public static final String AUTH_FAILED = "ipsec: auth failed";
    public static final String NO_ANSWER = "ipsec: peer does not answer";
    public static final String NO_PROPOSAL = "ipsec: no proposal chosen";
    public static final String NOT_ON_THIS_BOX = "ipsec: not on this box";
    public static final String NO_WAN = "ipsec: waiting for WAN address";
    /** IKE is up, but the kernel would not take the ESP SA: no ESP (CONFIG_INET_ESP) or not the cipher. */
    public static final String KERNEL_REFUSED = "ipsec: kernel refused the SA (no ESP or cipher in the kernel)";

    public PeerState {
        users = List.copyOf(users);
    }

    public boolean up() {
        return "up".equals(state);
    }

    static PeerState down(PeerPlan p, String reason) {
        return new PeerState(p.remoteText(), p.connection(), p.users(), p.encryption().method(), "down", reason, "", "",
                0, 0, 0, 0, 0, 0, "");
    }
}
