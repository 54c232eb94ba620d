package io.tunnelbox.ipsec;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why an IKE SA failed, read from the new lines of charon's log (written with {@code ike_name =
 * yes}, so each line names its connection: {@code <tbx-198-51-100-2|3>}). {@code swanctl
 * --list-sas} shows only SAs that exist; the log says why one does not. The last outcome per
 * connection wins: a failure is forgotten when the connection's SA is established again.
 */
final class CharonLog {
    private static final Pattern NAME = Pattern.compile("<([A-Za-z0-9-]+)\\|\\d+>");
    private final Path file;
    private long offset;
    private final Map<String, String> failures = new ConcurrentHashMap<>();

    CharonLog(Path file) {
        this.file = file;
    }

    /** The failure charon last logged for {@code connection} since its last success. */
    Optional<String> failure(String connection) {
        return Optional.ofNullable(failures.get(connection));
    }

    /** Reads what charon wrote since the last call (from the start after a truncation). */
    synchronized void read() {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long length = f.length();
            if (length < offset) {
                offset = 0;
            }
            if (length == offset) {
                return;
            }
            // A calm rate and a bounded read: at most 1 MiB per poll, whole lines only.
            int n = (int) Math.min(length - offset, 1 << 20);
            byte[] b = new byte[n];
            f.seek(offset);
            f.readFully(b);
            int end = n;
            while (end > 0 && b[end - 1] != '\n') {
                end--;
            }
            offset += end;
            new String(b, 0, end, StandardCharsets.UTF_8).lines().forEach(this::line);
        } catch (IOException e) {
            // No log yet (charon starting): nothing to learn.
        }
    }

    void line(String l) {
        Matcher m = NAME.matcher(l);
        if (!m.find()) {
            return;
        }
        String conn = m.group(1);
        String reason = reason(l);
        if (reason == null) {
            return;
        }
        if (reason.isEmpty()) {
            failures.remove(conn);
        } else {
            failures.put(conn, reason);
        }
    }

    /** The state a log line tells of: "" for success, null for a line that tells none. */
    static String reason(String l) {
        if (l.contains("AUTHENTICATION_FAILED") || l.contains("MAC mismatched") || l.contains("authentication failed")
                || l.contains("no shared key found") || l.contains("constraint check failed")
                || l.contains("no trusted") ) {
            return PeerState.AUTH_FAILED;
        }
        if (l.contains("NO_PROPOSAL_CHOSEN") || l.contains("no acceptable proposal") || l.contains("no proposal found")) {
            return PeerState.NO_PROPOSAL;
        }
        if (l.contains("giving up after") || l.contains("retransmit") && l.contains("giving up")) {
            return PeerState.NO_ANSWER;
        }
        if (l.contains("unable to install") || l.contains("unable to add SAD entry")) {
            return PeerState.KERNEL_REFUSED;
        }
        if (l.contains(" established between ")) {
            return "";
        }
        return null;
    }
}
