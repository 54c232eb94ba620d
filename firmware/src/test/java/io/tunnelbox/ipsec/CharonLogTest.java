package io.tunnelbox.ipsec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Why an SA is missing, from charon's own words (lines as charon 5.9.8 writes them with ike_name). */
class CharonLogTest {
    @TempDir
    Path dir;

    @Test
    void shouldTellAuthFailureUntilTheSaIsEstablished() throws IOException {
        Path file = dir.resolve("charon.log");
        Files.writeString(file, """
                2026-12-02 02:30:01 09[IKE] <tbx-198-51-100-2|1> initiating IKE_SA tbx-198-51-100-2[1] to 198.51.100.2
                2026-12-02 02:30:01 10[ENC] <tbx-198-51-100-2|1> parsed IKE_AUTH response 1 [ N(AUTH_FAILED) ]
                2026-12-02 02:30:01 10[IKE] <tbx-198-51-100-2|1> received AUTHENTICATION_FAILED notify error
                2026-12-02 02:30:02 11[IKE] <tbx-198-51-100-3|2> giving up after 3 retransmits
                """);
        CharonLog log = new CharonLog(file);
        log.read();
        assertEquals(Optional.of(PeerState.AUTH_FAILED), log.failure("tbx-198-51-100-2"));
        assertEquals(Optional.of(PeerState.NO_ANSWER), log.failure("tbx-198-51-100-3"));
        assertTrue(log.failure("tbx-198-51-100-4").isEmpty());

        Files.writeString(file, "2026-12-02 02:31:00 12[IKE] <tbx-198-51-100-2|3> IKE_SA tbx-198-51-100-2[3] established"
                + " between 198.51.100.1[198.51.100.1]...198.51.100.2[198.51.100.2]\n", StandardOpenOption.APPEND);
        log.read();
        assertTrue(log.failure("tbx-198-51-100-2").isEmpty(), "a success clears the failure");
        assertEquals(Optional.of(PeerState.NO_ANSWER), log.failure("tbx-198-51-100-3"));
    }

    @Test
    void shouldTellTheResponderSideOfAWrongKey() {
        assertEquals(PeerState.AUTH_FAILED, CharonLog.reason(
                "07[IKE] <tbx-198-51-100-1|1> tried 1 shared key for '198.51.100.2' - '198.51.100.1', but MAC mismatched"));
        assertEquals(PeerState.NO_PROPOSAL, CharonLog.reason("07[IKE] <tbx-198-51-100-1|1> received NO_PROPOSAL_CHOSEN notify error"));
        assertEquals(PeerState.KERNEL_REFUSED, CharonLog.reason(
                "11[IKE] <tbx-198-51-100-2|4> unable to install inbound and outbound IPsec SA (SAD) in kernel"));
        assertEquals(null, CharonLog.reason("07[NET] <tbx-198-51-100-1|1> sending packet: from 198.51.100.2[500]"));
    }

    @Test
    void shouldReadOnlyWholeLines() throws IOException {
        Path file = dir.resolve("charon.log");
        Files.writeString(file, "x <tbx-a|1> received AUTHENTICATION_FAI");
        CharonLog log = new CharonLog(file);
        log.read();
        assertTrue(log.failure("tbx-a").isEmpty());
        Files.writeString(file, "LED notify error\n", StandardOpenOption.APPEND);
        log.read();
        assertEquals(Optional.of(PeerState.AUTH_FAILED), log.failure("tbx-a"));
    }
}
